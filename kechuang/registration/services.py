"""Verbs of self-service accounts (issue 11): the only code that changes registrations, a person's 人员状态,
unit membership (转入申请) and identity (姓名, 证件类型, 证件号码).

Each verb is one transaction that locks the row it decides on (``select_for_update``), re-checks its rule inside
the lock, saves with ``update_fields``, keeps the decision on the request row and queues its mail with
``transaction.on_commit``. Views call these; nothing else writes these models or the fields they govern.
"""

import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from kechuang.accounts.models import IdType, PersonStatus, Role, Unit, UnitChange, User
from kechuang.accounts.validators import id_birth_date
from kechuang.filings.services import move_drafts

from .models import (
    Decision,
    IdentityChange,
    PersonRegistration,
    RegistrationEvent,
    TransferRequest,
    UnitRegistration,
)

logger = logging.getLogger("kechuang.registration")


class RegistrationError(Exception):
    """A step that is not allowed now. ``message`` is shown as it is; ``field`` names the form field."""

    status = 400

    def __init__(self, message, field=None, status=None):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
        if status is not None:
            self.status = status


# --- mail ----------------------------------------------------------------------------------------------------


def mail(to, template, context, person):
    """Send ``registration/mail/<template>.txt`` (first line: subject) once the transaction commits.

    In ``person``'s language (the one they registered in, or chose since), not the deciding reviewer's. A mail
    server that is down must not undo a committed decision: the failure is logged, the page answers.
    """
    if not to:
        return
    with translation.override(person.mail_language):
        text = render_to_string(f"registration/mail/{template}.txt", context)
    subject, _sep, body = text.strip().partition("\n")

    def send():
        try:
            send_mail(subject.strip(), body.strip() + "\n", None, [to])
        except Exception:  # SMTP errors of every kind; the decision stands
            logger.exception("mail %s to %s failed", template, to)

    transaction.on_commit(send)


def registrant_language():
    """The language the registration form was filled in, for the new account (blank: the default)."""
    language = translation.get_language()
    return language if language in dict(settings.LANGUAGES) and language != settings.LANGUAGE_CODE else ""


def absolute(request, path):
    return request.build_absolute_uri(path) if request is not None else path


def send_password_reset(person, request):
    """A signed, single-use 重置密码 link (Django's token generator, valid PASSWORD_RESET_TIMEOUT seconds).

    The token covers the password hash and last login, so it stops working once it has been used."""
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    link = absolute(request, reverse("registration:password_reset", kwargs={"uidb64": uid, "token": token}))
    mail(person.email, "password_reset", {"person": person, "link": link}, person)


# --- 单位注册 --------------------------------------------------------------------------------------------------

UNIT_FIELDS = ("name", "credit_code", "unit_type", "region", "department", "contact_name", "contact_phone")


def check_unit_unique(name, credit_code, exclude_registration=None):
    """A unit's name and 统一社会信用代码 are unique among units, open registrations and pending changes."""
    if Unit.objects.filter(credit_code=credit_code).exists():
        raise RegistrationError(
            _("该统一社会信用代码的单位已注册，请勿重复注册；如需账号请联系本单位的单位管理员。"),
            "credit_code",
        )
    if Unit.objects.filter(name=name).exists():
        raise RegistrationError(_("已有同名单位注册，请核对单位名称。"), "name")
    open_registrations = UnitRegistration.objects.exclude(status=UnitRegistration.Status.APPROVED)
    if exclude_registration is not None:
        open_registrations = open_registrations.exclude(pk=exclude_registration.pk)
    if open_registrations.filter(credit_code=credit_code).exists():
        raise RegistrationError(
            _("该统一社会信用代码已提交单位注册，正在审核中，请勿重复注册。"), "credit_code"
        )
    if open_registrations.filter(name=name).exists():
        raise RegistrationError(_("同名单位已提交单位注册，正在审核中。"), "name")
    pending = UnitChange.objects.filter(status=UnitChange.Status.PENDING)
    if pending.filter(credit_code=credit_code).exists() or pending.filter(name=name).exists():
        raise RegistrationError(
            _("其他单位已申请使用该单位名称或统一社会信用代码，正在审核中。"), "credit_code"
        )


def _store_certificate(registration, uploaded, sha256):
    registration.certificate = uploaded
    registration.certificate_name = uploaded.name
    registration.certificate_size = uploaded.size
    registration.certificate_sha256 = sha256


