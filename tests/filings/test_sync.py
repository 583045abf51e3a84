"""S1, S2 数据同步: the snapshots change only when the applicant asks, from approved data only."""

import pytest
from django.urls import reverse

from kechuang.accounts.models import UnitChange
from kechuang.filings.models import Filing, Status
from kechuang.filings.services import FilingEditError, VersionConflict
from kechuang.filings.sync import sync_owner, sync_unit

from .factories import edit_url


def test_S1_sync_unit_copies_the_approved_unit_data_not_a_pending_change(filing, demo):
    unit = demo.zhangsan.unit
    unit.contact_name = "孙老师"
    unit.contact_phone = "0451-86400009"
    unit.save()
    UnitChange.objects.create(
        unit=unit,
        name="示例科技大学（新名称）",
        credit_code=unit.credit_code,
        unit_type=unit.unit_type,
        old_name=unit.name,
        old_credit_code=unit.credit_code,
        old_unit_type=unit.unit_type,
        requested_by=demo.sldx_admin,
    )
    assert (
        Filing.objects.get(pk=filing.pk).unit_contact_name == "赵老师"
    )  # snapshots don't follow by themselves
    sync_unit(filing, demo.zhangsan)
    saved = Filing.objects.get(pk=filing.pk)
    assert (saved.unit_name, saved.unit_contact_name, saved.unit_contact_phone) == (
        "示例科技大学",
        "孙老师",
        "0451-86400009",
    )
    assert saved.version == filing.version
    assert saved.version == 2


def test_S2_sync_owner_copies_the_current_profile(filing, demo):
    person = demo.zhangsan
    person.position = "院长"
    person.mobile = "13900000000"
    person.save()
    assert Filing.objects.get(pk=filing.pk).owner_position == "教授"
    sync_owner(filing, person)
    saved = Filing.objects.get(pk=filing.pk)
    assert (saved.owner_position, saved.owner_mobile, saved.version) == ("院长", "13900000000", 2)


def test_S1_S2_only_the_owner_and_only_while_editable(filing, demo):
    with pytest.raises(FilingEditError):
        sync_unit(filing, demo.lisi)
    with pytest.raises(FilingEditError):
        sync_owner(filing, demo.sldx_admin)
    Filing.objects.filter(pk=filing.pk).update(status=Status.IN_REVIEW)
    filing.refresh_from_db()
    with pytest.raises(FilingEditError):
        sync_owner(filing, demo.zhangsan)
    assert Filing.objects.get(pk=filing.pk).version == 1


def test_S1_stale_version_conflicts(filing, demo):
    with pytest.raises(VersionConflict):
        sync_unit(filing, demo.zhangsan, expected_version=filing.version + 5)


def test_S1_S2_buttons_say_同步成功(client, filing, demo):
    client.force_login(demo.zhangsan)
    demo.zhangsan.research_field = "寒地材料"
    demo.zhangsan.save()
    url = reverse("filings:sync_owner", kwargs={"public_id": filing.public_id})
    response = client.post(url, {"version": filing.version}, follow=True)
    assert response.redirect_chain[-1][0] == edit_url(filing, "members")
    assert "同步成功" in response.content.decode() and "寒地材料" in response.content.decode()
    filing.refresh_from_db()
    url = reverse("filings:sync_unit", kwargs={"public_id": filing.public_id})
    response = client.post(url, {"version": filing.version}, follow=True)
    assert response.redirect_chain[-1][0] == edit_url(filing, "basic")
    assert "同步成功" in response.content.decode()
    stale = client.post(url, {"version": filing.version})
    assert stale.status_code == 409
