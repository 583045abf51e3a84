"""What a reviewer sees above 待审核平台 (W11, W13): each current season's 审核截止 for the reviewer's stage ("距审核截止
还有 N 天") and, for a 主管部门 (or a unit passing straight to the province), "已推荐 n / 限额 N".

A fixed number of queries whatever the number of filings: the seasons, their deadlines, the reviewer's 延期 and
the quotas, each in one query.
"""

from dataclasses import dataclass

from django.db.models import Max, Q

from kechuang.accounts.models import Role
from kechuang.workflow import days
from kechuang.workflow.models import Extension, Quota, ReviewerKind, Season, StageDeadline

KIND_OF_ROLE = {
    Role.UNIT_ADMIN: ReviewerKind.UNIT_ADMIN,
    Role.DEPARTMENT_REVIEWER: ReviewerKind.DEPARTMENT,
    Role.PROVINCE_REVIEWER: ReviewerKind.PROVINCE,
}


@dataclass
class Pacing:
    season: Season
    stage_name: str
    due: object  # date or None
    days_left: int | None
    closes: bool
    quota: Quota | None


def _holder_q(user):
    """The 延期 that apply to what this reviewer decides: granted to the reviewer's unit or department."""
    if user.role == Role.UNIT_ADMIN and user.unit_id:
        return Q(unit_id=user.unit_id)
    if user.role == Role.DEPARTMENT_REVIEWER and user.department_id:
        return Q(department_id=user.department_id)
    return None


def current_seasons(now=None):
    """The seasons whose 申报期 or review is under way: started, and not more than a year past their end."""
    day = days.today(now)
    return Season.objects.filter(period_start__lte=day, period_end__gte=day.replace(year=day.year - 1))


def for_reviewer(user, now=None):
    kind = KIND_OF_ROLE.get(user.role)
    if kind is None:
        return []
    seasons = list(current_seasons(now).select_related("business").order_by("business__order", "-year"))
    if not seasons:
        return []
    deadlines = {
        (d.season_id, d.stage.business_id): d
        for d in StageDeadline.objects.filter(season__in=seasons, stage__reviewer_kind=kind).select_related(
            "stage"
        )
    }
    extended = {}
    holder = _holder_q(user)
    if holder is not None:
        rows = (
            Extension.objects.filter(holder, season__in=seasons, stage__reviewer_kind=kind)
            .values("season_id")
            .annotate(due=Max("stage_due"))
        )
        extended = {row["season_id"]: row["due"] for row in rows}
    quotas = {}
    if user.role == Role.DEPARTMENT_REVIEWER and user.department_id:
        quotas = {
            q.season_id: q for q in Quota.objects.filter(season__in=seasons, department_id=user.department_id)
        }
    elif user.role == Role.UNIT_ADMIN and user.unit_id and user.unit.skip_department_review:
        quotas = {q.season_id: q for q in Quota.objects.filter(season__in=seasons, unit_id=user.unit_id)}
    result = []
    for season in seasons:
        deadline = deadlines.get((season.pk, season.business_id))
        due = days.latest(deadline.due, extended.get(season.pk)) if deadline else None
        if due is None and season.pk not in quotas:
            continue
        result.append(
            Pacing(
                season=season,
                stage_name=deadline.stage.name if deadline else "",
                due=due,
                days_left=days.days_left(due, now),
                closes=season.decisions_close,
                quota=quotas.get(season.pk),
            )
        )
    return result