def _remove_file_on_failure(field_file):
    if field_file and field_file._committed and field_file.name:
        field_file.storage.delete(field_file.name)


def register_unit(data, uploaded, sha256, display_name):
    """单位注册: the administrator's account (待确认, no unit yet) and the registration, waiting as 待审核."""
    registration = UnitRegistration(
        **{field: data[field] for field in UNIT_FIELDS},
        contact_email=data["email"],
        submitted_at=timezone.now(),
    )
    _store_certificate(registration, uploaded, sha256)
    registration.certificate_name = display_name
    try:
        with transaction.atomic():
            check_unit_unique(data["name"], data["credit_code"])
            if User.objects.filter(username__iexact=data["username"]).exists():
                raise RegistrationError(_("该账号已被使用，请换一个账号。"), "username")
            applicant = User.objects.create_user(
                data["username"],
                email=data["email"],
                password=data["password1"],
                name=data["contact_name"],
                role=Role.UNIT_ADMIN,
                person_status=PersonStatus.PENDING,
                language=registrant_language(),
            )
            registration.applicant = applicant
            registration.save()
            RegistrationEvent.objects.create(
                registration=registration, action=RegistrationEvent.Action.SUBMIT, actor=applicant
            )
    except IntegrityError:
        _remove_file_on_failure(registration.certificate)
        raise RegistrationError(_("该单位或账号刚刚已被注册，请核对后重试。"), "credit_code") from None
    except BaseException:
        _remove_file_on_failure(registration.certificate)
        raise
    mail(registration.contact_email, "unit_submitted", {"registration": registration}, applicant)
    return registration


def resubmit_unit(registration, actor, data, uploaded=None, sha256="", display_name=""):
    """After 退回 the applicant corrects the registration and submits it again with the same account.

    A new 单位登记证明 replaces the old one (whose file leaves storage after the commit); without one the old
    file stays."""
    locked = None
    old_name = registration.certificate.name
    try:
        with transaction.atomic():
            locked = UnitRegistration.objects.select_for_update().get(pk=registration.pk)
            if locked.applicant_id != actor.pk:
                raise RegistrationError(_("只有注册申请人可以修改该单位注册。"), status=403)
            if locked.status != UnitRegistration.Status.RETURNED:
                raise RegistrationError(_("该单位注册正在审核中或已通过，不能修改。"), status=409)
            check_unit_unique(data["name"], data["credit_code"], exclude_registration=locked)
            for field in UNIT_FIELDS:
                setattr(locked, field, data[field])
            locked.contact_email = data["email"]
            fields = [*UNIT_FIELDS, "contact_email", "status", "submitted_at"]
            if uploaded is not None:
                old_name = locked.certificate.name
                storage = locked.certificate.storage
                _store_certificate(locked, uploaded, sha256)
                locked.certificate_name = display_name
                fields += ["certificate", "certificate_name", "certificate_size", "certificate_sha256"]
                transaction.on_commit(lambda: storage.delete(old_name))
            locked.status = UnitRegistration.Status.PENDING
            locked.submitted_at = timezone.now()
            locked.save(update_fields=fields)
            User.objects.filter(pk=actor.pk).update(person_status=PersonStatus.PENDING)
            RegistrationEvent.objects.create(
                registration=locked, action=RegistrationEvent.Action.RESUBMIT, actor=actor
            )
    except BaseException as error:
        if uploaded is not None and locked is not None and locked.certificate.name != old_name:
            _remove_file_on_failure(locked.certificate)
        if isinstance(error, IntegrityError):
            raise RegistrationError(_("该单位刚刚已被注册，请核对后重试。"), "credit_code") from None
        raise
    mail(locked.contact_email, "unit_submitted", {"registration": locked}, actor)
    return locked


def can_review_registrations(user):
    return bool(
        user.is_authenticated
        and user.is_active
        and (
            user.role == Role.SYSTEM_ADMIN
            or (user.role == Role.DEPARTMENT_REVIEWER and user.department_id is not None)
        )
    )


def registrations_for(user):
    """The unit registrations ``user`` reviews: their own 主管部门's, or all for the 系统管理员."""
    if not can_review_registrations(user):
        return UnitRegistration.objects.none()
    if user.role == Role.SYSTEM_ADMIN:
        return UnitRegistration.objects.all()
    return UnitRegistration.objects.filter(department_id=user.department_id)


