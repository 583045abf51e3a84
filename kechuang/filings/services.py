"""The applicant's verbs on a filing: create, save a tab, change a part, delete (F1, F2, F6, F10, Q2).

Every change goes through ``change_filing``: a conditional ``UPDATE … WHERE version = seen AND status IN
(editable)`` that also bumps ``version``. A save from a stale browser tab therefore changes nothing and is told
so (409), and a filing that was 上报'd in the meantime is refused. Changes of the filing's parts (partners,
members, attachments, 数据同步) run in the same transaction as that bump, so they are detected the same way.
"""

from django.db import transaction
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.accounts.models import Role
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
        owned_filings(user).select_related("business", "stage", "cooperation_category"), public_id=public_id
    )


def parse_version(value):
    """The ``version`` a form carried; None when missing or malformed (the view answers 400)."""
    try:
        version = int(value)
    except (TypeError, ValueError):
        return None
    return version if version > 0 else None


def check_can_edit(filing, actor):
    if filing.owner_id != actor.pk:
        raise FilingEditError(_("只有负责人本人可以修改该平台备案。"))
    if not filing.is_editable:
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


def can_file(user):
    return user.is_authenticated and user.role == Role.APPLICANT


def create_filing(business, user):
    """在线申报 (F1): a new draft owned by the applicant, with the unit and 负责人 snapshots copied now."""
    from .sync import leader_snapshot, unit_snapshot

    if not can_file(user):
        raise FilingEditError(_("只有个人用户（平台负责人）可以在线申报。"))
    if not user.unit_id:
        raise FilingEditError(_("您的账号尚未关联依托单位，请先完善个人信息或联系单位管理员。"))
    season = open_season(business, user.unit)
    if season is None:
        raise FilingEditError(
            _("不在申报期内（%(start)s 至 %(end)s），不能在线申报。")
            % {"start": business.period_start, "end": business.period_end},
        )
    now = timezone.now()
    return Filing.objects.create(
        business=business,
        season=season,
        owner=user,
        unit_id=user.unit_id,
        **unit_snapshot(user.unit),
        unit_synced_at=now,
        **leader_snapshot(user),
        leader_synced_at=now,
    )


def can_delete(filing, user):
    """F10: 删除 only by the owner and only before the first 上报 (afterwards the 流转记录 must stay)."""
    return filing.owner_id == user.pk and filing.status == Status.DRAFT and filing.first_submitted_at is None


def delete_filing(filing, user):
    """Delete a never-submitted draft and, once the deletion is committed, its files in storage."""
    with transaction.atomic():
        locked = Filing.objects.select_for_update().filter(pk=filing.pk).first()
        if locked is None or not can_delete(locked, user):
            raise FilingEditError(_("该平台备案已上报过，不能删除。"))
        files = [(a.file.storage, a.file.name) for a in locked.attachments.all()]
        locked.delete()
        transaction.on_commit(lambda: remove_files(files))


def remove_files(files):
    for storage, name in files:
        storage.delete(name)
