"""申报批次 rules (F9 amended, W11–W13): which season is open, until when a unit may file or resubmit, each stage's
审核截止 with 延期, and the 推荐限额 counter. The only place these dates are combined; days come from ``days``."""

from django.db import connection
from django.db.models import F, Max, Q
from django.utils.translation import gettext as _

from . import days
from .models import Extension, Quota, ReviewerKind, Season, StageDeadline


class QuotaFull(Exception):
    """An 通过 would pass a filing on beyond its department's (or unit's) 推荐限额."""

    def __init__(self, quota):
        self.quota = quota
        super().__init__(
            _("已超出推荐限额（已推荐 %(used)d / 限额 %(limit)d），不能再通过。")
            % {"used": quota.used, "limit": quota.limit}
        )


def _extensions(season, unit, kinds):
    if unit is None:
        return Extension.objects.none()
    holder = Q(unit_id=unit.pk)
    if unit.department_id:
        holder |= Q(department_id=unit.department_id)
    return Extension.objects.filter(holder, season=season, kind__in=kinds)


def period_end_for(season, unit=None):
    """The last day of the 申报期 for ``unit``: the season's, or later when a 延期 of the 申报期 was granted."""
    if unit is None:
        return season.period_end
    extended = _extensions(season, unit, (Extension.Kind.PERIOD, Extension.Kind.BOTH)).aggregate(
        end=Max("period_end")
    )["end"]
    return days.latest(season.period_end, extended)


def period_open(season, unit=None, now=None):
    """THE definition of "is the 申报期 open" (for a unit, with its 延期)."""
    if season is None:
        return False
    day = days.today(now)
    return season.period_start <= day <= period_end_for(season, unit)


def _latest_started(business, day):
    """The business's season that started last on or before ``day``; from ``prefetch_related("seasons")`` when
    the caller prefetched them (lists of businesses), else one query."""
    prefetched = getattr(business, "_prefetched_objects_cache", {}).get("seasons")
    if prefetched is not None:
        started = [s for s in prefetched if s.period_start <= day]
        return max(started, key=lambda s: s.period_start, default=None)
    return (
        Season.objects.filter(business_id=business.pk, period_start__lte=day)
        .order_by("-period_start")
        .first()
    )


def open_season(business, unit=None, now=None):
    """The season of ``business`` whose 申报期 (with the unit's 延期) contains today, or None."""
    season = _latest_started(business, days.today(now))
    return season if period_open(season, unit, now) else None


def current_season(business, now=None):
    """The season to show for ``business``: the latest that has started (open or not), else the next one."""
    season = _latest_started(business, days.today(now))
    if season is not None:
        return season
    prefetched = getattr(business, "_prefetched_objects_cache", {}).get("seasons")
    if prefetched is not None:
        return min(prefetched, key=lambda s: s.period_start, default=None)
    return Season.objects.filter(business_id=business.pk).order_by("period_start").first()


def stage_due(season, stage, unit=None):
    """The 审核截止 of ``stage`` in ``season`` for filings of ``unit``, with 延期; None when the stage has none."""
    if season is None or stage is None:
        return None
    base = StageDeadline.objects.filter(season=season, stage=stage).values_list("due", flat=True).first()
    if base is None:
        return None
    extended = (
        _extensions(season, unit, (Extension.Kind.STAGE, Extension.Kind.BOTH))
        .filter(stage=stage)
        .aggregate(due=Max("stage_due"))["due"]
    )
    return days.latest(base, extended)


def stage_due_for_reviewer(season, stage, user):
    """The deadline a reviewer sees on 待审核平台: the stage's, with a 延期 granted to the reviewer's unit or
    department (a 延期 of one unit only shows on that unit's rows, not here)."""
    if season is None or stage is None:
        return None
    base = StageDeadline.objects.filter(season=season, stage=stage).values_list("due", flat=True).first()
    if base is None:
        return None
    holder = Q(pk__in=[])
    if stage.reviewer_kind == ReviewerKind.UNIT_ADMIN and user.unit_id:
        holder = Q(unit_id=user.unit_id)
    elif stage.reviewer_kind == ReviewerKind.DEPARTMENT and user.department_id:
        holder = Q(department_id=user.department_id)
    extended = Extension.objects.filter(
        holder, season=season, stage=stage, kind__in=("stage", "both")
    ).aggregate(due=Max("stage_due"))["due"]
    return days.latest(base, extended)


def resubmit_until(season, return_stage, unit):
    """A returned filing may be resubmitted until the later of the 申报期's end and the returning stage's deadline,
    each with its 延期 (F9 amended)."""
    if season is None:
        return None
    return days.latest(period_end_for(season, unit), stage_due(season, return_stage, unit))


# 推荐限额 (W13) -------------------------------------------------------------------------------------------------


def quota_of(season_id, unit, lock=False):
    """The quota a filing of ``unit`` counts against: its 主管部门's, or the unit's own when it skips the
    department; None (no limit) when the province set none."""
    if season_id is None:
        return None
    quotas = Quota.objects.filter(season_id=season_id)
    if unit.skip_department_review:
        quotas = quotas.filter(unit_id=unit.pk)
    elif unit.department_id:
        quotas = quotas.filter(department_id=unit.department_id)
    else:
        return None
    if lock and connection.features.has_select_for_update:
        quotas = quotas.select_for_update()
    return quotas.first()


def take_place(season_id, unit):
    """Take one place of the quota under its row lock; QuotaFull when none is left. No quota: nothing to take.

    The lock makes the second of two simultaneous 通过 wait on PostgreSQL and then see the taken place; the
    conditional UPDATE keeps the limit on SQLite, which has no row locks but one writer at a time.
    """
    quota = quota_of(season_id, unit, lock=True)
    if quota is None:
        return
    taken = Quota.objects.filter(pk=quota.pk, used__lt=F("limit")).update(used=F("used") + 1)
    if not taken:
        quota.refresh_from_db()
        raise QuotaFull(quota)


def free_place(season_id, unit):
    quota = quota_of(season_id, unit, lock=True)
    if quota is not None:
        Quota.objects.filter(pk=quota.pk, used__gt=0).update(used=F("used") - 1)
