"""数据同步 (S1, S2): refresh a filing's snapshots of its 依托单位 and its 负责人.

A filing keeps copies of the unit's and the responsible person's data, so a filed record
never changes when a profile changes later. The applicant refreshes them on purpose with the 数据同步 buttons,
only while the filing is editable. The unit's data is its *approved* registration (the ``Unit`` row): a
pending 修改注册信息 lives in ``UnitChange`` and reaches filings only after a system administrator approves it.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from kechuang.accounts.models import Unit, User

from .services import FilingEditError, change_filing, check_can_edit

IDENTITY_CHANGED = gettext_lazy(
    "个人信息中的证件号码与本平台备案登记的负责人证件号码不一致，不能同步负责人信息。"
    "负责人不同时，请删除本平台备案，由负责人本人的账号重新填报。"
)


def unit_snapshot(unit):
    return {
        "unit_name": unit.name,
        "unit_credit_code": unit.credit_code,
        "unit_address": unit.address,
        "unit_contact_name": unit.contact_name,
        "unit_contact_phone": unit.contact_phone,
        "unit_contact_email": unit.contact_email,
    }


def owner_snapshot(user):
    return {
        "owner_name": user.name,
        "owner_gender": user.gender,
        "owner_position": user.position,
        "owner_research_field": user.research_field,
        "owner_mobile": user.mobile,
        "owner_id_type": user.id_type,
        "owner_id_number": user.id_number,
        "owner_birth_date": user.birth_date,
        "owner_title": user.title,
        "owner_education": user.education,
        "owner_email": user.email,
    }


def sync_unit(filing, actor, expected_version=None):
    """S1: copy the 依托单位's current approved data into the filing. Raises FilingEditError (owner only,
    editable only; VersionConflict when ``expected_version`` is stale)."""
    check_can_edit(filing, actor)
    unit = Unit.objects.get(pk=filing.unit_id)
    with transaction.atomic():
        return change_filing(
            filing, actor, expected_version, **unit_snapshot(unit), unit_synced_at=timezone.now()
        )


def sync_owner(filing, actor, expected_version=None):
    """S2: copy the 负责人's current 个人信息 into the filing. The 负责人 is the owner; a different person
    means a new filing from that person's account (S3)."""
    check_can_edit(filing, actor)
    owner = User.objects.get(pk=filing.owner_id)
    if filing.owner_id_number and (owner.id_type, owner.id_number) != (
        filing.owner_id_type,
        filing.owner_id_number,
    ):
        # Identity changes only through an approved 申请修改身份信息; a filing of the old identity is that
        # person's, so it is re-filed rather than silently handed to someone else (S3).
        raise FilingEditError(IDENTITY_CHANGED)
    with transaction.atomic():
        return change_filing(
            filing, actor, expected_version, **owner_snapshot(owner), owner_synced_at=timezone.now()
        )
