"""Verbs of 单位管理 (U1): the only code that changes a unit's registration or contact data.

Registration data (单位名称, 统一社会信用代码, 单位类型) identifies the unit to the province, so a unit administrator
only *requests* a change; it takes effect when a system administrator approves it, and until then the approved
data stays in force everywhere (filings copy it by 数据同步). Contact data (联系人, 联系电话, …) is the unit's own
business and takes effect at once, with a before/after record.

Each verb is one transaction that locks the rows it decides on (``select_for_update``), re-checks the rule it
enforces inside the lock, saves with ``update_fields`` and writes its history row. Views and the admin call these;
nothing else writes UnitChange/ContactChange or the fields they govern.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kechuang.audit.models import EventKind
from kechuang.audit.recorder import record

from .models import ContactChange, Role, Unit, UnitChange

REGISTRATION_FIELDS = ("name", "credit_code", "unit_type")
CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email", "address", "postcode")


class UnitChangeError(Exception):
    """A 单位管理 step that is not allowed now. ``message`` is shown as it is; ``field`` names the form field."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def is_unit_admin_of(user, unit):
    return bool(user.is_active and user.role == Role.UNIT_ADMIN and user.unit_id == unit.pk)


def _check_unit_admin(unit, actor):
    if not is_unit_admin_of(actor, unit):
        raise UnitChangeError(_("只有本单位的单位管理员可以修改单位信息。"))


def _check_system_admin(admin):
    if not (admin.is_active and admin.is_staff and admin.has_perm("accounts.change_unitchange")):
        raise UnitChangeError(_("只有系统管理员可以审核单位注册信息变更。"))


def _check_unique(unit_pk, name, credit_code):
    """Registration data must stay unique among units; a code another unit has asked for is taken too."""
    others = Unit.objects.exclude(pk=unit_pk)
    if others.filter(name=name).exists():
        raise UnitChangeError(_("已有其他单位使用该单位名称。"), "name")
    if others.filter(credit_code=credit_code).exists():
        raise UnitChangeError(_("该统一社会信用代码已被其他单位使用。"), "credit_code")
    pending = UnitChange.objects.filter(status=UnitChange.Status.PENDING).exclude(unit_id=unit_pk)
    if pending.filter(name=name).exists():
        raise UnitChangeError(_("其他单位已申请使用该单位名称，正在审核中。"), "name")
    if pending.filter(credit_code=credit_code).exists():
        raise UnitChangeError(_("其他单位已申请使用该统一社会信用代码，正在审核中。"), "credit_code")


def pending_change(unit):
    """The unit's change waiting for approval, or None (there is at most one)."""
    return unit.changes.filter(status=UnitChange.Status.PENDING).first()


def request_registration_change(unit, actor, data):
    """修改注册信息 → 保存并提交审核: record a pending change; the unit itself is not touched."""
    name = data["name"].strip()
    credit_code = data["credit_code"].strip().upper()
    unit_type = data["unit_type"]
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        _check_unit_admin(unit, actor)
        if unit.changes.filter(status=UnitChange.Status.PENDING).exists():
            raise UnitChangeError(
                _("本单位已有一项待审核的注册信息变更，请等待审核结果，或先撤回该变更后再提交。")
            )
        if (name, credit_code, unit_type) == (unit.name, unit.credit_code, unit.unit_type):
            raise UnitChangeError(_("注册信息没有变化，无需提交审核。"))
        _check_unique(unit.pk, name, credit_code)
        try:
            with transaction.atomic():
                return UnitChange.objects.create(
                    unit=unit,
                    name=name,
                    credit_code=credit_code,
                    unit_type=unit_type,
                    old_name=unit.name,
                    old_credit_code=unit.credit_code,
                    old_unit_type=unit.unit_type,
                    requested_by=actor,
                )
        except IntegrityError as exc:  # a concurrent request won the one-pending-change constraint
            raise UnitChangeError(_("本单位已有一项待审核的注册信息变更，请等待审核结果。")) from exc


def withdraw_unit_change(unit, actor):
    """撤回 the unit's pending change (to correct it), before a system administrator has decided."""
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        _check_unit_admin(unit, actor)
        change = unit.changes.select_for_update().filter(status=UnitChange.Status.PENDING).first()
        if change is None:
            raise UnitChangeError(_("没有待审核的注册信息变更，可能已被审核，请刷新页面查看结果。"))
        change.status = UnitChange.Status.WITHDRAWN
        change.decided_by = actor
        change.decided_at = timezone.now()
        change.save(update_fields=["status", "decided_by", "decided_at"])
        _record_decision(change)
        return change


def update_contacts(unit, actor, data):
    """修改基本信息 → 保存基本信息: effective at once. Returns the ContactChange, or None if nothing changed."""
    after = {field: (data.get(field) or "").strip() for field in CONTACT_FIELDS}
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        _check_unit_admin(unit, actor)
        before = {field: getattr(unit, field) for field in CONTACT_FIELDS}
        if before == after:
            return None
        for field, value in after.items():
            setattr(unit, field, value)
        unit.save(update_fields=list(CONTACT_FIELDS))
        return ContactChange.objects.create(unit=unit, changed_by=actor, before=before, after=after)


