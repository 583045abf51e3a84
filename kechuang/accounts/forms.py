"""Login (个人登录 / 法人登录, A3) and 个人信息 (U2) forms."""

import datetime

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import PersonStatus, Role, User


class LoginKind(models.TextChoices):
    """The two tabs of the login page. A unit administrator is a legal person (法人); everyone else personal."""

    PERSONAL = "personal", _("个人登录")
    LEGAL = "legal", _("法人登录")


def login_kind_for(user):
    """The only login tab through which this user may log in."""
    return LoginKind.LEGAL if user.role == Role.UNIT_ADMIN else LoginKind.PERSONAL


def parse_login_kind(value):
    return LoginKind(value) if value in LoginKind.values else LoginKind.PERSONAL


class LoginForm(AuthenticationForm):
    """Django's AuthenticationForm (so django-axes counts failures) plus the 个人/法人 tab rule."""

    username = UsernameField(
        label=_("账号"),
        max_length=150,  # refused as a field error before authentication (and before django-axes stores it)
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": _("账号或密码不正确，请重新输入（区分大小写）。"),
        "inactive": _("该账号已停用，请联系系统管理员。"),
        "wrong_tab_legal": _("单位管理员账号请在“法人登录”中登录。"),
        "wrong_tab_personal": _("该账号不是单位管理员账号，请在“个人登录”中登录。"),
        "unit_pending": _("单位注册正在审核中，审核结果将发送到注册时填写的电子邮箱。"),
    }

    def __init__(self, request=None, *args, kind=LoginKind.PERSONAL, **kwargs):
        self.kind = kind
        super().__init__(request, *args, **kwargs)

    def confirm_login_allowed(self, user):
        """Refuse the wrong tab before any login happens, telling the person which tab to use."""
        super().confirm_login_allowed(user)
        expected = login_kind_for(user)
        if expected != self.kind:
            raise ValidationError(self.error_messages[f"wrong_tab_{expected}"], code="wrong_tab")
        if user.role == Role.UNIT_ADMIN and not user.unit_id and user.person_status == PersonStatus.PENDING:
            # 单位注册 waiting for the competent department (kechuang.registration); after 退回 the applicant
            # logs in to correct and resubmit it.
            raise ValidationError(self.error_messages["unit_pending"], code="unit_pending")


class ProfileForm(forms.ModelForm):
    """个人信息: the F5 fields of one's own profile. Identity rules run in User.clean (validate_identity).

    姓名, 证件类型 and 证件号码 are fixed after registration: a change is requested (申请修改身份信息,
    kechuang.registration) and takes effect when the unit administrator approves it."""

    class Meta:
        model = User
        fields = [
            "gender",
            "position",
            "research_field",
            "mobile",
            "birth_date",
            "title",
            "education",
            "email",
            # 通知设置 (issue 14): the daily digest instead of one mail per arrival, and daily reminders at all.
            "mail_digest",
            "reminders_enabled",
        ]
        labels = {"email": _("电子邮箱")}
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "mobile": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
        }
        help_texts = {
            "id_number": _("证件类型为身份证时，请填写18位公民身份号码，末位可以是X。"),
            "mobile": _("11位手机号码。"),
        }

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        if value and not datetime.date(1900, 1, 1) <= value <= timezone.localdate():
            raise ValidationError(_("请填写真实的出生日期。"), code="birth_date")
        return value

    def clean(self):
        cleaned = super().clean()
        if self.has_error("birth_date"):
            # The refused date is not on the instance: don't compare the 身份证 number with the old saved one.
            self.instance.birth_date = None
        return cleaned