def _locked_for_review(registration, actor):
    locked = registrations_for(actor).select_for_update().filter(pk=registration.pk).first()
    if locked is None:
        raise RegistrationError(_("您无权审核该单位注册。"), status=404)
    if locked.status != UnitRegistration.Status.PENDING:
        raise RegistrationError(
            _("该单位注册已被处理（%(status)s），请刷新页面。") % {"status": locked.get_status_display()},
            status=409,
        )
    return locked


def approve_unit(registration, actor, reason=""):
    """通过: the unit exists from now on, with its administrator's account confirmed; the result is mailed."""
    try:
        with transaction.atomic():
            locked = _locked_for_review(registration, actor)
            check_unit_unique(locked.name, locked.credit_code, exclude_registration=locked)
            unit = Unit.objects.create(
                name=locked.name,
                credit_code=locked.credit_code,
                unit_type=locked.unit_type,
                region=locked.region,
                department_id=locked.department_id,
                contact_name=locked.contact_name,
                contact_phone=locked.contact_phone,
                contact_email=locked.contact_email,
            )
            locked.status = UnitRegistration.Status.APPROVED
            locked.unit = unit
            locked.decided_by = actor
            locked.decided_at = timezone.now()
            locked.reason = reason
            locked.save(update_fields=["status", "unit", "decided_by", "decided_at", "reason"])
            User.objects.filter(pk=locked.applicant_id).update(
                unit=unit, person_status=PersonStatus.CONFIRMED
            )
            RegistrationEvent.objects.create(
                registration=locked, action=RegistrationEvent.Action.APPROVE, actor=actor, reason=reason
            )
    except IntegrityError:
        raise RegistrationError(_("已有同名或同一统一社会信用代码的单位，不能通过。"), status=409) from None
    mail(locked.contact_email, "unit_approved", {"registration": locked}, locked.applicant)
    return locked


def return_unit(registration, actor, reason):
    """退回 (reason required): the applicant may log in, correct and resubmit."""
    if not reason.strip():
        raise RegistrationError(_("请填写退回原因。"), "reason")
    with transaction.atomic():
        locked = _locked_for_review(registration, actor)
        locked.status = UnitRegistration.Status.RETURNED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.reason = reason.strip()
        locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        User.objects.filter(pk=locked.applicant_id).update(person_status=PersonStatus.REFUSED)
        RegistrationEvent.objects.create(
            registration=locked, action=RegistrationEvent.Action.RETURN, actor=actor, reason=locked.reason
        )
    mail(locked.contact_email, "unit_returned", {"registration": locked}, locked.applicant)
    return locked


# --- 个人注册 --------------------------------------------------------------------------------------------------


def identity_taken(id_type, id_number, exclude_pk=None):
    others = User.objects.filter(role=Role.APPLICANT, id_type=id_type, id_number=id_number)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.exists()


def register_person(data):
    """个人注册: the account works at once, as 待确认 until the unit administrator confirms it."""
    if identity_taken(data["id_type"], data["id_number"]):
        raise RegistrationError(
            _("该证件号码已注册个人账号，请直接登录；忘记密码请使用“忘记密码”。"), "id_number"
        )
    if User.objects.filter(username__iexact=data["username"]).exists():
        raise RegistrationError(_("该账号已被使用，请换一个账号。"), "username")
    try:
        with transaction.atomic():
            person = User.objects.create_user(
                data["username"],
                email=data["email"],
                password=data["password1"],
                name=data["name"],
                role=Role.APPLICANT,
                unit=data["unit"],
                person_status=PersonStatus.PENDING,
                id_type=data["id_type"],
                id_number=data["id_number"],
                gender=data["gender"],
                birth_date=data["birth_date"],
                mobile=data["mobile"],
                language=registrant_language(),
            )
            PersonRegistration.objects.create(
                person=person, unit=data["unit"], privacy_consented_at=timezone.now()
            )
    except IntegrityError:
        raise RegistrationError(_("该证件号码或账号刚刚已被注册，请核对后重试。"), "id_number") from None
    return person


# --- 人员管理 --------------------------------------------------------------------------------------------------


def is_unit_admin(user):
    return bool(
        user.is_authenticated and user.is_active and user.role == Role.UNIT_ADMIN and user.unit_id is not None
    )


