"""The applicant's verbs on a filing: create, save a tab, change a part, delete (F1, F2, F6, F10, Q2).

Every change goes through ``change_filing``: a conditional ``UPDATE … WHERE version = seen AND status IN
(editable)`` that also bumps ``version``. A save from a stale browser tab therefore changes nothing and is told
so (409), and a filing that was 上报'd in the meantime is refused. Changes of the filing's parts (partners,
members, attachments, 数据同步) run in the same transaction as that bump, so they are detected the same way.
"""

import rules
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.accounts.models import PersonStatus, User
from kechuang.workflow.seasons import open_season

from .models import EDITABLE_STATUSES, Filing, OverseasPartner, Status

CONFLICT_MESSAGE = gettext_lazy("该平台备案已在其他窗口或由其他人修改，请刷新页面后重新填写。")


class FilingEditError(Exception):
    """A change that cannot be made now. ``message`` is shown as it is; ``status`` is the HTTP status."""

    status = 403

    def __init__(self, message, status=None):
        super().__init__(str(message))
        self.message = str(message)
        if status is not None:
            self.status = status


class VersionConflict(FilingEditError):
    """Q2: the filing changed since the form was loaded (another browser tab, another person)."""

    status = 409

    def __init__(self):
        super().__init__(CONFLICT_MESSAGE)


def owned_filings(user):
    """The filings ``user`` may edit: the access choke point narrowed to the owner (other people → 404)."""
    return Filing.objects.visible_to(user).filter(owner_id=user.pk)


def get_owned_filing(user, public_id):
    return get_object_or_404(
        # unit: the 删除 hint asks whether the unit's 申报期 is open (filings.remedy).
        owned_filings(user).select_related("business", "stage", "cooperation_category", "unit"),
        public_id=public_id,
    )


def check_can_edit(filing, actor):
    """The ``can_edit`` rule, refused with the reason that applies."""
    if rules.test_rule("can_edit", actor, filing):
        return
    if filing.owner_id != actor.pk:
        raise FilingEditError(_("只有负责人本人可以修改该平台备案。"))
    raise FilingEditError(_("该平台备案已上报，当前不能修改。如需修改，请等待退回或撤销后再修改。"))


def change_filing(filing, actor, expected_version, **changes):
    """Apply ``changes`` (field name → value) and bump ``version``, only if nothing changed since
    ``expected_version`` (None: skip that check, e.g. for 数据同步 called from code). Call inside
    ``transaction.atomic()`` together with any change of the filing's parts."""
    check_can_edit(filing, actor)
    rows = Filing.objects.filter(pk=filing.pk, owner_id=actor.pk, status__in=EDITABLE_STATUSES)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    now = timezone.now()
    if rows.update(version=F("version") + 1, updated_at=now, **changes) != 1:
        current = Filing.objects.filter(pk=filing.pk).values_list("status", flat=True).first()
        if current not in EDITABLE_STATUSES:
            raise FilingEditError(_("该平台备案已上报，当前不能修改。"))
        raise VersionConflict()
    for name, value in changes.items():
        setattr(filing, name, value)
    filing.updated_at = now
    if expected_version is None:
        filing.version = Filing.objects.filter(pk=filing.pk).values_list("version", flat=True).get()
    else:
        filing.version = expected_version + 1
    return filing


def save_tab(filing, actor, form, expected_version):
    """保存 (F2): the current tab's fields only, in one transaction, with the version check (Q2)."""
    with transaction.atomic():
        return change_filing(filing, actor, expected_version, **form.changes())


def save_part(filing, actor, expected_version, form):
    """Add or edit a member/partner/project/result (F5, F6), bumping the filing's version."""
    with transaction.atomic():
        change_filing(filing, actor, expected_version)
        item = form.save(commit=False)
        item.filing = filing
        item.save()
    return item


def delete_part(filing, actor, expected_version, item):
    with transaction.atomic():
        change_filing(filing, actor, expected_version)
        if isinstance(item, OverseasPartner):
            check_partner_removal(filing, item)
        item.delete()


# --- 国别 rules (F4, F6) -----------------------------------------------------------------------------------


def chosen_countries(filing):
    """The codes chosen in 基本信息, each with the label of the field that chose it."""
    chosen = {}
    if filing.main_country:
        chosen[filing.main_country.code] = _("主要合作国别")
    if filing.second_country:
        chosen[filing.second_country.code] = _("第二关键国别")
    for country in filing.other_countries:
        chosen.setdefault(country.code, _("其他国别"))
    return chosen


