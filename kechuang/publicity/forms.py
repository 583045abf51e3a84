from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from kechuang.filings.models import Filing, Status
from kechuang.forms import PLEASE_CHOOSE, VersionField

from .models import ObjectionStatus

PHONE = RegexValidator(r"^[0-9+\-() ]{7,20}$", _("请输入有效的联系电话（手机或座机号码）。"))
CONTENT_MAX_LENGTH = 2000
REPLY_MAX_LENGTH = 1000


class ObjectionForm(forms.Form):
    """提出异议 (实名). ``filing`` offers only the batch's own filings."""

    filing = forms.ChoiceField(
        label=_("异议平台"),
        error_messages={
            "required": _("请选择提出异议的平台。"),
            "invalid_choice": _("请选择本批公示中的平台。"),
        },
    )
    name = forms.CharField(
        label=_("姓名"), max_length=50, error_messages={"required": _("请填写姓名（实名提出异议）。")}
    )
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=20,
        validators=[PHONE],
        error_messages={"required": _("请填写联系电话。")},
        help_text=_("仅供省科技厅核实异议使用，不会公开。"),
    )
    email = forms.EmailField(
        label=_("电子邮箱"),
        required=False,
        help_text=_("选填：填写后，处理结果将发送到该邮箱。"),
        error_messages={"invalid": _("请输入有效的电子邮箱地址。")},
    )
    content = forms.CharField(
        label=_("异议内容"),
        max_length=CONTENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("请填写异议内容。"),
            "max_length": _("异议内容最多%(limit_value)d字。"),
        },
        help_text=_("请写明异议的事实和理由；最多2000字。"),
    )
    file = forms.FileField(
        label=_("证明材料（PDF）"),
        required=False,
        help_text=_("选填：PDF格式，大小限制10M以内。"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["filing"].choices = [("", PLEASE_CHOOSE)] + [(str(f.public_id), f.name) for f in entries]
        self._entries = {str(f.public_id): f for f in entries}

    def clean_filing(self):
        return self._entries[self.cleaned_data["filing"]]

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_content(self):
        return self.cleaned_data["content"].strip()


class BatchForm(forms.Form):
    """发布公示: title, 公示期, and completed filings (平台：完成) chosen from the province's list."""

    title = forms.CharField(
        label=_("公示标题"), max_length=200, error_messages={"required": _("请填写公示标题。")}
    )
    start_on = forms.DateField(
        label=_("公示期开始"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("请填写公示期开始日期。"), "invalid": _("请输入有效的日期。")},
    )
    end_on = forms.DateField(
        label=_("公示期结束"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("请填写公示期结束日期。"), "invalid": _("请输入有效的日期。")},
    )
    filings = forms.ModelMultipleChoiceField(
        label=_("公示平台"),
        queryset=Filing.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        to_field_name="public_id",
        error_messages={
            "required": _("请至少选择一个已完成的平台。"),
            "invalid_choice": _("只能选择已完成（平台：完成）的平台。"),
            "invalid_pk_value": _("只能选择已完成（平台：完成）的平台。"),
        },
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["filings"].queryset = (
            Filing.objects.visible_to(user).filter(status=Status.DONE).only("public_id", "name", "unit_name")
        )
        self.fields["filings"].label_from_instance = lambda f: f"{f.name}（{f.unit_name}）"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_on"), cleaned.get("end_on")
        if start and end and end < start:
            self.add_error("end_on", _("公示期结束日期不能早于开始日期。"))
        return cleaned


class HandleForm(forms.Form):
    """受理 / 不予受理, with a reply to the objector."""

    decision = forms.ChoiceField(
        label=_("处理结果"),
        choices=[(ObjectionStatus.ACCEPTED, _("受理")), (ObjectionStatus.REFUSED, _("不予受理"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择“受理”或“不予受理”。")},
    )
    reply = forms.CharField(
        label=_("答复意见"),
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("请填写答复意见。"),
            "max_length": _("答复意见最多%(limit_value)d字。"),
        },
    )

    def clean_reply(self):
        reply = self.cleaned_data["reply"].strip()
        if not reply:
            raise forms.ValidationError(_("请填写答复意见。"))
        return reply


class SendBackForm(forms.Form):
    """公示退回: the opinion is required (it goes into the 流转记录 and to the applicant)."""

    opinion = forms.CharField(
        label=_("审核意见"),
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("请填写审核意见。"),
            "max_length": _("审核意见最多%(limit_value)d字。"),
        },
    )
    version = VersionField()
