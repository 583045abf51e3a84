"""/api/v1/: the ninja operations (each call logged), the OpenAPI document and the bundled docs page."""

import time
from functools import wraps

from django.urls import path
from django.views.decorators.http import require_safe

from . import views
from .auth import address_of
from .endpoints import api
from .models import ApiLog

app_name = "api"
UNLOGGED = {"openapi-json"}


def logged(view):
    """One ApiLog row per call (token, endpoint, client address, status), whatever the outcome."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.api_token = None
        request.api_client_address = address_of(request)
        started = time.monotonic()
        status = 500
        try:
            response = view(request, *args, **kwargs)
            status = response.status_code
            return response
        finally:
            endpoint = request.path
            if request.META.get("QUERY_STRING"):
                endpoint = f"{endpoint}?{request.META['QUERY_STRING']}"
            ApiLog.objects.create(
                token=request.api_token,
                method=request.method[:10],
                endpoint=endpoint[:300],
                client_address=request.api_client_address,
                status=status,
                duration_ms=int((time.monotonic() - started) * 1000),
            )

    return wrapper


def _patterns():
    patterns, _app, _namespace = api.urls
    out = [path("docs", views.docs, name="docs")]
    for pattern in patterns:
        if pattern.name == "api-root":  # ninja's own raises a 404; ours answers with the two links
            out.append(path("", views.index, name="api-root"))
        elif pattern.name in UNLOGGED:
            out.append(path(str(pattern.pattern), require_safe(pattern.callback), name=pattern.name))
        else:
            out.append(path(str(pattern.pattern), logged(pattern.callback), name=pattern.name))
    return out


urlpatterns = _patterns()
