from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("kechuang.portal.urls")),
    path("", include("kechuang.accounts.urls")),
    path("", include("kechuang.filings.urls")),
    path("", include("kechuang.review.urls")),
    path("", include("kechuang.registration.urls")),
    path("", include("kechuang.statistics.urls")),
    path("", include("kechuang.publicity.urls")),
    path("", include("kechuang.audit.urls")),
    path("", include("kechuang.documents.urls")),
    path("api/v1/", include("kechuang.api.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEVTOOLS:
    urlpatterns.append(path("", include("kechuang.devtools.urls")))
