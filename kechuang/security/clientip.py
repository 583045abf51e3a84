"""The client's address behind the reverse proxy: one function for the lockout, the audit log and every throttle.

Behind the documented nginx proxy every request arrives from the proxy's address, so ``REMOTE_ADDR`` alone names
the proxy, not the person. Which forwarded value to believe is a deployment fact, read from the environment:

``TRUSTED_PROXY_COUNT=N``  N reverse proxies each append the address they received the request from to
                           ``X-Forwarded-For``: the client is the N-th entry from the right. Entries further left
                           were written by the client and are never believed (a spoofed ``X-Forwarded-For: 1.2.3.4``
                           only adds an entry the proxies then append to). ``0`` means no proxy: ``REMOTE_ADDR``.
``CLIENT_IP_HEADER=X-Real-IP``  the proxy overwrites this header with the address it saw; the header is believed
                           as it is (only when every request passes through that proxy).

Setting both is a configuration error; setting neither with DEBUG off is warned about by the system check
``kechuang.W001`` (the address used is then ``REMOTE_ADDR``, which is the proxy's behind a proxy).
"""

import contextlib

from django.conf import settings
from django.core.checks import Warning, register
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_ipv46_address

CACHE_ATTRIBUTE = "_kechuang_client_ip"


def _valid(address):
    if not address:
        return None
    address = address.strip()
    try:
        validate_ipv46_address(address)
    except ValidationError:
        return None
    return address


def _meta_name(header):
    return "HTTP_" + header.upper().replace("-", "_")


def configured_source():
    """("count", N), ("header", META name) or (None, None) when no choice was made."""
    count = getattr(settings, "TRUSTED_PROXY_COUNT", None)
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if count is not None and header:
        raise ImproperlyConfigured("Set TRUSTED_PROXY_COUNT or CLIENT_IP_HEADER, not both.")
    if header:
        return "header", _meta_name(header)
    if count is not None:
        if count < 0:
            raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
        return "count", count
    return None, None


def resolve(meta):
    """The client address from a request's META, or None when nothing usable is there."""
    remote = _valid(meta.get("REMOTE_ADDR"))
    kind, value = configured_source()
    if kind == "header":
        return _valid(meta.get(value)) or remote
    if kind == "count" and value > 0:
        forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= value:
            return _valid(forwarded[-value]) or remote
        # Fewer entries than proxies: the request did not come through all of them (or the chain is broken).
        return remote
    return remote


def client_ip(request):
    """AXES_CLIENT_IP_CALLABLE and the audit log's address; computed once per request."""
    if request is None:
        return None
    cached = getattr(request, CACHE_ATTRIBUTE, False)
    if cached is not False:
        return cached
    address = resolve(getattr(request, "META", {}))
    with contextlib.suppress(AttributeError):
        setattr(request, CACHE_ATTRIBUTE, address)
    return address


@register("security", deploy=False)
def check_client_ip_source(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    try:
        kind, _ = configured_source()
    except ImproperlyConfigured as exc:
        return [Warning(str(exc), id="kechuang.W002")]
    if kind is None:
        return [
            Warning(
                "No client address source chosen: set TRUSTED_PROXY_COUNT (the number of reverse proxies, 0 for "
                "none) or CLIENT_IP_HEADER (a header the proxy sets). Until then the lockout, the audit log and "
                "the throttles see REMOTE_ADDR, which behind a proxy is the proxy's address.",
                id="kechuang.W001",
            )
        ]
    return []
