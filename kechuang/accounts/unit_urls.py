"""单位管理 URLs (U1), included by accounts/urls.py under the `accounts` namespace."""

from django.urls import path
from django.views.generic import TemplateView

# Placeholder until the 单位管理 views land (issue 5); the name `unit` is the contract the menu uses.
urlpatterns = [
    path("center/unit/", TemplateView.as_view(template_name="center.html"), name="unit"),
]
