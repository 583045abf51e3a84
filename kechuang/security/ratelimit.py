"""A counter per scope and key in the shared cache, for throttling requests that are not logins (registration
floods, 忘记密码 per address and per account). Login failures have their own rules in login_throttle.py.

The window is fixed from the first hit; counts are not transactional (two simultaneous hits may count once),
which can only let one extra request through, never refuse one too many.
"""

import hashlib

from django.core.cache import cache


def _key(scope, key):
    return f"throttle:{scope}:" + hashlib.sha256(str(key).encode()).hexdigest()


def hit(scope, key, limit, window):
    """Count one request; True while at most ``limit`` requests of ``key`` fell within ``window`` seconds."""
    cache_key = _key(scope, key)
    if cache.add(cache_key, 1, window):
        return limit >= 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, window)
        count = 1
    return count <= limit


def exceeded(scope, key, limit):
    """True when ``key`` has already used up ``limit`` in its current window (without counting a request)."""
    return (cache.get(_key(scope, key)) or 0) >= limit
