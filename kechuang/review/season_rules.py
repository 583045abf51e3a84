"""What the 申报批次 adds to each move (F9 amended, W11–W14); called by ``transitions`` and nothing else.

- ``check_submit`` / ``check_withdraw``: 上报 and 撤销 only within the 申报期 (with 延期); a returned filing may be
  resubmitted until the later of the 申报期's end and its returning stage's 审核截止 (with 延期).
- ``before_move``: a decision after the stage's 审核截止 is 逾期 (or refused when the season closes decisions);
  a filing entering the province's stage takes a place of its 推荐限额, one leaving review gives it back.
- ``after_move``: closes the filing's open StageStay and opens the next one (审核时效).
"""

from django.utils import formats
from django.utils.translation import gettext as _

from kechuang.filings.models import Status
from kechuang.workflow import days, seasons
from kechuang.workflow.models import Action, ReviewerKind

from .models import StageStay

DECISIONS = (Action.APPROVE, Action.RETURN, Action.REJECT)
# Statuses out of review: a filing moving to one of them gives its 推荐 place back.
OUT_OF_REVIEW = {Status.RETURNED, Status.REJECTED, Status.DRAFT} | (
    {Status.VOIDED} if hasattr(Status, "VOIDED") else set()
)


class SeasonRefusal(Exception):
    """A move the season's dates or quota refuse; transitions turns it into its TransitionError."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def season_of(filing, now=None):
    """The filing's season; a filing from before seasons existed counts in the business's open season."""
    return filing.season if filing.season_id else seasons.open_season(filing.business, filing.unit, now)


def check_submit(filing, now=None):
    season = season_of(filing, now)
    if filing.status == Status.RETURNED and filing.return_stage_id and season is not None:
        until = seasons.resubmit_until(season, filing.return_stage, filing.unit)
        if days.is_over(until, now):
            raise SeasonRefusal(
                _("已超过再次上报的截止日期（%(day)s），不能上报。")
                % {"day": formats.date_format(until, "SHORT_DATE_FORMAT")}
            )
        return
    if not seasons.period_open(season, filing.unit, now):
        raise SeasonRefusal(_("不在申报期内，不能上报。"))


def check_withdraw(filing, now=None):
    if not seasons.period_open(season_of(filing, now), filing.unit, now):
        raise SeasonRefusal(_("申报期已结束，不能撤销。"))


def _is_province(stage):
    return stage is not None and stage.reviewer_kind == ReviewerKind.PROVINCE


def before_move(filing, action, move, now):
    """Checks and bookkeeping before ``filing`` makes ``move``; returns (filing fields, 逾期)."""
    fields, late = {}, False
    season_id = filing.season_id
    if action in DECISIONS and filing.stage_id and season_id:
        due = seasons.stage_due(filing.season, filing.stage, filing.unit)
        if days.is_over(due, now):
            if filing.season.decisions_close:
                raise SeasonRefusal(
                    _("“%(stage)s”的审核截止日期（%(day)s）已过，不能再审核。")
                    % {"stage": filing.stage.label, "day": formats.date_format(due, "SHORT_DATE_FORMAT")}
                )
            late = True
    if _is_province(move.stage) and not filing.recommended:
        try:
            seasons.take_place(season_id, filing.unit)
        except seasons.QuotaFull as full:
            raise SeasonRefusal(str(full)) from None
        fields["recommended"] = True
    elif filing.recommended and move.status in OUT_OF_REVIEW:
        seasons.free_place(season_id, filing.unit)
        fields.update(recommended=False, recommend_rank=None)
    return fields, late


def after_move(filing, from_stage, action, move, now, late):
    """Close the stay at ``from_stage`` (if any) and open one at the new stage (if any)."""
    if from_stage is not None:
        stay = StageStay.objects.filter(filing_id=filing.pk, left_at__isnull=True).order_by("-id").first()
        if stay is not None:
            # The length in seconds is written here: date arithmetic in SQL differs between the databases.
            StageStay.objects.filter(pk=stay.pk).update(
                left_at=now,
                left_action=action,
                late=late,
                seconds=int((now - stay.entered_at).total_seconds()),
            )
    if move.stage is not None:
        StageStay.objects.create(
            filing_id=filing.pk,
            stage=move.stage,
            season_id=filing.season_id,
            department_id=filing.unit.department_id,
            unit_type=filing.unit.unit_type,
            entered_at=now,
        )