def people_of(unit):
    """The unit's personal accounts, for 人员管理 (unit administrators' accounts are the 系统管理员's)."""
    return User.objects.filter(unit=unit, role=Role.APPLICANT)


PERSON_ACTIONS = {
    # action: (allowed from, to)
    "confirm": ({PersonStatus.PENDING, PersonStatus.REFUSED}, PersonStatus.CONFIRMED),
    "refuse": ({PersonStatus.PENDING}, PersonStatus.REFUSED),
    "disable": ({PersonStatus.PENDING, PersonStatus.CONFIRMED, PersonStatus.REFUSED}, PersonStatus.DISABLED),
    "enable": ({PersonStatus.DISABLED}, PersonStatus.CONFIRMED),
}


def change_person(actor, person, action, request=None):
    """确认 / 拒绝 / 停用 / 启用 one of the unit's people, or 重置密码 (mails a reset link)."""
    with transaction.atomic():
        locked = (
            people_of(actor.unit_id).select_for_update().filter(pk=person.pk).first()
            if is_unit_admin(actor)
            else None
        )
        if locked is None:
            raise RegistrationError(_("该人员不属于本单位。"), status=404)
        if action == "reset_password":
            if not locked.is_active:
                raise RegistrationError(_("该账号已停用，不能重置密码。"), status=409)
            if not locked.email:
                raise RegistrationError(_("该人员没有登记电子邮箱，无法发送重置密码链接。"), status=409)
            send_password_reset(locked, request)
            return locked
        allowed, target = PERSON_ACTIONS[action]
        if locked.person_status not in allowed:
            raise RegistrationError(
                _("该人员当前状态为“%(status)s”，不能执行该操作。")
                % {"status": locked.get_person_status_display()},
                status=409,
            )
        locked.person_status = target
        locked.is_active = target != PersonStatus.DISABLED
        locked.save(update_fields=["person_status", "is_active"])
    if action in ("confirm", "refuse"):
        mail(locked.email, f"person_{action}", {"person": locked, "unit": actor.unit}, locked)
    return locked


# --- 转入申请 --------------------------------------------------------------------------------------------------


def pending_transfer(person):
    return (
        TransferRequest.objects.filter(person=person, status=Decision.PENDING)
        .select_related("to_unit")
        .first()
    )


def request_transfer(person, to_unit):
    if person.role != Role.APPLICANT:
        raise RegistrationError(_("只有个人用户可以提交转入申请。"), status=403)
    if to_unit.pk == person.unit_id:
        raise RegistrationError(_("您已在该单位，无需转入。"), "unit")
    try:
        with transaction.atomic():
            return TransferRequest.objects.create(person=person, from_unit_id=person.unit_id, to_unit=to_unit)
    except IntegrityError:
        raise RegistrationError(_("您已有一份待确认的转入申请，请等待确认或先撤回。"), "unit") from None


def withdraw_transfer(person):
    updated = TransferRequest.objects.filter(person=person, status=Decision.PENDING).update(
        status=Decision.WITHDRAWN, decided_at=timezone.now()
    )
    if not updated:
        raise RegistrationError(_("没有待确认的转入申请。"), status=409)


def transfers_to(unit):
    return TransferRequest.objects.filter(to_unit=unit, status=Decision.PENDING)


def decide_transfer(actor, transfer, approve, reason=""):
    """The new unit's administrator confirms (the person moves, with their unsubmitted drafts) or refuses."""
    if not approve and not reason.strip():
        raise RegistrationError(_("请填写拒绝原因。"), "reason")
    with transaction.atomic():
        locked = (
            TransferRequest.objects.select_for_update()
            .filter(pk=transfer.pk, to_unit_id=actor.unit_id)
            .first()
            if is_unit_admin(actor)
            else None
        )
        if locked is None:
            raise RegistrationError(_("该转入申请不属于本单位。"), status=404)
        if locked.status != Decision.PENDING:
            raise RegistrationError(_("该转入申请已被处理，请刷新页面。"), status=409)
        locked.status = Decision.APPROVED if approve else Decision.REFUSED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.reason = reason.strip()
        locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        person = User.objects.select_for_update().get(pk=locked.person_id)
        if approve:
            person.unit_id = locked.to_unit_id
            person.person_status = PersonStatus.CONFIRMED
            person.save(update_fields=["unit", "person_status"])
            move_drafts(person, locked.to_unit)
    mail(person.email, "transfer_approved" if approve else "transfer_refused", {"transfer": locked}, person)
    return locked


