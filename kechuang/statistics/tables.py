"""统计分析: the tables, each one aggregate SQL query over a scoped queryset of filings.

Every function takes a queryset already narrowed to what the reader may see (``counted(...)`` over
``Filing.objects.visible_to``) and returns a ``Table``: rows of (key, label, count…) in a fixed order. Nothing
loops over filings in Python; the number of queries is one per table whatever the number of filings.

``by_city`` is also the home page's 创新地图 (its 已完成 column over every counted filing of the province), so the
two can never disagree.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kechuang import countries
from kechuang.accounts.models import Region, Unit
from kechuang.filings.models import Industry, Status
from kechuang.review.models import FlowRecord
from kechuang.workflow.models import Action, data_label

# Not counted anywhere in 统计分析 (drafts, and voided filings once that status exists).
NOT_COUNTED = tuple(
    status for status in (Status.DRAFT, getattr(Status, "VOIDED", None)) if status is not None
)


@dataclass
class Table:
    key: str
    title: str
    key_label: str
    columns: list  # labels of the count columns
    rows: list = field(default_factory=list)  # (key, label, [counts…])

    @property
    def totals(self):
        return [sum(row[2][i] for row in self.rows) for i in range(len(self.columns))]

    def as_dict(self):
        return {label: counts for _key, label, counts in self.rows}


# COUNT(*), not COUNT(id): PostgreSQL then reads no column of the index entry (half the time of a count).
ALL = Count("*")
FIRST_YEAR = 2020  # the earliest year the filters offer; earlier years are still counted, only slower


def local_year(field):
    """The year of ``field`` in TIME_ZONE (Asia/Shanghai), like ``ExtractYear``.

    Converting every timestamp to local time was half of a year table's time at 100,000 filings; comparing
    with the start of each year since FIRST_YEAR is not, and the years before fall back to the conversion.
    """
    years = range(timezone.localdate().year + 1, FIRST_YEAR - 1, -1)  # newest first: most rows match early
    start = {year: timezone.make_aware(datetime.datetime(year, 1, 1)) for year in [years[0] + 1, *years]}
    whens = [
        When(Q(**{f"{field}__gte": start[y], f"{field}__lt": start[y + 1]}), then=Value(y)) for y in years
    ]
    return Case(*whens, default=ExtractYear(field), output_field=IntegerField())


def counted(queryset):
    """The filings 统计分析 counts: everything except drafts and voided filings."""
    return queryset.exclude(status__in=NOT_COUNTED)


def _grouped(queryset, column, *aggregates):
    """{value of ``column``: (aggregate values…)} in one GROUP BY query."""
    named = {f"n{i}": aggregate for i, aggregate in enumerate(aggregates)}
    rows = queryset.order_by().values(column).annotate(**named).values_list(column, *named)
    return {row[0]: row[1:] for row in rows}


def _per_element(queryset, column, aggregates, keys=False):
    """{element of the JSON ``column``: (aggregate values…)} over the filings of ``queryset``, in one query.

    An array's elements are ``e.value``; with ``keys``, an object's keys are ``e.key``, their values ``e.value``. Django has
    no expression for expanding JSON into rows, so the scope is compiled by the ORM and the expansion is the
    database's own: PostgreSQL's jsonb set-returning functions, SQLite's ``json_each``. At 100,000 filings this
    is a fifth to a third of the time of one conditional count per element or of joining the partner rows.
    """
    connection = connections[queryset.db]
    scope, params = queryset.order_by().values(j=F(column)).query.sql_with_params()
    if connection.vendor == "postgresql":
        expand = "jsonb_each_text(s.j) AS e" if keys else "jsonb_array_elements_text(s.j) AS e(value)"
    else:
        expand = "json_each(s.j) AS e"
    element = "e.key" if keys else "e.value"
    sql = f"SELECT {element}, {aggregates} FROM ({scope}) AS s CROSS JOIN {expand} GROUP BY {element}"  # noqa: S608 - no user text
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0]: row[1:] for row in cursor.fetchall()}


def by_stage(queryset):
    """流程阶段: "平台：审核中" is split into its stages by their names (F13), the other statuses as they are."""
    rows = (
        queryset.order_by()
        .values("status", "stage__order", "stage__name")
        .annotate(n=ALL)
        .values_list("status", "stage__order", "stage__name", "n")
    )
    merged = {}
    order = {status: index for index, status in enumerate(Status.values)}
    for status, stage_order, stage_name, n in rows:
        if status == Status.IN_REVIEW and stage_name:
            key, sort = f"stage:{stage_name}", (order[status], stage_order or 0)
            label = _("平台：%(stage)s") % {"stage": data_label(stage_name)}
        else:
            key, sort = status, (order.get(status, 99), 0)
            label = _("平台：%(stage)s") % {"stage": Status(status).label}
        entry = merged.setdefault(key, [sort, label, 0])
        entry[0] = min(entry[0], sort)
        entry[2] += n
    table = Table("stage", _("按流程阶段"), _("流程阶段"), [_("平台数")])
    table.rows = [(k, label, [n]) for k, (sort, label, n) in sorted(merged.items(), key=lambda i: i[1][0])]
    return table


def _country_rows(counts):
    rows = [
        (code, str(countries.name(code) or code), list(values)) for code, values in counts.items() if code
    ]
    rows.sort(key=lambda row: (-row[2][0], row[0]))
    return rows


def by_main_country(queryset):
    table = Table("main_country", _("按主要合作国别"), _("主要合作国别"), [_("平台数")])
    table.rows = _country_rows(_grouped(queryset, "main_country", ALL))
    return table


def by_partner_country(queryset):
    """Every 国别 of the 海外合作伙伴 lists: how many platforms have a partner there, and how many partners.

    From each filing's ``partner_counts`` ({国别: partners}), not from the partner rows."""
    counts = _per_element(queryset, "partner_counts", "COUNT(*), SUM(CAST(e.value AS INTEGER))", keys=True)
    table = Table("partner_country", _("按合作伙伴国别（全部）"), _("国别"), [_("平台数"), _("合作伙伴数")])
    table.rows = _country_rows(counts)
    return table


