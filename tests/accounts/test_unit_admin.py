"""The system administrator's side of U1: UnitChange approval in the admin site, ContactChange history."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from kechuang.accounts import services
from kechuang.accounts.models import ContactChange, Role, Unit, UnitChange, User

from .unit_factories import NEW_CODE, contacts, make_unit, registration

CHANGELIST = reverse("admin:accounts_unitchange_changelist")


@pytest.fixture
def admin(client, demo):
    client.force_login(demo.admin)
    return client


@pytest.fixture
def pending(demo):
    return services.request_registration_change(demo.sldx_admin.unit, demo.sldx_admin, registration())


def _action(client, action, changes, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [c.pk for c in changes], **extra}
    return client.post(CHANGELIST, data)


def test_u1_changelist_lists_filters_and_searches(admin, pending):
    page = admin.get(CHANGELIST).content.decode()
    assert "示例理工大学" in page
    assert "通过所选变更" in page
    assert "驳回所选变更" in page
    assert "delete_selected" not in page
    assert "示例理工大学" in admin.get(CHANGELIST, {"status__exact": "pending"}).content.decode()
    assert "示例理工大学" not in admin.get(CHANGELIST, {"status__exact": "approved"}).content.decode()
    assert "示例理工大学" in admin.get(CHANGELIST, {"q": "示例科技"}).content.decode()
    assert "示例理工大学" not in admin.get(CHANGELIST, {"q": "新材料"}).content.decode()


def test_u1_change_rows_are_read_only(admin, pending):
    url = reverse("admin:accounts_unitchange_change", args=[pending.pk])
    page = admin.get(url).content.decode()
    assert "示例理工大学" in page
    assert 'name="name"' not in page  # shown, not editable
    assert admin.post(url, {"name": "直接改名"}).status_code == 403
    assert admin.get(reverse("admin:accounts_unitchange_add")).status_code == 403
    assert admin.post(reverse("admin:accounts_unitchange_delete", args=[pending.pk])).status_code == 403
    pending.refresh_from_db()
    assert pending.name == "示例理工大学"


def test_u1_approve_action_applies_the_change(admin, demo, pending):
    response = _action(admin, "approve_selected", [pending])
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == UnitChange.Status.APPROVED
    assert pending.decided_by == demo.admin
    unit = Unit.objects.get(pk=demo.sldx_admin.unit_id)
    assert (unit.name, unit.credit_code) == ("示例理工大学", NEW_CODE)
    page = admin.get(CHANGELIST).content.decode()
    assert "已通过 1 项变更" in page


def test_u1_approve_action_reports_changes_that_cannot_be_approved(admin, demo, pending):
    services.approve_unit_change(pending, demo.admin)
    _action(admin, "approve_selected", [pending])
    page = admin.get(CHANGELIST).content.decode()
    assert "该变更已处理（已通过），不能再次审核。" in page


def test_u1_refuse_action_asks_for_a_reason_first(admin, pending):
    response = _action(admin, "refuse_selected", [pending], index="0")
    assert response.status_code == 200
    page = response.content.decode()
    assert "errornote" not in page
    assert '<label for="id_reason"' in page
    assert "示例科技大学" in page and "示例理工大学" in page
    pending.refresh_from_db()
    assert pending.status == UnitChange.Status.PENDING


@pytest.mark.parametrize("reason", ["", "   "])
def test_u1_refuse_without_reason_is_refused(admin, demo, pending, reason):
    response = _action(admin, "refuse_selected", [pending], confirm="驳回所选变更", reason=reason)
    assert response.status_code == 400
    assert "请填写驳回原因" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == UnitChange.Status.PENDING
    assert Unit.objects.get(pk=demo.sldx_admin.unit_id).name == "示例科技大学"


def test_u1_refuse_with_reason_keeps_old_data_and_unit_admin_sees_reason(admin, client, demo, pending):
    response = _action(admin, "refuse_selected", [pending], confirm="驳回所选变更", reason="缺少更名批复")
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.reason, pending.decided_by) == ("refused", "缺少更名批复", demo.admin)
    assert Unit.objects.get(pk=demo.sldx_admin.unit_id).name == "示例科技大学"
    client.force_login(demo.sldx_admin)
    page = client.get(reverse("accounts:unit")).content.decode()
    assert "未通过" in page
    assert "缺少更名批复" in page


def test_u1_actions_handle_several_units_at_once(admin, demo, pending):
    unit = make_unit()
    unit_admin = User.objects.create_user(
        "third_admin", name="第三单位管理员", role=Role.UNIT_ADMIN, unit=unit
    )
    other = services.request_registration_change(
        unit, unit_admin, registration(name="第三测试单位（更名）", code=unit.credit_code)
    )
    _action(admin, "approve_selected", [pending, other])
    assert set(UnitChange.objects.values_list("status", flat=True)) == {"approved"}
    assert Unit.objects.filter(name__in=["示例理工大学", "第三测试单位（更名）"]).count() == 2


def test_u1_non_staff_cannot_reach_the_admin(client, demo, pending):
    client.force_login(demo.sldx_admin)
    response = _action(client, "approve_selected", [pending])
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    pending.refresh_from_db()
    assert pending.status == UnitChange.Status.PENDING


def test_u1_contact_change_admin_is_a_read_only_list(admin, demo):
    services.update_contacts(demo.sldx_admin.unit, demo.sldx_admin, contacts())
    page = admin.get(reverse("admin:accounts_contactchange_changelist")).content.decode()
    assert "联系人：赵老师 → 孙老师" in page
    change = ContactChange.objects.get()
    assert admin.get(reverse("admin:accounts_contactchange_change", args=[change.pk])).status_code == 200
    assert admin.get(reverse("admin:accounts_contactchange_add")).status_code == 403
    assert admin.post(reverse("admin:accounts_contactchange_delete", args=[change.pk])).status_code == 403