# --- 申请修改身份信息 -----------------------------------------------------------------------------------------

IDENTITY_FIELDS = ("name", "id_type", "id_number")


def pending_identity_change(person):
    return IdentityChange.objects.filter(person=person, status=Decision.PENDING).first()


def request_identity_change(person, data):
    """A request kept until the unit administrator decides; nothing of the profile changes now."""
    if person.role != Role.APPLICANT or not person.unit_id:
        raise RegistrationError(
            _("单位管理员和审核人员的身份信息由系统管理员修改，请联系系统管理员。"), status=403
        )
    if all(getattr(person, field) == data[field] for field in IDENTITY_FIELDS):
        raise RegistrationError(_("身份信息没有变化。"), "name")
    if identity_taken(data["id_type"], data["id_number"], exclude_pk=person.pk):
        raise RegistrationError(_("该证件号码已注册其他个人账号。"), "id_number")
    try:
        with transaction.atomic():
            return IdentityChange.objects.create(
                person=person,
                unit_id=person.unit_id,
                old_name=person.name,
                old_id_type=person.id_type,
                old_id_number=person.id_number,
                **{field: data[field] for field in IDENTITY_FIELDS},
            )
    except IntegrityError:
        raise RegistrationError(
            _("您已有一份待审核的身份信息修改申请，请等待审核或先撤回。"), "name"
        ) from None


def withdraw_identity_change(person):
    updated = IdentityChange.objects.filter(person=person, status=Decision.PENDING).update(
        status=Decision.WITHDRAWN, decided_at=timezone.now()
    )
    if not updated:
        raise RegistrationError(_("没有待审核的身份信息修改申请。"), status=409)


def identity_changes_for(unit):
    return IdentityChange.objects.filter(unit=unit, status=Decision.PENDING)


def decide_identity_change(actor, change, approve, reason=""):
    """The unit administrator approves (the profile takes the new identity) or refuses, with a reason."""
    if not approve and not reason.strip():
        raise RegistrationError(_("请填写不通过的原因。"), "reason")
    with transaction.atomic():
        locked = (
            IdentityChange.objects.select_for_update().filter(pk=change.pk, unit_id=actor.unit_id).first()
            if is_unit_admin(actor)
            else None
        )
        if locked is None:
            raise RegistrationError(_("该申请不属于本单位。"), status=404)
        if locked.status != Decision.PENDING:
            raise RegistrationError(_("该申请已被处理，请刷新页面。"), status=409)
        person = User.objects.select_for_update().get(pk=locked.person_id)
        if person.unit_id != actor.unit_id:
            raise RegistrationError(_("申请人已不在本单位。"), status=409)
        locked.status = Decision.APPROVED if approve else Decision.REFUSED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.reason = reason.strip()
        locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        if approve:
            if identity_taken(locked.id_type, locked.id_number, exclude_pk=person.pk):
                raise RegistrationError(_("该证件号码已注册其他个人账号，不能通过。"), status=409)
            fields = list(IDENTITY_FIELDS)
            for field in IDENTITY_FIELDS:
                setattr(person, field, getattr(locked, field))
            if locked.id_type == IdType.ID_CARD:
                person.birth_date = id_birth_date(locked.id_number)
                person.gender = gender_from_id(locked.id_number)
                fields += ["birth_date", "gender"]
            person.save(update_fields=fields)
    mail(person.email, "identity_approved" if approve else "identity_refused", {"change": locked}, person)
    return locked


def gender_from_id(number):
    """GB 11643: the 17th digit is odd for men and even for women."""
    return "male" if int(number[16]) % 2 else "female"


# --- counters for the personal center -----------------------------------------------------------------------


def pending_counts(user):
    """ "单位注册：待审核 N" for registration reviewers, "人员：待确认 N" for unit administrators."""
    counts = {}
    if can_review_registrations(user):
        counts["pending_registrations"] = (
            registrations_for(user).filter(status=UnitRegistration.Status.PENDING).count()
        )
    if is_unit_admin(user):
        counts["pending_people"] = (
            people_of(user.unit_id).filter(person_status=PersonStatus.PENDING).count()
            + transfers_to(user.unit_id).count()
            + identity_changes_for(user.unit_id).count()
        )
    return counts
