"""Request guards of the security baseline.

``RequestSizeLimitMiddleware`` refuses a request whose declared body is larger than ``MAX_REQUEST_BYTES`` before
anything reads the body (Django itself would stream a huge multipart upload to a temporary file first).

``SessionRefreshMiddleware`` extends a signed-in session's idle timeout at most once a minute.
"""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpResponse
from django.utils.translation import gettext as _

from kechuang.audit.models import EventKind
from kechuang.audit.recorder import record

SESSION_REFRESH_SECONDS = 60
REFRESHED_AT = "_refreshed_at"


class SessionRefreshMiddleware:
    """30 minutes without a request end a signed-in session (SESSION_COOKIE_AGE, 等保 登录连接超时).

    Each request counts as activity, but the session row is rewritten only when its last refresh is a minute or
    more old: saving it on every request (SESSION_SAVE_EVERY_REQUEST) was a database write per page view, and on
    SQLite a write lock per page view. The idle timeout is therefore exact to within a minute.
    ``request.session_expires_in`` (seconds) is what the idle-session warning counts down from.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session:
            now = int(time.time())
            refreshed_at = session.get(REFRESHED_AT, 0)
            if now - refreshed_at >= SESSION_REFRESH_SECONDS:
                session[REFRESHED_AT] = refreshed_at = now  # modified: SessionMiddleware saves a new expiry
            request.session_expires_in = settings.SESSION_COOKIE_AGE - (now - refreshed_at)
        return self.get_response(request)


def declared_length(request):
    """The body size the client announced (Content-Length); 0 when absent or malformed."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = declared_length(request)
        if declared > settings.MAX_REQUEST_BYTES:
            record(EventKind.REQUEST_TOO_LARGE, request=request, declared_bytes=declared)
            message = _("上传的内容过大（超过 %(limit)d MB），请求已被拒绝。") % {
                "limit": settings.MAX_REQUEST_BYTES // (1024 * 1024)
            }
            response = HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
            # The body was never read: the connection cannot be reused for another request.
            response["Connection"] = "close"
            return response
        return self.get_response(request)
