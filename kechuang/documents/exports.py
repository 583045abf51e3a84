"""导出Excel of the reviewer lists (待审核平台 / 所有平台) with the list's own scope, filters and sort.

The rows come from review.views.list_queryset, the function the list page itself uses, so an export can never
hold more (or other) filings than the reviewer sees. Queries are constant in the number of rows: one COUNT and
one SELECT (with its joins and the last-decision subquery) read in chunks.
"""

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from kechuang.filings.templatetags.filings_extras import country_names, industry_labels
from kechuang.review.models import FlowRecord
from kechuang.review.views import list_queryset
from kechuang.workflow.models import Action

from .excel import Sheet
from .official import chinese

HEADER = (
    "序号",
    "备案编号",
    "平台名称",
    "业务",
    "合作类别",
    "主要合作国别",
    "第二关键国别",
    "其他国别",
    "所属产业领域",
    "平台地址",
    "成立时间",
    "平台联系人",
    "联系电话",
    "依托单位",
    "主管部门",
    "负责人",
    "负责人手机",
    "流程阶段",
    "首次上报时间",
    "上报时间",
    "最近审核时间",
)
WIDTHS = (6, 18, 30, 20, 16, 12, 12, 20, 24, 30, 12, 12, 16, 28, 20, 10, 14, 18, 18, 18, 18)
DECISIONS = (Action.APPROVE, Action.RETURN, Action.REJECT)
# Only what a row shows: the long 内容说明 texts and the snapshots' other fields stay in the database.
ROW_FIELDS = (
    "number",
    "name",
    "business__name",
    "cooperation_category__name",
    "main_country",
    "second_country",
    "other_countries",
    "industries",
    "address",
    "founded_on",
    "contact_name",
    "contact_phone",
    "unit_name",
    "unit__name",
    "unit__department__name",
    "owner_name",
    "owner_mobile",
    "status",
    "stage__name",
    "first_submitted_at",
    "submitted_at",
)
CHUNK = 2000


def export_rows(user, params):
    """(tab, form, queryset) of the export: the list's rows with everything a row of the sheet needs."""
    tab, form, _filtered, _sort, queryset = list_queryset(user, params)
    last = FlowRecord.objects.filter(filing=OuterRef("pk"), action__in=DECISIONS).order_by(
        "-created_at", "-id"
    )
    rows = (
        queryset.select_related("business", "cooperation_category", "stage", "unit__department")
        .only(*ROW_FIELDS)
        .annotate(last_decision_at=Subquery(last.values("created_at")[:1]))
    )
    return tab, form, rows


def _time(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def filing_row(index, filing):
    return (
        index,
        filing.number or "",
        filing.name,
        filing.business.name,
        filing.cooperation_category.name if filing.cooperation_category_id else "",
        filing.main_country.name if filing.main_country else "",
        filing.second_country.name if filing.second_country else "",
        "、".join(country_names(filing.other_countries)),
        "、".join(industry_labels(filing.industries)),
        filing.address,
        filing.founded_on.isoformat() if filing.founded_on else "",
        filing.contact_name,
        filing.contact_phone,
        filing.unit_name or filing.unit.name,
        filing.unit.department.name if filing.unit.department_id else "",
        filing.owner_name,
        filing.owner_mobile,
        filing.stage_label,
        _time(filing.first_submitted_at),
        _time(filing.submitted_at),
        _time(filing.last_decision_at),
    )


@chinese
def write_review_list(rows, target, progress=None):
    """Write every filing of ``rows`` to ``target``; ``progress(done)`` is called every CHUNK rows."""
    sheet = Sheet("平台列表", HEADER, WIDTHS)
    for index, filing in enumerate(rows.iterator(chunk_size=CHUNK), 1):
        sheet.row(filing_row(index, filing))
        if progress is not None and index % CHUNK == 0:
            progress(index)
    sheet.save(target)
    return sheet.rows


def describe_filters(form, tab, params):
    """What the audit row says about the export's scope: the tab, the valid filters and the sort."""
    filters = {}
    if form.is_valid():
        filters = {k: str(v) for k, v in form.cleaned_data.items() if v}
    return {"tab": tab, "filters": filters, "sort": params.get("sort", "")}
