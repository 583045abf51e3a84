"""忘记密码: account + registered email → a signed, single-use link valid PASSWORD_RESET_TIMEOUT (30 minutes).

The answer is the same whether or not the account exists (no account enumeration), and requests are throttled
per client address, per account name and per email address — counted whether or not they match an account.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from kechuang.accounts.models import User
from kechuang.audit.models import EventKind
from kechuang.audit.recorder import record
from kechuang.security.clientip import client_ip
from kechuang.security.ratelimit import hit

from .forms import ForgotPasswordForm
from .services import send_password_reset

TOO_MANY = gettext_lazy("找回密码的请求过于频繁，请稍后再试。")


def _limits():
    window = getattr(settings, "PASSWORD_RESET_THROTTLE_WINDOW", 3600)
    return (
        ("reset-address", getattr(settings, "PASSWORD_RESET_PER_ADDRESS", 10), window),
        ("reset-account", getattr(settings, "PASSWORD_RESET_PER_ACCOUNT", 3), window),
        ("reset-email", getattr(settings, "PASSWORD_RESET_PER_EMAIL", 3), window),
    )


def _allowed(request, username, email):
    keys = (client_ip(request) or "unknown", username.lower(), email)
    # Every counter counts the request, so one that is already spent cannot be reset by varying the others.
    results = [
        hit(scope, key, limit, window) for (scope, limit, window), key in zip(_limits(), keys, strict=True)
    ]
    return all(results)


@require_http_methods(["GET", "HEAD", "POST"])
def forgot(request):
    if request.method != "POST":
        return render(request, "registration/forgot.html", {"form": ForgotPasswordForm()})
    form = ForgotPasswordForm(request.POST)
    if not form.is_valid():
        return render(request, "registration/forgot.html", {"form": form}, status=400)
    username, email = form.cleaned_data["username"], form.cleaned_data["email"]
    if not _allowed(request, username, email):
        response = render(
            request, "registration/forgot.html", {"form": form, "throttled": TOO_MANY}, status=429
        )
        response["Retry-After"] = str(_limits()[0][2])
        return response
    person = User.objects.filter(username=username, email__iexact=email, is_active=True).first()
    with transaction.atomic():
        if person is not None and person.has_usable_password():
            send_password_reset(person, request)
        record(
            EventKind.PASSWORD_RESET,
            request,
            user=person,
            username=username,
            action="requested",
            matched=bool(person),
        )
    return redirect("registration:password_forgot_sent")


@require_safe
def forgot_sent(request):
    return render(request, "registration/forgot_sent.html")


@method_decorator(require_http_methods(["GET", "HEAD", "POST"]), name="dispatch")
class ResetView(auth_views.PasswordResetConfirmView):
    """Django's view: checks the token (signed, expires, single-use because it covers the password hash), then
    lets the person choose a new password under the project's password rules."""

    template_name = "registration/reset.html"
    success_url = reverse_lazy("registration:password_reset_done")
    post_reset_login = False

    def form_valid(self, form):
        response = super().form_valid(form)
        if getattr(self.user, "must_change_password", False):
            # The person has just chosen this password themselves, through the single-use link.
            User.objects.filter(pk=self.user.pk).update(must_change_password=False)
        record(EventKind.PASSWORD_RESET, self.request, user=self.user, action="completed")
        return response

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


@require_safe
def reset_done(request):
    return render(request, "registration/reset_done.html")
