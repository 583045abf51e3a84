"""The interactive API documentation page: Swagger UI from ninja's bundled files, no CDN, no inline script."""

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe


@require_safe
def docs(request):
    return render(request, "api/docs.html")


@require_safe
def index(request):
    """/api/v1/: where the OpenAPI document and the docs page are (no token needed)."""
    return JsonResponse(
        {
            "name": "科创备案 开放接口",
            "version": "1",
            "openapi": reverse("api:openapi-json"),
            "docs": reverse("api:docs"),
        },
        json_dumps_params={"ensure_ascii": False},
    )
