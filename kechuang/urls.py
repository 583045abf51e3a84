from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("kechuang.portal.urls")),
    path("", include("kechuang.accounts.urls")),
    path("", include("kechuang.filings.urls")),
    path("", include("kechuang.review.urls")),
    path("admin/", admin.site.urls),
]
