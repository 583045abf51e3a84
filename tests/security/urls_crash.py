"""Test-only URLconf (never in production urls): a view that raises, to see what a 500 shows (等保 剩余信息保护)."""

from django.urls import include, path


def crash(request):
    raise RuntimeError("secret-internal-detail: DATABASE password=hunter2")


urlpatterns = [
    path("crash/", crash, name="crash"),
    path("", include("kechuang.urls")),
]
