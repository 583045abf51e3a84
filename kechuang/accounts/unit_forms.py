"""Forms of 单位管理 (U1). They check the shape of the input; the rules that need the database (uniqueness,
one pending change) live in accounts.services, whose UnitChangeError the views attach to the named field."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Unit
from .validators import validate_credit_code

PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")
POSTCODE_RE = re.compile(r"^\d{6}$")


class RegistrationForm(forms.Form):
    """修改注册信息: the data that only takes effect after a system administrator approves it."""

    name = forms.CharField(label=_("单位名称"), max_length=100)
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=18,
        min_length=18,
        help_text=_("18位，由数字和大写字母组成。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    unit_type = forms.ChoiceField(label=_("单位类型"), choices=Unit.Type.choices)

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"].strip().upper()
        validate_credit_code(code)
        return code


class ContactsForm(forms.Form):
    """修改基本信息: contacts and address, effective at once."""

    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    contact_phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        help_text=_("手机号码或固定电话，如 13800000000 或 0451-86400000。"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    contact_email = forms.EmailField(
        label=_("电子邮箱"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("请输入有效的电子邮箱地址，如 name@example.com。")},
    )
    address = forms.CharField(label=_("通讯地址"), max_length=200)
    postcode = forms.CharField(
        label=_("邮政编码"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )

    def clean_contact_name(self):
        return self.cleaned_data["contact_name"].strip()

    def clean_contact_phone(self):
        phone = self.cleaned_data["contact_phone"].strip().replace(" ", "")
        if not PHONE_RE.match(phone):
            raise ValidationError(
                _("请输入正确的联系电话：11位手机号码，或带区号的固定电话（如 0451-86400000）。"),
                code="phone",
            )
        return phone

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip()
        if postcode and not POSTCODE_RE.match(postcode):
            raise ValidationError(_("邮政编码应为6位数字。"), code="postcode")
        return postcode


class RefuseForm(forms.Form):
    """The system administrator's reason for 驳回所选变更 (shown to the unit administrator)."""

    reason = forms.CharField(
        label=_("审核意见"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("驳回原因将显示在单位管理员的单位管理页面。"),
        error_messages={"required": _("请填写驳回原因。")},
    )