def _lock_pending(change):
    change = UnitChange.objects.select_for_update().get(pk=change.pk)
    if change.status != UnitChange.Status.PENDING:
        raise UnitChangeError(
            _("该变更已处理（%(status)s），不能再次审核。") % {"status": change.get_status_display()}
        )
    return change


def check_admin_registration_edit(unit, registration):
    """Why the administrator may not change these registration data now (UnitChangeError), if anything."""
    if pending_change(unit):
        raise UnitChangeError(_("该单位有一项待审核的注册信息变更，请先审核该变更后再修改注册信息。"), "name")
    _check_unique(unit.pk, registration["name"], registration["credit_code"])


def edit_unit_as_admin(unit, admin, data):
    """The admin site's edit of a unit, kept in the same history as 单位管理's: registration data as an
    approved UnitChange (the administrator requested and decided it), contact data as a ContactChange.
    Refused while the unit has a change waiting, so the two never overwrite each other."""
    with transaction.atomic():
        _check_system_admin(admin)
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        registration = {field: data[field] for field in REGISTRATION_FIELDS}
        old = {field: getattr(unit, field) for field in REGISTRATION_FIELDS}
        if registration != old:
            check_admin_registration_edit(unit, registration)
            change = UnitChange.objects.create(
                unit=unit,
                status=UnitChange.Status.APPROVED,
                **registration,
                **{f"old_{field}": value for field, value in old.items()},
                requested_by=admin,
                decided_by=admin,
                decided_at=timezone.now(),
                reason=_("系统管理员在管理后台直接修改"),
            )
            _record_decision(change)
        before = {field: getattr(unit, field) for field in CONTACT_FIELDS}
        after = {field: (data.get(field) or "").strip() for field in CONTACT_FIELDS}
        if before != after:
            ContactChange.objects.create(unit=unit, changed_by=admin, before=before, after=after)
        for field, value in data.items():
            setattr(unit, field, value)
        unit.save()
        return unit


def _record_decision(change):
    """Deciding or withdrawing a registration change is an administrative act that writes no admin LogEntry."""
    record(
        EventKind.ADMIN_CHANGE,
        user=change.decided_by,
        action=change.get_status_display(),
        model="accounts.unitchange",
        object_id=str(change.pk),
        object_repr=str(change),
        change_message=change.reason,
    )


def _tell_requester(change):
    """Email the unit administrator who asked, once the decision is committed."""
    person = change.requested_by
    if not person.email:
        return
    with translation.override(person.mail_language):  # the requester's language, not the deciding admin's
        if change.status == UnitChange.Status.APPROVED:
            text = _("您单位的注册信息变更（%(old)s → %(new)s）已通过审核，现已生效。") % {
                "old": change.old_name,
                "new": change.name,
            }
        else:
            text = _("您单位的注册信息变更（%(old)s → %(new)s）未通过审核。审核意见：%(reason)s") % {
                "old": change.old_name,
                "new": change.name,
                "reason": change.reason,
            }
        subject = _("【黑龙江省科技创新服务平台】单位注册信息变更审核结果")
    transaction.on_commit(lambda: send_mail(subject, text, None, [person.email], fail_silently=True))


def approve_unit_change(change, admin, reason=""):
    """通过: apply the requested registration data to the unit, atomically, if it is still unique."""
    with transaction.atomic():
        _check_system_admin(admin)
        change = _lock_pending(change)
        unit = Unit.objects.select_for_update().get(pk=change.unit_id)
        _check_unique(unit.pk, change.name, change.credit_code)
        # Record what was actually replaced (the request saw the same values unless the unit was edited since).
        change.old_name, change.old_credit_code, change.old_unit_type = (
            unit.name,
            unit.credit_code,
            unit.unit_type,
        )
        unit.name, unit.credit_code, unit.unit_type = change.name, change.credit_code, change.unit_type
        try:
            with transaction.atomic():
                unit.save(update_fields=list(REGISTRATION_FIELDS))
        except IntegrityError as exc:  # a concurrent write took the name or code after our check
            raise UnitChangeError(_("单位名称或统一社会信用代码已被其他单位使用，不能通过。")) from exc
        change.status = UnitChange.Status.APPROVED
        change.decided_by = admin
        change.decided_at = timezone.now()
        change.reason = (reason or "").strip()
        change.save(
            update_fields=[
                "status",
                "decided_by",
                "decided_at",
                "reason",
                "old_name",
                "old_credit_code",
                "old_unit_type",
            ]
        )
        _record_decision(change)
        _tell_requester(change)
        return change


def refuse_unit_change(change, admin, reason):
    """驳回: the unit keeps its data; the reason is shown to the unit administrator in the history."""
    reason = (reason or "").strip()
    with transaction.atomic():
        _check_system_admin(admin)
        if not reason:
            raise UnitChangeError(_("驳回时必须填写审核意见。"), "reason")
        change = _lock_pending(change)
        change.status = UnitChange.Status.REFUSED
        change.decided_by = admin
        change.decided_at = timezone.now()
        change.reason = reason
        change.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        _record_decision(change)
        _tell_requester(change)
        return change


def remember_language(user, language):
    """中文 | English: keep a signed-in person's choice on the account (pages after login, mail from commands)."""
    if language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
