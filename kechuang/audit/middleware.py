"""The audit log's middleware.

``AuditMiddleware`` records, after the view has answered, what only the response tells: permission denials
(403, including CSRF failures), 404s on object URLs of filings/review for signed-in users (possible probes of
other people's ids) and successful attachment downloads (any GET answered 200 with
``Content-Disposition: attachment``). It needs no hook in anyone's view.
"""

from .models import EventKind
from .recorder import current_request, record

PROBE_NAMESPACES = ("filings", "review", "accounts", "audit")


def is_administrator(user):
    """The 三员, and any account that can reach the admin site (staff, the emergency superuser)."""
    return bool(user.is_staff or user.is_superuser or getattr(user, "is_administrator", False))


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            response = self.get_response(request)
            self.after(request, response)
        finally:
            current_request.reset(token)
        return response

    def after(self, request, response):
        status = response.status_code
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match else ""
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and is_administrator(user):
            # 三员分立: every request of an administrator (reads included) is in the log, not only admin changes.
            record(EventKind.ADMIN_REQUEST, request=request, view=view, status=status)
        if status == 403:
            record(EventKind.PERMISSION_DENIED, request=request, view=view)
            return
        if (
            status == 404
            and user is not None
            and user.is_authenticated
            and match is not None
            and match.kwargs
            and match.namespace in PROBE_NAMESPACES
        ):
            record(EventKind.PROBE, request=request, view=view, kwargs=match.kwargs)
            return
        if (
            status == 200
            and request.method == "GET"
            and response.get("Content-Disposition", "").startswith("attachment")
            and match is not None
            and match.namespace != "audit"
        ):
            record(EventKind.DOWNLOAD, request=request, view=view, kwargs=match.kwargs)
