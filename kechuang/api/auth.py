"""Who is calling: the bearer token, its address allow-list and its rate limit.

Every refusal is an ``ApiRefusal`` (a JSON answer with a Chinese message, never a 500): a missing, malformed,
unknown, expired or revoked token is a 401, a call from an address outside the token's allow-list a 403, and a
token over its budget a 429 with ``Retry-After``.

The rate limit is a one-minute window per token counted in the cache (kechuang.security.ratelimit, atomic
``incr``): with ``CACHE_URL=redis://…`` every app server counts into the same key, so the limit holds for the
whole cluster.
"""

import math
import time

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer

from kechuang.security import ratelimit
from kechuang.security.clientip import client_ip

from .models import TOKEN_PREFIX, ApiToken, hash_token

RATE_WINDOW_SECONDS = 60
# secrets.token_urlsafe(32) is 43 characters; anything much longer is not one of ours and is not hashed.
TOKEN_MAX_LENGTH = 100


class ApiRefusal(Exception):
    def __init__(self, status, message, headers=None):
        super().__init__(str(message))
        self.status = status
        self.message = message
        self.headers = headers or {}


def unauthorized(message):
    return ApiRefusal(401, message, {"WWW-Authenticate": 'Bearer realm="kechuang"'})


MISSING = _("缺少API令牌：请在请求头中发送 Authorization: Bearer <令牌>。")
INVALID = _("API令牌无效。")
EXPIRED = _("API令牌已过期，请联系系统管理员。")
REVOKED = _("API令牌已撤销，请联系系统管理员。")
ADDRESS = _("该API令牌不允许从此地址调用。")
TOO_MANY = _("调用过于频繁：每分钟最多 %(limit)d 次，请 %(seconds)d 秒后再试。")


def take_rate_slot(token_id, limit=None, now=None):
    """Count one call of ``token_id`` in the current minute; returns seconds to wait when over ``limit``, else 0.

    Windows are whole clock minutes (the minute is part of the key), so the answer to a refused call says
    exactly when the next one opens.
    """
    limit = settings.API_RATE_LIMIT if limit is None else limit
    now = time.time() if now is None else now
    window = int(now // RATE_WINDOW_SECONDS)
    if ratelimit.hit("api", f"{token_id}:{window}", limit, RATE_WINDOW_SECONDS + 5):
        return 0
    return max(1, math.ceil((window + 1) * RATE_WINDOW_SECONDS - now))


class TokenAuth(HttpBearer):
    """``Authorization: Bearer kc_…``: the token's SHA-256 is looked up (one query); the raw value is not kept."""

    def __call__(self, request):
        header = request.headers.get("Authorization")
        if not header:
            raise unauthorized(MISSING)
        scheme, _sep, raw = header.partition(" ")
        if scheme.lower() != "bearer":
            raise unauthorized(MISSING)
        return self.authenticate(request, raw.strip())

    def authenticate(self, request, token):
        if not token.startswith(TOKEN_PREFIX) or len(token) > TOKEN_MAX_LENGTH:
            raise unauthorized(INVALID)
        api_token = ApiToken.objects.filter(key_hash=hash_token(token)).first()
        if api_token is None:
            raise unauthorized(INVALID)
        request.api_token = api_token  # the call log names the token from here on, even when refused below
        if api_token.revoked_at is not None:
            raise unauthorized(REVOKED)
        if api_token.expires_at <= timezone.now():
            raise unauthorized(EXPIRED)
        if not api_token.allows(request.api_client_address):
            raise ApiRefusal(403, ADDRESS)
        wait = take_rate_slot(api_token.pk)
        if wait:
            message = TOO_MANY % {"limit": settings.API_RATE_LIMIT, "seconds": wait}
            raise ApiRefusal(429, message, {"Retry-After": str(wait)})
        return api_token


def address_of(request):
    return client_ip(request)
