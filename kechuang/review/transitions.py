"""The only code that moves a filing between stages (W1–W8).

Each verb is one transaction: lock the filing row, check the move against ``ALLOWED`` and the actor's scope
(``Filing.objects.actionable_by``), check the filing is still in the state the actor saw (``version``), move it
with a compare-and-swap ``UPDATE … WHERE version = seen`` of just the moved columns, write exactly one 流转记录
row and the in-site notifications, and queue email in the outbox (sent after the commit, outside the request).

Why both a row lock and a compare-and-swap: on PostgreSQL ``select_for_update`` makes the second of two
simultaneous reviewers wait and then see the moved filing; SQLite has no row locks, so there the version
condition of the UPDATE (and SQLite's single-writer lock, reported as ``TransitionError``) keeps the same
invariant: exactly one move and one 流转记录 row, the other actor is told the filing has moved (W8).

Stage list changes for filings under way (W1, see also StageAdmin's description):
- a filing points at its current stage (and the stage that returned it) with PROTECT, so a stage that filings
  wait at, or that 流转记录 mention, cannot be deleted;
- the next stage is looked up when a stage approves, so a stage added later applies to every filing that has
  not yet passed its order;
- 流转记录 copy the stage labels, so renaming a stage never rewrites history.
"""

import functools
import logging
from dataclasses import dataclass

import rules
from django.conf import settings
from django.db import OperationalError, transaction
from django.db.models import OuterRef, Subquery
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kechuang.accounts.models import Role, User
from kechuang.audit.models import EventKind
from kechuang.audit.recorder import record as audit_record
from kechuang.filings.completeness import missing_items
from kechuang.filings.models import Filing, Status
from kechuang.filings.numbering import allocate_number
from kechuang.outbox import mail as outbox
from kechuang.workflow.models import Action, ReviewerKind, Stage

from . import season_rules
from .models import FlowRecord, Notification

logger = logging.getLogger(__name__)

# The state machine: from which statuses each verb may start. Enforced by _check_status in every verb.
ALLOWED = {
    Action.SUBMIT: (Status.DRAFT, Status.RETURNED),
    Action.WITHDRAW: (Status.IN_REVIEW,),
    Action.APPROVE: (Status.IN_REVIEW,),
    Action.RETURN: (Status.IN_REVIEW,),
    Action.REJECT: (Status.IN_REVIEW,),
    Action.VOID: (Status.DRAFT, Status.RETURNED),  # and only once submitted: see void()
    Action.PUBLICITY_RETURN: (Status.DONE,),
}

# Sent after the commit of every move (sender=Filing, filing=...): 统计分析 and the 创新地图 recount.
filing_moved = Signal()


class TransitionError(Exception):
    """A move that is not allowed now; ``message`` is shown to the user as it is."""

    def __init__(self, message, problems=()):
        super().__init__(message)
        self.message = message
        self.problems = list(problems)


@dataclass(frozen=True)
class Move:
    status: str
    stage: Stage | None


def stages_for(filing):
    """The stages this filing passes through, in order (a unit may be configured to skip its 主管部门)."""
    stages = Stage.objects.filter(business_id=filing.business_id).order_by("order")
    if filing.unit.skip_department_review:
        stages = stages.exclude(reviewer_kind=ReviewerKind.DEPARTMENT)
    return list(stages)


def _moved():
    return TransitionError(_("该平台备案已被其他人处理或修改，请刷新页面后查看最新状态。"))


