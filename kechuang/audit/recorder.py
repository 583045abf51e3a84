"""``record()``: the one function that writes a SecurityEvent. Signals, middleware and commands call it."""

import logging
import uuid
from contextvars import ContextVar

from axes.helpers import get_client_ip_address
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address

from .models import SecurityEvent

logger = logging.getLogger("kechuang.audit")

# The request being served, set by AuditMiddleware, so recorders fed by model signals (admin LogEntry) still
# know the client address and path.
current_request = ContextVar("audit_current_request", default=None)


def client_ip(request):
    """The client address as django-axes sees it, so audit rows and lockouts name the same address."""
    if request is None:
        return None
    address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    try:
        validate_ipv46_address(address)
    except ValidationError:
        return None
    return address


def _plain(value):
    """JSON-safe copy of a detail value (UUIDs and lazy strings from URL kwargs and admin messages)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, uuid.UUID):
        return str(value)
    return str(value)[:1000]


def record(kind, request=None, user=None, username="", **detail):
    """Append one event. ``user`` defaults to the request's authenticated user."""
    if request is None:
        request = current_request.get()
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    if user is not None and not username:
        username = user.get_username()
    event = SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or "")[:150],
        ip_address=client_ip(request),
        method=(request.method or "")[:10] if request is not None else "",
        path=request.get_full_path()[:500] if request is not None else "",
        detail=_plain(detail),
    )
    logger.info("security event %s user=%r ip=%s path=%r", kind, event.username, event.ip_address, event.path)
    return event
