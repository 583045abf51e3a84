from django.contrib.auth import views as auth_views
from django.urls import path

from . import second_factor, unit_urls, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("login/second-factor/", second_factor.verify, name="second_factor"),
    path("login/second-factor/enrol/", second_factor.enrol, name="second_factor_enrol"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("center/profile/", views.profile, name="profile"),
    path("center/password/", views.PasswordChangeView.as_view(), name="password_change"),
    *unit_urls.urlpatterns,
]
