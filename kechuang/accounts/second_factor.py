"""Second factor (TOTP, django-otp) for the three administrators (三员, 等保2.0 身份鉴别: two factors).

After the password, ``kechuang.security.signin.SecondFactorMiddleware`` keeps an administrator's session on these
two pages until it is verified:

* 二次验证 (``second_factor``): the 6-digit code of the confirmed authenticator app. Wrong codes are throttled by
  django-otp (the device refuses codes for a doubling delay) and every attempt is in the audit log.
* 绑定身份验证器 (``second_factor_enrol``), for an administrator without a confirmed device: a new secret, shown
  once as a QR code and as text; it becomes the account's device only when a code from it is entered. Showing the
  page again replaces the unconfirmed secret, so each secret is displayed exactly once. A confirmed device is
  never shown again; a lost one is deleted by the 安全管理员 (admin action, audited), and the administrator enrols
  anew at the next login.
"""

import base64

import django_otp
import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from kechuang.audit.models import EventKind
from kechuang.audit.recorder import record
from kechuang.security.signin import needs_second_factor

DEVICE_NAME = "TOTP"


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=gettext_lazy("动态口令"),
        regex=r"^\d{6}$",
        max_length=6,
        strip=True,
        error_messages={"invalid": gettext_lazy("请输入身份验证器显示的6位数字。")},
        help_text=gettext_lazy("打开手机上的身份验证器应用，输入当前显示的6位数字。"),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )


def confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def _landing(request):
    return reverse("admin:index") if request.user.is_staff else reverse("portal:center")


def _verified(request, device):
    django_otp.login(request, device)
    request.session.cycle_key()  # a new session key once the second factor is in


def _gate(request):
    """A redirect when this page is not for this session now, else None."""
    if not needs_second_factor(request.user):
        return redirect("portal:center")
    if request.user.is_verified():
        return redirect(_landing(request))
    return None


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def verify(request):
    refusal = _gate(request)
    if refusal:
        return refusal
    device = confirmed_device(request.user)
    if device is None:
        return redirect("accounts:second_factor_enrol")
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            allowed, _why = device.verify_is_allowed()
            if not allowed:
                form.add_error("token", _("动态口令错误次数过多，请稍后再试。"))
                record(EventKind.SECOND_FACTOR, request=request, outcome="throttled")
            elif device.verify_token(form.cleaned_data["token"]):
                record(EventKind.SECOND_FACTOR, request=request, outcome="verified")
                _verified(request, device)
                return redirect(_landing(request))
            else:
                form.add_error("token", _("动态口令不正确或已过期，请重新输入。"))
                record(EventKind.SECOND_FACTOR, request=request, outcome="failed")
    return render(request, "accounts/second_factor.html", {"form": form}, status=status)


def qr_data_uri(url):
    """The otpauth:// URL as an SVG QR code in a data: URI (the CSP allows data: images; nothing inline runs)."""
    svg = segno.make(url, error="m").svg_inline(scale=5, border=2, omitsize=False)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def key_text(device):
    """The secret in base32, in groups of four, for typing into an authenticator app by hand."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def enrol(request):
    refusal = _gate(request)
    if refusal:
        return refusal
    user = request.user
    if confirmed_device(user) is not None:
        return redirect("accounts:second_factor")
    if request.method == "POST":
        form = TokenForm(request.POST)
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
        if device is None:
            return redirect("accounts:second_factor_enrol")
        if form.is_valid() and not device.verify_is_allowed()[0]:
            form.add_error("token", _("动态口令错误次数过多，请稍后再试。"))
            record(EventKind.SECOND_FACTOR, request=request, outcome="throttled")
        elif form.is_valid():
            if device.verify_token(form.cleaned_data["token"]):
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=user, confirmed=False).delete()
                record(
                    EventKind.SECOND_FACTOR, request=request, outcome="enrolled", device=device.persistent_id
                )
                _verified(request, device)
                return redirect(_landing(request))
            form.add_error("token", _("动态口令不正确，请确认身份验证器已扫描本页的二维码后重试。"))
            record(EventKind.SECOND_FACTOR, request=request, outcome="enrol_failed")
        # The secret is not shown again: a failed confirmation asks for a new one.
        return render(request, "accounts/second_factor_enrol.html", {"form": form, "retry": True}, status=400)
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    context = {
        "form": TokenForm(),
        "qr": qr_data_uri(device.config_url),
        "key": key_text(device),
    }
    return render(request, "accounts/second_factor_enrol.html", context)


def reset_devices(user, actor, request=None):
    """The 安全管理员's recovery for a lost authenticator: delete the account's devices, audited."""
    deleted, _rows = TOTPDevice.objects.filter(user=user).delete()
    record(
        EventKind.SECOND_FACTOR,
        request=request,
        user=actor,
        outcome="reset",
        account=user.get_username(),
        devices=deleted,
    )
    return deleted