def check_partner_removal(filing, partner):
    """F6: a partner whose 国别 is chosen in 基本信息 may not be removed (or have its 国别 changed) while it is
    the only partner of that country — the choice would dangle. We refuse rather than silently clear the
    choice: the applicant decides what 基本信息 should say, then removes the partner."""
    code = partner.country.code
    chosen = chosen_countries(filing)
    if code not in chosen:
        return
    others = filing.partners.exclude(pk=partner.pk).filter(country=code).exists()
    if not others:
        raise FilingEditError(
            _(
                "“%(country)s”已在“基本信息”中被选为“%(field)s”，且没有其他该国别的海外合作伙伴。"
                "请先在“基本信息”中取消该国别的选择并保存，再删除或修改此合作伙伴的国别。"
            )
            % {"country": partner.country.name, "field": chosen[code]},
            status=400,
        )


# --- create and delete (F1, F10) --------------------------------------------------------------------------


def unconfirmed_message(user):
    """Why a self-registered person cannot 在线办理 yet (issue 11), naming the unit's contact; None if they can."""
    if user.person_status == PersonStatus.CONFIRMED:
        return None
    unit = user.unit
    if unit is None:
        return _("您的账号尚未关联依托单位，请在“个人信息”中提交转入申请。")
    wait = (
        _("您的依托单位已拒绝确认您的注册")
        if user.person_status == PersonStatus.REFUSED
        else _("您的账号尚待依托单位的单位管理员确认")
    )
    return _(
        "%(wait)s，确认后才能在线办理。请联系%(unit)s的单位管理员：%(contact)s，联系电话 %(phone)s，电子邮箱 %(email)s。"
    ) % {
        "wait": wait,
        "unit": unit.name,
        "contact": unit.contact_name or "—",
        "phone": unit.contact_phone or "—",
        "email": unit.contact_email or "—",
    }


def move_drafts(person, unit):
    """转入申请 confirmed: the person's never-submitted drafts follow them to the new unit (and its data);
    filings already submitted once stay with the unit that reviewed them."""
    from .sync import unit_snapshot

    return Filing.objects.filter(owner=person, status=Status.DRAFT, first_submitted_at__isnull=True).update(
        unit=unit,
        **unit_snapshot(unit),
        unit_synced_at=timezone.now(),
        version=F("version") + 1,
        updated_at=timezone.now(),
    )


def create_filing(business, user):
    """在线申报 (F1): a new draft owned by the applicant, with the unit and 负责人 snapshots copied now."""
    from .sync import owner_snapshot, unit_snapshot

    if not rules.test_rule("can_file", user):
        raise FilingEditError(_("只有个人用户（平台负责人）可以在线申报。"))
    if not user.unit_id:
        raise FilingEditError(_("您的账号尚未关联依托单位，请先完善个人信息或联系单位管理员。"))
    if refusal := unconfirmed_message(user):
        raise FilingEditError(refusal)
    season = open_season(business, user.unit)
    if season is None:
        raise FilingEditError(
            _("不在申报期内（%(start)s 至 %(end)s），不能在线申报。")
            % {"start": business.period_start, "end": business.period_end},
        )
    now = timezone.now()
    with transaction.atomic():
        # At most MAX_DRAFTS_PER_PERSON drafts (issue 11): the person's row is locked, so two simultaneous
        # 在线申报 cannot both pass the count.
        User.objects.select_for_update().filter(pk=user.pk).first()
        limit = settings.MAX_DRAFTS_PER_PERSON
        if Filing.objects.filter(owner=user, status=Status.DRAFT).count() >= limit:
            raise FilingEditError(
                _("您已有 %(limit)d 个填报中的平台备案，请先上报或删除不需要的草稿后再新建。")
                % {"limit": limit},
                status=409,
            )
        return Filing.objects.create(
            business=business,
            season=season,
            owner=user,
            unit_id=user.unit_id,
            **unit_snapshot(user.unit),
            unit_synced_at=now,
            **owner_snapshot(user),
            owner_synced_at=now,
        )


def delete_filing(filing, user):
    """Delete a never-submitted draft and, once the deletion is committed, its files in storage."""
    with transaction.atomic():
        locked = Filing.objects.select_for_update().filter(pk=filing.pk).first()
        if locked is None or not rules.test_rule("can_delete", user, locked):
            raise FilingEditError(_("该平台备案已上报过，不能删除。"))
        files = [(a.file.storage, a.file.name) for a in locked.attachments.all()]
        locked.delete()
        transaction.on_commit(lambda: remove_files(files))


def remove_files(files):
    for storage, name in files:
        storage.delete(name)