def _lock(filing, expected_version):
    if expected_version is not None:
        try:
            expected_version = int(expected_version)
        except (TypeError, ValueError):
            raise _moved() from None
    locked = (
        Filing.objects.select_for_update(of=("self",))
        .select_related("stage", "return_stage", "unit", "business", "owner", "season")
        .get(pk=filing.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise _moved()
    return locked


def _check_status(filing, action, message):
    if filing.status not in ALLOWED[action]:
        raise TransitionError(message)


def with_last_action(queryset):
    """Annotate each filing with ``last_action`` (its newest 流转记录's action) so lists can ask the
    ``can_withdraw`` rule without one query per row."""
    newest = FlowRecord.objects.filter(filing=OuterRef("pk")).order_by("-created_at", "-id")
    return queryset.annotate(last_action=Subquery(newest.values("action")[:1]))


def _record_label(filing):
    with translation.override(settings.LANGUAGE_CODE):
        return filing.stage_label


def _move(filing, actor, action, move, opinion="", **extra):
    """Compare-and-swap the filing to ``move`` and write the one 流转记录 row of this transition."""
    # 流转记录 keeps its labels in Chinese whatever the actor's UI language (the record and the 备案表 are
    # official); pages translate them when they show them (workflow.models.data_label).
    from_label, from_stage = _record_label(filing), filing.stage
    now = timezone.now()
    season_fields, late = season_rules.before_move(filing, action, move, now)
    changed = {"status": move.status, "stage": move.stage, "updated_at": now, **season_fields, **extra}
    updated = Filing.objects.filter(pk=filing.pk, version=filing.version).update(
        version=filing.version + 1, **changed
    )
    if updated != 1:
        raise _moved()
    for name, value in changed.items():
        setattr(filing, name, value)
    filing.version += 1
    record = FlowRecord.objects.create(
        filing=filing,
        actor=actor,
        actor_organisation=actor.organisation_name,
        action=action,
        from_status=from_label,
        from_stage=from_stage,
        to_status=_record_label(filing),
        to_stage=move.stage,
        opinion=opinion,
        late=late,
    )
    season_rules.after_move(filing, from_stage, action, move, now, late)
    if action in REVIEW_DECISIONS:  # with the client address of the request being served (issue 11)
        audit_record(
            EventKind.REVIEW_DECISION,
            user=actor,
            filing=filing.public_id,
            action=action,
            from_status=from_label,
            to_status=record.to_status,
        )
    _notify(filing, action, record)
    # robust: the move is committed; a failing receiver (cache down) is logged and must not report it as refused.
    transaction.on_commit(lambda: filing_moved.send(sender=Filing, filing=filing, action=action), robust=True)
    return filing


def _reviewers_of(filing, stage):
    people = User.objects.filter(is_active=True)
    if stage.reviewer_kind == ReviewerKind.UNIT_ADMIN:
        return people.filter(role=Role.UNIT_ADMIN, unit_id=filing.unit_id)
    if stage.reviewer_kind == ReviewerKind.DEPARTMENT:
        return people.filter(role=Role.DEPARTMENT_REVIEWER, department_id=filing.unit.department_id)
    return people.filter(role=Role.PROVINCE_REVIEWER)


def _notify(filing, action, record):
    """W10: the applicant hears of 退回/不通过/完成, reviewers of arrivals at their stage — each in the language they
    chose (中文 | English), the in-site message and the mail alike."""
    if filing.status == Status.IN_REVIEW and action in (Action.SUBMIT, Action.APPROVE):
        recipients = list(_reviewers_of(filing, filing.stage))
    elif filing.status in (Status.RETURNED, Status.REJECTED, Status.DONE):
        recipients = [filing.owner]
    else:
        return
    texts = {}
    for person in recipients:
        if person.mail_language not in texts:
            with translation.override(person.mail_language):
                texts[person.mail_language] = (
                    _notice_text(filing, action, record)[:300],
                    _("【黑龙江省科技创新服务平台】平台备案状态通知"),
                )
    Notification.objects.bulk_create(
        Notification(recipient=p, filing=filing, text=texts[p.mail_language][0]) for p in recipients
    )
    # Mail goes to the outbox in this transaction (sent by the task runner / send_outbox, never here); a reviewer
    # who chose the daily digest gets arrivals in send_reminders' digest instead.
    arrival = filing.status == Status.IN_REVIEW
    outbox.enqueue(
        {
            "to": p.email,
            "subject": texts[p.mail_language][1],
            "body": texts[p.mail_language][0],
            "recipient": p,
        }
        for p in recipients
        if p.email and not (arrival and p.mail_digest)
    )


def _notice_text(filing, action, record):
    name = filing.name or _("（未命名平台）")
    if filing.status == Status.IN_REVIEW:
        return _("平台备案“%(name)s”已到达“%(stage)s”，等待您审核。") % {
            "name": name,
            "stage": filing.stage.label,
        }
    values = {"name": name, "label": filing.stage_label, "opinion": record.opinion}
    if record.opinion:
        return _("您的平台备案“%(name)s”状态已变为“%(label)s”。审核意见：%(opinion)s") % values
    return _("您的平台备案“%(name)s”状态已变为“%(label)s”。") % values


def _atomic(verb):
    """Run ``verb`` in one transaction; SQLite's writer lock conflict means someone else moved the filing."""

    @functools.wraps(verb)
    def run(*args, **kwargs):
        try:
            with transaction.atomic():
                return verb(*args, **kwargs)
        except season_rules.SeasonRefusal as exc:
            raise TransitionError(exc.message) from None
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            raise _moved() from exc

    return run


@_atomic
def submit(filing, actor, expected_version=None):
    """上报 (F9). A returned filing goes straight back to the stage that returned it (W6)."""
    filing = _lock(filing, expected_version)
    if filing.owner_id != actor.pk:
        raise TransitionError(_("只有负责人本人可以上报该平台备案。"))
    _check_status(filing, Action.SUBMIT, _("该平台备案已上报或已结束，当前不能上报。"))
    season_rules.check_submit(filing)
    problems = missing_items(filing)
    if problems:
        raise TransitionError(_("平台备案尚未填写完整，不能上报。"), problems)
    stages = stages_for(filing)
    if not stages:
        raise TransitionError(_("该业务尚未配置审核阶段，请联系系统管理员。"))
    target = stages[0]
    if filing.return_stage_id:
        # The returning stage itself, or (if it no longer applies to this unit) the next one after it.
        remaining = [s for s in stages if s.order >= filing.return_stage.order]
        target = remaining[0] if remaining else stages[-1]
    now = timezone.now()
    # 备案编号 at the first 上报 only; a returned or withdrawn filing keeps its number.
    numbered = {} if filing.number else {"number": allocate_number(now)}
    return _move(
        filing,
        actor,
        Action.SUBMIT,
        Move(Status.IN_REVIEW, target),
        submitted_at=now,
        first_submitted_at=filing.first_submitted_at or now,
        **numbered,
    )


@_atomic
def withdraw(filing, actor, expected_version=None):
    """撤销 (W7): back to 填报中 while the stage it waits at has not acted since the applicant's 上报.

    The stage that returned the filing (W6) is kept, so the next 上报 still goes straight back to it.
    """
    filing = _lock(filing, expected_version)
    if filing.owner_id != actor.pk:
        raise TransitionError(_("只有负责人本人可以撤销该平台备案。"))
    refused = _("审核部门已处理该平台备案，不能撤销。")
    _check_status(filing, Action.WITHDRAW, refused)
    season_rules.check_withdraw(filing)
    if not rules.test_rule("can_withdraw", actor, filing):
        raise TransitionError(refused)
    return _move(filing, actor, Action.WITHDRAW, Move(Status.DRAFT, None))


REVIEW_DECISIONS = (Action.APPROVE, Action.RETURN, Action.REJECT)


def _check_reviewer(filing, actor, action):
    _check_status(filing, action, _("该平台备案已被处理，当前不在审核中。"))
    if rules.test_rule("is_filing_owner", actor, filing):
        raise TransitionError(_("您是该平台备案的负责人（证件号码相同），不能审核本人的平台备案。"))
    if not rules.test_rule("can_decide", actor, filing):
        raise TransitionError(_("该平台备案不在您的审核范围内，或已流转到其他审核阶段。"))


def _require_opinion(opinion):
    opinion = (opinion or "").strip()
    if not opinion:
        raise TransitionError(_("请填写审核意见。"))
    return opinion


@_atomic
def approve(filing, actor, opinion="", expected_version=None):
    """通过 (W4): on to the next stage, or 完成 after the last."""
    filing = _lock(filing, expected_version)
    _check_reviewer(filing, actor, Action.APPROVE)
    later = [s for s in stages_for(filing) if s.order > filing.stage.order]
    move = Move(Status.IN_REVIEW, later[0]) if later else Move(Status.DONE, None)
    return _move(filing, actor, Action.APPROVE, move, (opinion or "").strip(), return_stage=None)


@_atomic
def return_(filing, actor, opinion, expected_version=None):
    """退回 (W4, W6): to the applicant (平台：退回修改, editable); the resubmission comes back to this stage."""
    opinion = _require_opinion(opinion)
    filing = _lock(filing, expected_version)
    _check_reviewer(filing, actor, Action.RETURN)
    return _move(
        filing, actor, Action.RETURN, Move(Status.RETURNED, None), opinion, return_stage=filing.stage
    )


@_atomic
def reject(filing, actor, opinion, expected_version=None):
    """直接不通过 (W5): final, never resubmitted or edited."""
    opinion = _require_opinion(opinion)
    filing = _lock(filing, expected_version)
    _check_reviewer(filing, actor, Action.REJECT)
    return _move(filing, actor, Action.REJECT, Move(Status.REJECTED, None), opinion)


@_atomic
def void(filing, actor, expected_version=None):
    """删除 of a returned (退回修改) or withdrawn filing (F10 amended): voided, not erased. It keeps its
    备案编号, content and 流转记录 (this move is a row of its own, action 删除) and leaves every list, count,
    quota, statistic and export (``Filing.objects.visible_to``). A filing never submitted is erased instead
    (filings.services.delete_filing); a voided filing is final."""
    filing = _lock(filing, expected_version)
    if filing.owner_id != actor.pk:
        raise TransitionError(_("只有负责人本人可以删除该平台备案。"))
    _check_status(filing, Action.VOID, _("该平台备案正在审核中或已结束，不能删除。"))
    if filing.first_submitted_at is None:
        raise TransitionError(_("该平台备案从未上报，请在“待上报平台”中直接删除。"))
    return _move(filing, actor, Action.VOID, Move(Status.VOIDED, None))


@_atomic
def publicity_return(filing, actor, opinion, expected_version=None):
    """公示退回: the province sends a completed filing back (平台：退回修改) while an objection to it raised in a
    公示 is accepted (受理). The resubmission comes back to the province's stage (W6)."""
    opinion = _require_opinion(opinion)
    filing = _lock(filing, expected_version)
    _check_status(filing, Action.PUBLICITY_RETURN, _("只有“平台：完成”的平台备案可以公示退回。"))
    if (
        actor.role != Role.PROVINCE_REVIEWER
        or not Filing.objects.visible_to(actor).filter(pk=filing.pk).exists()
    ):
        raise TransitionError(_("只有省科技厅审核人员可以公示退回。"))
    # The objections of kechuang.publicity, read through the relation's name so review needs no import of it.
    if not filing.publicity_objections.filter(status="accepted").exists():
        raise TransitionError(_("该平台备案没有已受理的公示异议，不能公示退回。"))
    province = [s for s in stages_for(filing) if s.reviewer_kind == ReviewerKind.PROVINCE]
    return _move(
        filing,
        actor,
        Action.PUBLICITY_RETURN,
        Move(Status.RETURNED, None),
        opinion,
        return_stage=province[-1] if province else None,
    )
