"""A fixed-window request limit per client address for the public 验真 page.

The client address is the one django-axes and the audit log use (audit.recorder.client_ip), so a lockout, an
audit row and this limit all name the same address. Counts live in the configured cache (Redis in production),
so the limit holds across app servers.
"""

import time

from django.conf import settings
from django.core.cache import cache

from kechuang.audit.recorder import client_ip


def over_limit(request, scope, limit=None, window=60):
    """Count this request; True once the address made more than ``limit`` requests in the current window."""
    limit = limit if limit is not None else getattr(settings, "VERIFY_RATE_LIMIT", 30)
    address = client_ip(request) or "unknown"
    key = f"throttle:{scope}:{address}:{int(time.time() // window)}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return count > limit
