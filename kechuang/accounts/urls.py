from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import TemplateView

from . import unit_urls

app_name = "accounts"
# Placeholders until the accounts views land (issue 2); names are the contract the templates use.
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="base.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("center/", TemplateView.as_view(template_name="center.html"), name="center"),
    path("center/profile/", TemplateView.as_view(template_name="center.html"), name="profile"),
    *unit_urls.urlpatterns,
]
