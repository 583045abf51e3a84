"""推荐汇总表: the filings a 主管部门 (or a unit that files straight to the province) passed to the province in a
period, with 序号 and what a provincial office needs, and a block for 经办人, 负责人, 日期 and 单位盖章.

"Passed to the province" is a 通过 whose 流转记录 goes from this organisation's stage into the province's stage;
a filing passed twice in the period (after a 退回 by the province came back) is listed once, at its last pass.
The period is a 申报批次 (the filings of that season), a span of days, or both. Ordered by the department's
推荐排序 (限额推荐), then by the time passed.
"""

from datetime import date, datetime, time, timedelta

from django import forms
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.models import Role
from kechuang.filings.models import Filing
from kechuang.filings.templatetags.filings_extras import industry_labels
from kechuang.review.forms import BAD_DATE, DateInput
from kechuang.review.models import FlowRecord
from kechuang.workflow.models import Action, ReviewerKind, Season

HEADER = (
    "序号",
    "推荐排序",
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
WIDTHS = (6, 8, 18, 30, 28, 16, 12, 24, 10, 14, 18, 18)
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
    season = forms.ModelChoiceField(
        label=_("申报批次"),
        queryset=Season.objects.select_related("business").order_by("-year", "business__name"),
        required=False,
        error_messages={"invalid_choice": _("请从列表中选择申报批次。")},
    )
    start = forms.DateField(
        label=_("推荐时间（起）"), required=False, widget=DateInput(), error_messages=BAD_DATE
    )
    end = forms.DateField(
        label=_("推荐时间（止）"), required=False, widget=DateInput(), error_messages=BAD_DATE
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if not cleaned.get("season") and not (start and end) and not self.errors:
            raise forms.ValidationError(_("请选择申报批次，或填写推荐时间的起止日期。"))
        if bool(start) != bool(end) and not self.errors:
            self.add_error("end" if start else "start", _("请同时填写起止日期。"))
        if start and end and start > end:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        if start and end and (end - start).days > 3 * 366:
            self.add_error("end", _("时间段最长三年。"))
        return cleaned


def period_form(params):
    """The period from the GET parameters; without any, this calendar year so far."""
    if not params.get("start") and not params.get("end") and not params.get("season"):
        today = timezone.localdate()
        params = {"start": date(today.year, 1, 1).isoformat(), "end": today.isoformat()}
    return PeriodForm(params)


def passed_filings(user, kind, season=None, start=None, end=None):
    """The filings of ``user``'s scope passed from a ``kind`` stage to the province: of ``season`` and/or
    passed within [start, end] (whole days)."""
    passes = FlowRecord.objects.filter(
        filing=OuterRef("pk"),
        action=Action.APPROVE,
        from_stage__reviewer_kind=kind,
        to_stage__reviewer_kind=ReviewerKind.PROVINCE,
    )
    if start and end:
        passes = passes.filter(
            created_at__gte=start_of(start), created_at__lt=start_of(end + timedelta(days=1))
        )
    filings = Filing.objects.visible_to(user)
    if season is not None:
        filings = filings.filter(season=season)
    return (
        filings.annotate(passed_at=Subquery(passes.order_by("-created_at", "-id").values("created_at")[:1]))
        .filter(passed_at__isnull=False)
        .select_related("cooperation_category", "stage", "unit")
        .order_by(F("recommend_rank").asc(nulls_last=True), "passed_at", "pk")
    )


def summary_row(index, filing):
    return (
        index,
        filing.recommend_rank or "",
        filing.number or "",
        filing.name,
        filing.unit_name or filing.unit.name,
        filing.cooperation_category.name if filing.cooperation_category_id else "",
        filing.main_country.name if filing.main_country else "",
        "、".join(industry_labels(filing.industries)),
        filing.owner_name,
        filing.owner_mobile,
        timezone.localtime(filing.passed_at).strftime("%Y-%m-%d %H:%M"),
        filing.stage_label,
    )


def _day(value):
    chinese = (translation.get_language() or "").startswith("zh")
    return f"{value:%Y年%m月%d日}" if chinese else f"{value:%Y-%m-%d}"


def title(user, season=None, start=None, end=None):
    """The table's title: Chinese in the Excel and PDF (rendered under official.chinese), the page's language on
    the 推荐汇总表 page."""
    parts = [str(season)] if season is not None else []
    if start and end:
        parts.append(gettext("%(start)s至%(end)s") % {"start": _day(start), "end": _day(end)})
    return gettext("%(organisation)s推荐汇总表（%(period)s）") % {
        "organisation": organisation_name(user),
        "period": pgettext("title parts", "，").join(parts),
    }


def period_of(form):
    data = form.cleaned_data
    return {"season": data.get("season"), "start": data.get("start"), "end": data.get("end")}