def by_industry(queryset):
    """所属产业领域, all 22 in the manual's order. A platform in two fields counts in both."""
    counts = _per_element(queryset, "industries", "COUNT(*)")
    table = Table("industry", _("按所属产业领域"), _("所属产业领域"), [_("平台数")])
    table.rows = [(value, str(label), [counts.get(value, (0,))[0]]) for value, label in Industry.choices]
    return table


def city_counts(queryset):
    """{region: (counted filings, completed filings)} — the by-city table and the 创新地图 (one query)."""
    # The filtered count names status, which the filter reads anyway (COUNT(*) cannot take a filter).
    return _grouped(queryset, "unit__region", ALL, Count("status", filter=Q(status=Status.DONE)))


def by_city(queryset, counts=None):
    counts = city_counts(queryset) if counts is None else counts
    table = Table("city", _("按所在地市"), _("所在地市"), [_("平台数"), _("已完成")])
    table.rows = [(r.value, str(r.label), list(counts.get(r.value, (0, 0)))) for r in Region]
    return table


def by_unit_type(queryset):
    counts = _grouped(queryset, "unit__unit_type", ALL)
    table = Table("unit_type", _("按单位类型"), _("单位类型"), [_("平台数")])
    table.rows = [(t.value, str(t.label), list(counts.get(t.value, (0,)))) for t in Unit.Type]
    return table


def _year_rows(counts):
    return [(str(year), str(year), list(values)) for year, values in sorted(counts.items()) if year]


def by_first_submitted_year(queryset):
    """Year of the first 上报, in Asia/Shanghai (TIME_ZONE)."""
    counts = _grouped(queryset.annotate(year=local_year("first_submitted_at")), "year", ALL)
    table = Table("first_year", _("按首次上报年度"), _("年度"), [_("平台数")])
    table.rows = _year_rows(counts)
    return table


def completed_per_year(queryset):
    """Filings now 平台：完成, by the year of the 通过 that completed them (the last stage's 通过 moves to no stage).

    A filing completed, sent back (公示退回) and completed again in a later year counts once in each year.
    """
    records = FlowRecord.objects.filter(
        filing__in=queryset.filter(status=Status.DONE).values("pk"),
        action=Action.APPROVE,
        to_stage__isnull=True,
    ).annotate(year=local_year("created_at"))
    table = Table("done_year", _("按完成年度"), _("年度"), [_("完成平台数")])
    table.rows = _year_rows(_grouped(records, "year", Count("filing", distinct=True)))
    return table


TABLES = {
    "stage": by_stage,
    "main_country": by_main_country,
    "partner_country": by_partner_country,
    "industry": by_industry,
    "city": by_city,
    "unit_type": by_unit_type,
    "first_year": by_first_submitted_year,
    "done_year": completed_per_year,
}
