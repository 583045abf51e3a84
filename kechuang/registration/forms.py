"""Forms of 单位注册, 个人注册, 转入申请, 申请修改身份信息, 人员管理 and 忘记密码. They check the shape of the input;
rules that need the database for a decision (uniqueness races, one pending request) live in services.py."""

import contextlib
import uuid

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.models import Department, Gender, IdType, Region, Unit, User
from kechuang.accounts.unit_forms import ContactsForm
from kechuang.accounts.validators import (
    id_birth_date,
    validate_credit_code,
    validate_id_number,
    validate_mobile,
)
from kechuang.forms import PLEASE_CHOOSE

from .services import gender_from_id

UNIT_SEARCH_LIMIT = 20


def search_units(query):
    """Approved units whose name contains ``query`` or whose 统一社会信用代码 is ``query`` (at most 20)."""
    query = str(query or "").replace("\x00", "").strip()[:100]  # PostgreSQL text cannot hold NUL
    if not query:
        return []
    return list(
        Unit.objects.filter(Q(name__icontains=query) | Q(credit_code=query.upper()))
        .order_by("name")
        .only("public_id", "name", "credit_code")[:UNIT_SEARCH_LIMIT]
    )


class PasswordFields(forms.Form):
    """账号, 密码 and 确认密码 under the project's password rules (AUTH_PASSWORD_VALIDATORS)."""

    username = forms.CharField(
        label=_("账号"),
        max_length=30,
        min_length=4,
        help_text=_("4–30位字母、数字或下划线，登录时使用。"),
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password1 = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html,
    )
    password2 = forms.CharField(
        label=_("确认密码"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not all(c.isascii() and (c.isalnum() or c == "_") for c in username):
            raise ValidationError(_("账号只能包含字母、数字和下划线。"), code="username")
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("该账号已被使用，请换一个账号。"), code="taken")
        return username

    def password_user(self):
        """An unsaved user carrying what the password must not resemble."""
        return User(username=self.cleaned_data.get("username", ""), email=self.cleaned_data.get("email", ""))

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif first:
            try:
                password_validation.validate_password(first, self.password_user())
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class UnitFields(forms.Form):
    """The unit's registration and contact data, shared by 单位注册 and its correction after 退回."""

    name = forms.CharField(label=_("单位名称"), max_length=100)
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=18,
        min_length=18,
        help_text=_("18位，由数字和大写字母组成，见营业执照或事业单位法人证书。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    unit_type = forms.ChoiceField(label=_("单位类型"), choices=[("", "---------"), *Unit.Type.choices])
    region = forms.ChoiceField(label=_("所在地市"), choices=[("", "---------"), *Region.choices])
    department = forms.ModelChoiceField(
        label=_("主管部门"),
        queryset=Department.objects.filter(kind=Department.Kind.COMPETENT).order_by("name"),
        error_messages={"invalid_choice": _("请选择列表中的主管部门。")},
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    contact_phone = ContactsForm.base_fields["contact_phone"]
    email = forms.EmailField(
        label=_("电子邮箱"),
        help_text=_("审核结果将发送到该邮箱，找回密码也使用该邮箱。"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("请输入有效的电子邮箱地址，如 name@example.com。")},
    )
    certificate = forms.FileField(
        label=_("单位登记证明"),
        help_text=_("营业执照或事业单位法人证书的扫描件，PDF格式，大小限制10M以内。"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": _("请上传单位登记证明（PDF格式）。")},
    )

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_contact_name(self):
        return self.cleaned_data["contact_name"].strip()

    clean_contact_phone = ContactsForm.clean_contact_phone

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"].strip().upper()
        validate_credit_code(code)
        return code


class UnitRegistrationForm(UnitFields, PasswordFields):
    field_order = [
        "name",
        "credit_code",
        "unit_type",
        "region",
        "department",
        "contact_name",
        "contact_phone",
        "email",
        "username",
        "password1",
        "password2",
        "certificate",
    ]


class UnitResubmitForm(UnitFields):
    """After 退回: the same data, corrected; a new 单位登记证明 only if it needs replacing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificate"].required = False
        self.fields["certificate"].help_text = _(
            "如需更换单位登记证明，请上传新的PDF文件；不上传则保留原文件。"
        )


class UnitChoiceMixin:
    """依托单位: a search box, a 查询 button and a select of the approved units found — works without JavaScript.

    The select's value is the unit's opaque public id; an id that names no approved unit (forged, or a unit since
    removed) is refused."""

    def setup_unit_choices(self):
        data = self.data if self.is_bound else self.initial
        query, selected = data.get("unit_query", ""), None
        with contextlib.suppress(ValueError):
            selected = Unit.objects.filter(public_id=uuid.UUID(str(data.get("unit", "")))).first()
        units = search_units(query)
        if selected is not None and selected not in units:
            units.insert(0, selected)
        choices = [("", PLEASE_CHOOSE)]
        choices += [(str(u.public_id), f"{u.name}（{u.credit_code}）") for u in units]
        self.fields["unit"].widget.choices = choices
        self.found_units = units

    def clean_unit(self):
        value = self.cleaned_data["unit"]
        try:
            public_id = uuid.UUID(value)
        except (ValueError, AttributeError):
            public_id = None
        unit = Unit.objects.filter(public_id=public_id).first() if public_id else None
        if unit is None:
            raise ValidationError(
                _("请选择有效的依托单位：输入单位名称或统一社会信用代码，点击“查询”后从列表中选择。"),
                code="unit",
            )
        return unit


def unit_fields():
    return {
        "unit_query": forms.CharField(
            label=_("依托单位查询"),
            required=False,
            max_length=100,
            help_text=_("输入单位名称中的文字或统一社会信用代码，点击“查询”后在“依托单位”中选择。"),
            widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        ),
        "unit": forms.CharField(
            label=_("依托单位"),
            widget=forms.Select(),
            error_messages={"required": _("请选择依托单位。")},
        ),
    }


class IdentityFields(forms.Form):
    """姓名, 证件类型, 证件号码: GB 11643 for a 身份证 (性别 and 出生日期 follow from the number)."""

    name = forms.CharField(
        label=_("姓名"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    id_type = forms.ChoiceField(label=_("证件类型"), choices=IdType.choices, initial=IdType.ID_CARD)
    id_number = forms.CharField(
        label=_("证件号码"),
        max_length=30,
        help_text=_("证件类型为身份证时，请填写18位公民身份号码，末位可以是X。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_id_number(self):
        return self.cleaned_data["id_number"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("id_type") == IdType.ID_CARD and cleaned.get("id_number"):
            try:
                validate_id_number(cleaned["id_number"])
            except ValidationError as error:
                self.add_error("id_number", error)
        return cleaned


class PersonRegistrationForm(UnitChoiceMixin, IdentityFields, PasswordFields):
    gender = forms.ChoiceField(
        label=_("性别"),
        required=False,
        choices=[("", "---------"), *Gender.choices],
        help_text=_("证件类型为身份证时由证件号码自动得出，可不填。"),
    )
    birth_date = forms.DateField(
        label=_("出生日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("证件类型为身份证时由证件号码自动得出，可不填。"),
    )
    mobile = forms.CharField(
        label=_("手机"),
        max_length=11,
        validators=[validate_mobile],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("电子邮箱"),
        help_text=_("找回密码时使用。"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("请输入有效的电子邮箱地址，如 name@example.com。")},
    )
    privacy = forms.BooleanField(
        label=_("我已阅读并同意《隐私政策》"),
        error_messages={"required": _("请阅读并同意《隐私政策》后再注册。")},
    )

    field_order = [
        "name",
        "id_type",
        "id_number",
        "gender",
        "birth_date",
        "mobile",
        "email",
        "unit_query",
        "unit",
        "username",
        "password1",
        "password2",
        "privacy",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(unit_fields())
        self.order_fields(self.field_order)
        self.setup_unit_choices()

    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("id_number")
        if cleaned.get("id_type") == IdType.ID_CARD and number and not self.has_error("id_number"):
            derived_birth, derived_gender = id_birth_date(number), gender_from_id(number)
            if cleaned.get("birth_date") and cleaned["birth_date"] != derived_birth:
                self.add_error("birth_date", _("出生日期与身份证号码不一致。"))
            if cleaned.get("gender") and cleaned["gender"] != derived_gender:
                self.add_error("gender", _("性别与身份证号码不一致。"))
            cleaned["birth_date"], cleaned["gender"] = derived_birth, derived_gender
        elif cleaned.get("id_type") and cleaned.get("id_type") != IdType.ID_CARD:
            if not cleaned.get("gender"):
                self.add_error("gender", _("请选择性别。"))
            if not cleaned.get("birth_date"):
                self.add_error("birth_date", _("请填写出生日期。"))
        return cleaned

    def password_user(self):
        user = super().password_user()
        user.name = self.cleaned_data.get("name", "")
        return user


class TransferForm(UnitChoiceMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(unit_fields())
        self.fields["unit"].label = _("转入单位")
        self.setup_unit_choices()


class IdentityChangeForm(IdentityFields):
    """申请修改身份信息: the new identity; the unit administrator decides."""


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("审核意见"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写原因。")},
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("审核意见"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ForgotPasswordForm(forms.Form):
    username = forms.CharField(
        label=_("账号"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    email = forms.EmailField(
        label=_("电子邮箱"),
        max_length=254,
        help_text=_("注册时登记的电子邮箱。"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("请输入有效的电子邮箱地址，如 name@example.com。")},
    )

    def clean_username(self):
        return self.cleaned_data["username"].strip()

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()
