"""Login (A3) and 个人信息 (U2). 单位管理 lives in unit_views; the personal center in portal/center.py."""

import copy
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import i18n
from django.views.decorators.http import require_http_methods, require_POST

from kechuang.audit.models import EventKind
from kechuang.audit.recorder import record
from kechuang.security import login_throttle

from . import services
from .forms import LoginForm, LoginKind, ProfileForm, parse_login_kind

LOCKOUT_MESSAGE = gettext_lazy("登录失败次数过多，账号已临时锁定，请15分钟后再试或联系系统管理员解锁。")


def login_tabs(request, kind):
    """个人登录 / 法人登录 as links-as-tabs, keeping a ?next= target across the switch."""
    next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    tabs = []
    for choice in LoginKind:
        query = {"kind": choice.value}
        if next_url:
            query[REDIRECT_FIELD_NAME] = next_url
        tabs.append({"label": choice.label, "query": urlencode(query), "current": choice == kind})
    return tabs


class LoginView(auth_views.LoginView):
    """Django's LoginView (safe ?next=, session rotation) with the two tabs and HTTP 400 on refusal."""

    template_name = "accounts/login.html"
    form_class = LoginForm
    http_method_names = ["get", "head", "post"]  # FormView would treat PUT as POST

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.kind = parse_login_kind(request.GET.get("kind"))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kind": self.kind}

    def get_context_data(self, **kwargs):
        return super().get_context_data(kind=self.kind, tabs=login_tabs(self.request, self.kind), **kwargs)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


def is_safe_next(request, url):
    return url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def lockout(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login page again, with the lockout message, as HTTP 429."""
    kind = parse_login_kind(request.GET.get("kind"))
    next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    context = {
        "form": LoginForm(request, kind=kind),
        "kind": kind,
        "tabs": login_tabs(request, kind),
        "lockout_message": LOCKOUT_MESSAGE,
        REDIRECT_FIELD_NAME: next_url if is_safe_next(request, next_url) else "",
    }
    return render(request, "accounts/login.html", context, status=429)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def profile(request):
    """个人信息 (U2). The form edits a copy, so a refused input never shows up in the header as if saved."""
    person = copy.copy(request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=person)
        if form.is_valid():
            form.instance.save(update_fields=ProfileForm.Meta.fields)
            if form.changed_data:  # which fields, not their values: the log holds no personal data
                record(EventKind.PROFILE_CHANGED, request=request, fields=form.changed_data)
            messages.success(request, _("保存成功"))
            return redirect("accounts:profile")
        status = 400
    else:
        form = ProfileForm(instance=person)
        status = 200
    return render(request, "accounts/profile.html", {"form": form, "menu_current": "profile"}, status=status)


class PasswordChangeView(auth_views.PasswordChangeView):
    """修改密码: Django's view (keeps the session valid after the change), Chinese template, 400 on errors."""

    template_name = "accounts/password_change.html"
    http_method_names = ["get", "head", "post"]
    success_url = reverse_lazy("accounts:profile")
    extra_context = {"menu_current": "profile"}

    throttle_window = 15 * 60

    def post(self, request, *args, **kwargs):
        # The old-password check is a password oracle for whoever holds a session: limited per account.
        if login_throttle.password_check_refused(request.user.pk):
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, _("原密码错误的尝试次数过多，请15分钟后再试。"))
            record(EventKind.LOGIN_THROTTLED, request=request, scope="password_change")
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(self.throttle_window)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        form.user.must_change_password = False
        response = super().form_valid(form)  # saves the user (with the flag) and keeps the session
        record(EventKind.PASSWORD_CHANGED, request=self.request)
        messages.success(self.request, _("密码修改成功"))
        return response

    def form_invalid(self, form):
        if form.has_error("old_password", "password_incorrect"):
            login_throttle.note_password_check_failure(self.request.user.pk, self.throttle_window)
            record(EventKind.LOGIN_FAILED, request=self.request, scope="password_change")
        return self.render_to_response(self.get_context_data(form=form), status=400)


@require_POST
def set_language(request):
    """中文 | English (the header's switch): Django's set_language sets the cookie and redirects to ``next``; a
    signed-in person's choice is also kept on the account (AccountLanguageMiddleware applies it after login)."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):  # Django would accept any language it has a catalogue for
        return redirect("portal:home")
    response = i18n.set_language(request)
    if request.user.is_authenticated:
        services.remember_language(request.user, language)
    return response
