"""推荐汇总表: the filings a 主管部门 (or a unit that files straight to the province) passed to the province in a
period, with 序号 and what a provincial office needs, and a block for 经办人, 负责人, 日期 and 单位盖章.

"Passed to the province" is a 通过 whose 流转记录 goes from this organisation's stage into the province's stage;
a filing passed twice in the period (after a 退回 by the province came back) is listed once, at its last pass.
Ordered by the time passed (the department's 推荐排序 replaces this once it exists).
"""

from datetime import date, datetime, time, timedelta

from django import forms
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.models import Role
from kechuang.filings.models import Filing
from kechuang.filings.templatetags.filings_extras import industry_labels
from kechuang.review.forms import BAD_DATE, DateInput
from kechuang.review.models import FlowRecord
from kechuang.workflow.models import Action, ReviewerKind

HEADER = (
    "序号",
    "备案编号",
    "平台名称",
    "依托单位",
    "合作类别",
    "主要合作国别",
    "所属产业领域",
    "负责人",
    "联系电话",
    "推荐时间",
    "当前流程阶段",
)
WIDTHS = (6, 18, 30, 28, 16, 12, 24, 10, 14, 18, 18)
SIGNATURE = ("经办人：", "负责人：", "日期：", "单位盖章：")


def start_of(day):
    """Midnight at the start of ``day`` in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def recommending_kind(user):
    """The stage whose 通过 is this person's organisation passing a filing to the province, or None."""
    if user.role == Role.DEPARTMENT_REVIEWER and user.department_id:
        return ReviewerKind.DEPARTMENT
    if user.role == Role.UNIT_ADMIN and user.unit_id and user.unit.skip_department_review:
        return ReviewerKind.UNIT_ADMIN
    return None


def organisation_name(user):
    return user.department.name if user.role == Role.DEPARTMENT_REVIEWER else user.unit.name


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("推荐时间（起）"), widget=DateInput(), error_messages=BAD_DATE)
    end = forms.DateField(label=_("推荐时间（止）"), widget=DateInput(), error_messages=BAD_DATE)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        if start and end and (end - start).days > 3 * 366:
            self.add_error("end", _("时间段最长三年。"))
        return cleaned


def period_form(params):
    """The period from the GET parameters; without any, this calendar year so far."""
    if not params.get("start") and not params.get("end"):
        today = timezone.localdate()
        params = {"start": date(today.year, 1, 1).isoformat(), "end": today.isoformat()}
    return PeriodForm(params)


def passed_filings(user, kind, start, end):
    """The filings of ``user``'s scope passed from a ``kind`` stage to the province in [start, end] (days)."""
    passes = FlowRecord.objects.filter(
        filing=OuterRef("pk"),
        action=Action.APPROVE,
        from_stage__reviewer_kind=kind,
        to_stage__reviewer_kind=ReviewerKind.PROVINCE,
        created_at__gte=start_of(start),
        created_at__lt=start_of(end + timedelta(days=1)),
    ).order_by("-created_at", "-id")
    return (
        Filing.objects.visible_to(user)
        .annotate(passed_at=Subquery(passes.values("created_at")[:1]))
        .filter(passed_at__isnull=False)
        .select_related("cooperation_category", "stage", "unit")
        .order_by("passed_at", "pk")
    )


def summary_row(index, filing):
    return (
        index,
        filing.number or "",
        filing.name,
        filing.unit_name or filing.unit.name,
        filing.cooperation_category.name if filing.cooperation_category_id else "",
        filing.main_country.name if filing.main_country else "",
        "、".join(industry_labels(filing.industries)),
        filing.leader_name,
        filing.leader_mobile,
        timezone.localtime(filing.passed_at).strftime("%Y-%m-%d %H:%M"),
        filing.stage_label,
    )


def title(user, start, end):
    return f"{organisation_name(user)}推荐汇总表（{start:%Y年%m月%d日}至{end:%Y年%m月%d日}）"
