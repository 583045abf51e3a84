"""审核时效 (W14): how long filings waited at each stage — count, median and 90th percentile in days, and how
many were decided after the stage's 审核截止 — per stage, and per stage and 主管部门 or 单位类型.

One SQL query per table. PostgreSQL computes the percentiles with ``percentile_cont`` (one sort per group: a
third of the time of the window query at 120,000 stays). SQLite has no ordered-set aggregates: there window
functions number each group's stays by length, and the percentile is interpolated between the two neighbouring
rows exactly as ``percentile_cont`` does (position p·(n−1), in integer arithmetic), so both databases give the
same numbers.
"""

from dataclasses import dataclass

from django.db import connection

from kechuang.accounts.models import Department, Unit
from kechuang.workflow.models import Stage

from .models import StageStay

GROUPINGS = {
    "stage": (),
    "department": ("department_id",),
    "unit_type": ("unit_type",),
}
DAY = 86400.0


@dataclass
class Row:
    stage: str
    group: str
    count: int
    median_days: float
    p90_days: float
    late: int


def _percentile(p_num, p_den):
    """SQL for the interpolated percentile p = p_num/p_den of ``seconds`` within the group (see module doc)."""
    lo = f"(((n - 1) * {p_num}) / {p_den})"
    frac = f"((((n - 1) * {p_num}) %% {p_den}) * 1.0 / {p_den})"  # %% is SQL modulo once params are bound
    return (
        f"SUM(CASE WHEN i = {lo} THEN seconds * (1 - {frac}) "
        f"WHEN i = {lo} + 1 THEN seconds * {frac} ELSE 0 END)"
    )


def aggregate(season_id=None, department_id=None, grouping="stage"):
    """Rows of (stage, group, count, median, p90, late) for the closed stays in scope, in stage order."""
    columns = GROUPINGS[grouping]
    table = StageStay._meta.db_table
    partition = ", ".join(("stage_id", *columns))
    where, params = ["left_at IS NOT NULL", "seconds IS NOT NULL"], []
    if season_id is not None:
        where.append("season_id = %s")
        params.append(season_id)
    if department_id is not None:
        where.append("department_id = %s")
        params.append(department_id)
    group_select = columns[0] if columns else "NULL"
    # Only whitelisted column names (GROUPINGS) and integer constants are formatted in; values are parameters.
    if connection.vendor == "postgresql":
        sql = f"""
            SELECT stage_id, {group_select} AS grp, COUNT(*),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds),
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds),
                   SUM(CASE WHEN late THEN 1 ELSE 0 END)
            FROM {table}
            WHERE {" AND ".join(where)}
            GROUP BY {partition}
        """  # noqa: S608
    else:
        sql = f"""
            WITH ranked AS (
                SELECT stage_id, {group_select} AS grp, seconds, late,
                       ROW_NUMBER() OVER (PARTITION BY {partition} ORDER BY seconds, id) - 1 AS i,
                       COUNT(*) OVER (PARTITION BY {partition}) AS n
                FROM {table}
                WHERE {" AND ".join(where)}
            )
            SELECT stage_id, grp, MAX(n), {_percentile(1, 2)}, {_percentile(9, 10)},
                   SUM(CASE WHEN late THEN 1 ELSE 0 END)
            FROM ranked
            GROUP BY stage_id, grp
        """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        raw = cursor.fetchall()
    stages = {s.pk: s for s in Stage.objects.filter(pk__in={r[0] for r in raw})}
    names = _group_names(grouping, {r[1] for r in raw})
    rows = [
        Row(
            stage=stages[stage_id].label,
            group=names.get(group, "") if columns else "",
            count=int(count),
            median_days=round(float(median) / DAY, 1),
            p90_days=round(float(p90) / DAY, 1),
            late=int(late or 0),
        )
        for stage_id, group, count, median, p90, late in raw
    ]
    keys = [(stages[r[0]].business_id, stages[r[0]].order, str(names.get(r[1], ""))) for r in raw]
    return [row for _key, row in sorted(zip(keys, rows, strict=True), key=lambda pair: pair[0])]


def _group_names(grouping, keys):
    if grouping == "department":
        found = dict(Department.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "name"))
        return {key: found.get(key, "—") for key in keys} | {None: "—"}
    if grouping == "unit_type":
        return {key: str(Unit.Type(key).label) if key in Unit.Type.values else key for key in keys}
    return {}
