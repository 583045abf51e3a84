"""The only code that moves a filing between stages (DESIGN principle 2, SPEC W1–W8).

Each verb is one transaction: lock the filing row, check the move is allowed for this actor and that the filing
is still in the state the actor saw (``version``), move it with ``update_fields``, write one 流转记录 row and the
in-site notifications, and queue email for after the commit.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.accounts.models import Role, User
from kechuang.filings.completeness import missing_items
from kechuang.filings.models import EDITABLE_STATUSES, Filing, Status

from .models import Action, FlowRecord, Notification, ReviewerKind, Stage


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


def _lock(filing, expected_version):
    locked = Filing.objects.select_for_update().get(pk=filing.pk)
    if expected_version is not None and locked.version != int(expected_version):
        raise TransitionError(_("该平台备案已被其他人处理或修改，请刷新页面后查看最新状态。"))
    # Related rows are read after the lock, so they reflect the committed state.
    return Filing.objects.select_related("stage", "unit", "business", "owner").get(pk=locked.pk)


def _move(filing, actor, action, move, opinion="", **extra):
    from_label, from_stage = filing.stage_label, filing.stage
    filing.status = move.status
    filing.stage = move.stage
    for name, value in extra.items():
        setattr(filing, name, value)
    filing.version = F("version") + 1
    filing.save(update_fields=["status", "stage", "version", "updated_at", *extra])
    filing.refresh_from_db(fields=["version"])
    record = FlowRecord.objects.create(
        filing=filing,
        actor=actor,
        actor_organisation=actor.organisation_name,
        action=action,
        from_status=from_label,
        from_stage=from_stage,
        to_status=filing.stage_label,
        to_stage=move.stage,
        opinion=opinion,
    )
    _notify(filing, action, record)
    return filing


def _reviewers_of(filing, stage):
    people = User.objects.filter(is_active=True)
    if stage.reviewer_kind == ReviewerKind.UNIT_ADMIN:
        return people.filter(role=Role.UNIT_ADMIN, unit_id=filing.unit_id)
    if stage.reviewer_kind == ReviewerKind.DEPARTMENT:
        return people.filter(role=Role.DEPARTMENT_REVIEWER, department_id=filing.unit.department_id)
    return people.filter(role=Role.PROVINCE_REVIEWER)


def _notify(filing, action, record):
    """W10: the applicant hears of 退回/不通过/完成, reviewers of arrivals at their stage."""
    name = filing.name or _("（未命名平台）")
    if filing.status == Status.IN_REVIEW and action in (Action.SUBMIT, Action.APPROVE):
        recipients = list(_reviewers_of(filing, filing.stage))
        text = _("平台备案“%(name)s”已到达“%(stage)s”，等待您审核。") % {
            "name": name,
            "stage": filing.stage.name,
        }
    elif filing.status in (Status.RETURNED, Status.REJECTED, Status.DONE):
        recipients = [filing.owner]
        text = _("您的平台备案“%(name)s”状态已变为“%(label)s”。") % {
            "name": name,
            "label": filing.stage_label,
        }
        if record.opinion:
            text += _("审核意见：%(opinion)s") % {"opinion": record.opinion}
    else:
        return
    text = text[:300]
    Notification.objects.bulk_create(Notification(recipient=p, filing=filing, text=text) for p in recipients)
    mails = [
        (_("【黑龙江省科技创新服务平台】平台备案状态通知"), text, settings.DEFAULT_FROM_EMAIL, [p.email])
        for p in recipients
        if p.email
    ]
    if mails:
        transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True))


def submit(filing, actor, expected_version=None):
    """上报 (F9). A returned filing goes straight back to the stage that returned it (W6)."""
    with transaction.atomic():
        filing = _lock(filing, expected_version)
        if filing.owner_id != actor.pk:
            raise TransitionError(_("只有负责人本人可以上报该平台备案。"))
        if filing.status not in EDITABLE_STATUSES:
            raise TransitionError(_("该平台备案已上报，当前不能再次上报。"))
        if not filing.business.is_open():
            raise TransitionError(_("不在申报期内，不能上报。"))
        problems = missing_items(filing)
        if problems:
            raise TransitionError(_("平台备案尚未填写完整，不能上报。"), problems)
        stages = stages_for(filing)
        if not stages:
            raise TransitionError(_("该业务尚未配置审核阶段，请联系系统管理员。"))
        target = filing.return_stage if filing.return_stage in stages else stages[0]
        now = timezone.now()
        return _move(
            filing,
            actor,
            Action.SUBMIT,
            Move(Status.IN_REVIEW, target),
            submitted_at=now,
            first_submitted_at=filing.first_submitted_at or now,
        )


def withdraw(filing, actor, expected_version=None):
    """撤销 (W7): back to 填报中 while the stage it waits at has not acted since the applicant's 上报."""
    with transaction.atomic():
        filing = _lock(filing, expected_version)
        if filing.owner_id != actor.pk:
            raise TransitionError(_("只有负责人本人可以撤销该平台备案。"))
        last = filing.flow_records.order_by("-created_at", "-id").first()
        if filing.status != Status.IN_REVIEW or last is None or last.action != Action.SUBMIT:
            raise TransitionError(_("审核部门已处理该平台备案，不能撤销。"))
        return _move(filing, actor, Action.WITHDRAW, Move(Status.DRAFT, None))


def _check_reviewer(filing, actor):
    if filing.status != Status.IN_REVIEW:
        raise TransitionError(_("该平台备案已被处理，当前不在审核中。"))
    if not Filing.objects.actionable_by(actor).filter(pk=filing.pk).exists():
        raise TransitionError(_("该平台备案已流转到其他审核阶段，您不能再审核。"))


def _require_opinion(opinion):
    opinion = (opinion or "").strip()
    if not opinion:
        raise TransitionError(_("请填写审核意见。"))
    return opinion


def approve(filing, actor, opinion="", expected_version=None):
    """通过 (W4): on to the next stage, or 完成 after the last."""
    with transaction.atomic():
        filing = _lock(filing, expected_version)
        _check_reviewer(filing, actor)
        later = [s for s in stages_for(filing) if s.order > filing.stage.order]
        move = Move(Status.IN_REVIEW, later[0]) if later else Move(Status.DONE, None)
        return _move(filing, actor, Action.APPROVE, move, (opinion or "").strip(), return_stage=None)


def return_(filing, actor, opinion, expected_version=None):
    """退回 (W4, W6): to the applicant; the resubmission comes back to this stage."""
    with transaction.atomic():
        opinion = _require_opinion(opinion)
        filing = _lock(filing, expected_version)
        _check_reviewer(filing, actor)
        return _move(
            filing, actor, Action.RETURN, Move(Status.RETURNED, None), opinion, return_stage=filing.stage
        )


def reject(filing, actor, opinion, expected_version=None):
    """直接不通过 (W5): final, never resubmitted."""
    with transaction.atomic():
        opinion = _require_opinion(opinion)
        filing = _lock(filing, expected_version)
        _check_reviewer(filing, actor)
        return _move(filing, actor, Action.REJECT, Move(Status.REJECTED, None), opinion)
