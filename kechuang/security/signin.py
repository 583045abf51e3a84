"""Middleware for signed-in requests (docs/security.md).

``NoStoreMiddleware``  every response to a signed-in request carries ``Cache-Control: no-store``: a shared office
    computer's browser cache or a proxy must not keep a copy of anybody's filing, list or personal data.
``SecondFactorMiddleware``  the three administrators (and any staff or superuser account) reach nothing but the
    second-factor pages and 退出登录 until their session is verified by a TOTP device (django-otp's
    ``OTPMiddleware`` must run before it). Without a confirmed device they are sent to the enrolment page.
``PasswordChangeRequiredMiddleware``  an account whose password was set by an administrator or a reset
    (``must_change_password``) reaches only 修改密码 and 退出登录 until it has changed it.

They read only the session and ``request.user``; the URLs they allow are named in settings-free constants here.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

SECOND_FACTOR_VIEW = "accounts:second_factor"
SECOND_FACTOR_ENROL_VIEW = "accounts:second_factor_enrol"
LOGOUT_VIEWS = ("accounts:logout", "admin:logout")
SECOND_FACTOR_OPEN_VIEWS = (SECOND_FACTOR_VIEW, SECOND_FACTOR_ENROL_VIEW, *LOGOUT_VIEWS)
PASSWORD_CHANGE_VIEW = "accounts:password_change"
PASSWORD_CHANGE_OPEN_VIEWS = (PASSWORD_CHANGE_VIEW, "admin:password_change", *SECOND_FACTOR_OPEN_VIEWS)


def signed_in(request):
    """True when the request carries an authenticated session (without loading the user when it does not)."""
    session = getattr(request, "session", None)
    return session is not None and SESSION_KEY in session and request.user.is_authenticated


def view_name(request):
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""


def needs_second_factor(user):
    """The administrators (三员) and every account that can reach the admin site log in with two factors."""
    return bool(user.is_staff or user.is_superuser or getattr(user, "is_administrator", False))


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if signed_in(request):
            patch_cache_control(response, no_store=True, private=True)
        return response


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            getattr(settings, "OTP_REQUIRED_FOR_ADMINISTRATORS", True)
            and signed_in(request)
            and needs_second_factor(request.user)
            and not _is_verified(request.user)
            and view_name(request) not in SECOND_FACTOR_OPEN_VIEWS
        ):
            return redirect(SECOND_FACTOR_VIEW)
        return self.get_response(request)


def _is_verified(user):
    check = getattr(user, "is_verified", None)
    return bool(check and check())


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            signed_in(request)
            and getattr(request.user, "must_change_password", False)
            and view_name(request) not in PASSWORD_CHANGE_OPEN_VIEWS
        ):
            if request.method == "GET":
                messages.warning(request, _("您的密码由管理员设置或经过重置，请先修改密码后再继续使用。"))
            return redirect(PASSWORD_CHANGE_VIEW)
        return self.get_response(request)
