"""Forms of the reviewer screens: the list filter (W3), the decision (W4) and 直接不通过 (W5)."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kechuang.filings.models import Status
from kechuang.forms import VersionField
from kechuang.workflow import days
from kechuang.workflow.models import Stage, data_label, stage_label

OPINION_MAX_LENGTH = 1000
OPINION_REQUIRED = _("请填写审核意见。")
TOO_LONG = {"max_length": _("最多输入%(limit_value)d个字。")}
BAD_DATE = {"invalid": _("请输入有效的日期，格式为：年-月-日，例如 2026-01-31。")}


def stage_choices():
    """流程阶段 options, labelled as the list shows them: 平台：填报中, 平台：<each stage name>, 平台：完成 …

    Stages are data (W1), so their names come from the Stage table (one query); equal names of different
    businesses are one option.
    """
    names = list(dict.fromkeys(Stage.objects.order_by("order", "business_id").values_list("name", flat=True)))
    return [
        ("", _("全部")),
        (Status.DRAFT.value, stage_label(Status.DRAFT.label)),
        *((f"stage:{name}", stage_label(data_label(name))) for name in names),
        *((s.value, stage_label(s.label)) for s in (Status.RETURNED, Status.REJECTED, Status.DONE)),
    ]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class ReviewFilterForm(forms.Form):
    """The GET filter above both review lists. Invalid values are reported next to the field (HTTP 400)."""

    name = forms.CharField(label=_("平台名称"), required=False, max_length=100, error_messages=TOO_LONG)
    unit = forms.CharField(label=_("依托单位"), required=False, max_length=100, error_messages=TOO_LONG)
    stage = forms.ChoiceField(
        label=_("流程阶段"), required=False, error_messages={"invalid_choice": _("请从列表中选择流程阶段。")}
    )
    submitted_from = forms.DateField(
        label=_("上报时间（起）"), required=False, widget=DateInput(), error_messages=BAD_DATE
    )
    submitted_to = forms.DateField(
        label=_("上报时间（止）"), required=False, widget=DateInput(), error_messages=BAD_DATE
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = stage_choices()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("submitted_from"), cleaned.get("submitted_to")
        if start and end and start > end:
            self.add_error("submitted_to", _("结束日期不能早于开始日期。"))
        return cleaned

    def filter(self, queryset):
        """Narrow ``queryset`` by the valid values; call only after is_valid()."""
        data = self.cleaned_data
        if data["name"]:
            queryset = queryset.filter(name__icontains=data["name"].strip())
        if data["unit"]:
            unit = data["unit"].strip()
            queryset = queryset.filter(Q(unit_name__icontains=unit) | Q(unit__name__icontains=unit))
        stage = data["stage"]
        if stage.startswith("stage:"):
            queryset = queryset.filter(status=Status.IN_REVIEW, stage__name=stage.removeprefix("stage:"))
        elif stage:
            queryset = queryset.filter(status=stage)
        # Whole local days as bounds on the column itself, so its index serves them (``__date`` can't use it).
        if data["submitted_from"]:
            queryset = queryset.filter(submitted_at__gte=days.start_of(data["submitted_from"]))
        if data["submitted_to"]:
            queryset = queryset.filter(submitted_at__lt=days.end_of(data["submitted_to"]))
        return queryset


class DecisionForm(forms.Form):
    """审核 (W4): 通过 or 退回, with 审核意见 required for 退回; ``version`` is the state the reviewer saw."""

    APPROVE = "approve"
    RETURN = "return"

    decision = forms.ChoiceField(
        label=_("审核结果"),
        choices=[(APPROVE, _("通过")), (RETURN, _("退回"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择“通过”或“退回”。")},
    )
    opinion = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=OPINION_MAX_LENGTH,
        error_messages=TOO_LONG,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("退回时必填，通过时选填；最多1000字。"),
    )
    version = VersionField()

    def clean(self):
        cleaned = super().clean()
        cleaned["opinion"] = (cleaned.get("opinion") or "").strip()
        if cleaned.get("decision") == self.RETURN and not cleaned["opinion"]:
            self.add_error("opinion", OPINION_REQUIRED)
        return cleaned


class RejectForm(forms.Form):
    """直接不通过 (W5): final, so the opinion is always required."""

    opinion = forms.CharField(
        label=_("审核意见"),
        max_length=OPINION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": OPINION_REQUIRED, **TOO_LONG},
        help_text=_("直接不通过后该平台备案不能再次上报；最多1000字。"),
    )
    version = VersionField()


class VersionForm(forms.Form):
    """The state the applicant saw when pressing 撤销 (optional: a missing version skips the check)."""

    version = VersionField(required=False)
