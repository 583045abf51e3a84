"""Admin site for the system administrator: people, units, departments, businesses, notices (docs/requirements.md §1)."""

import pytest
from django.urls import reverse

from kechuang.accounts.models import Role, User


@pytest.fixture
def admin_client(client, demo):
    client.force_login(demo.admin)
    return client


def test_admin_header(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert "黑龙江省科技创新服务平台 管理后台" in html


@pytest.mark.parametrize(
    "name",
    [
        "accounts_department",
        "accounts_unit",
        "accounts_user",
        "workflow_business",
        "portal_notice",
    ],
)
def test_admin_lists_and_add_pages_open(admin_client, name):
    assert admin_client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:{name}_add")).status_code == 200


def test_admin_user_list_filters_by_role(admin_client):
    html = admin_client.get(
        reverse("admin:accounts_user_changelist"), {"role__exact": "unit_admin"}
    ).content.decode()
    assert "sldx_admin" in html and "xcl_admin" in html
    assert "zhangsan" not in html


def test_admin_unit_list_filters_by_region_type_and_department(admin_client, demo):
    url = reverse("admin:accounts_unit_changelist")
    html = admin_client.get(url, {"unit_type__exact": "enterprise"}).content.decode()
    assert "示例新材料有限公司" in html and "示例科技大学" not in html
    html = admin_client.get(url, {"region__exact": "heihe"}).content.decode()
    assert "示例新材料有限公司" not in html
    html = admin_client.get(url, {"department__id__exact": demo.edu_reviewer.department_id}).content.decode()
    assert "示例科技大学" in html and "示例新材料有限公司" not in html


def test_admin_user_change_page_shows_role_and_profile(admin_client, demo):
    html = admin_client.get(reverse("admin:accounts_user_change", args=[demo.zhangsan.pk])).content.decode()
    for label in ("角色", "依托单位", "所属部门", "证件号码", "出生日期", "职称"):
        assert label in html


def test_admin_creates_a_reviewer_only_with_a_department(admin_client, demo):
    url = reverse("admin:accounts_user_add")
    data = {
        "username": "new_reviewer",
        "name": "新审核员",
        "role": Role.DEPARTMENT_REVIEWER,
        "password1": "Kexin#2027a",
        "password2": "Kexin#2027a",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "审核人必须选择所属部门。" in response.content.decode()
    assert not User.objects.filter(username="new_reviewer").exists()
    response = admin_client.post(url, {**data, "department": demo.edu_reviewer.department_id})
    assert response.status_code == 302
    assert User.objects.get(username="new_reviewer").department == demo.edu_reviewer.department


def test_admin_refuses_an_applicant_without_a_unit(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "x",
            "name": "某人",
            "role": Role.APPLICANT,
            "password1": "Kexin#2027a",
            "password2": "Kexin#2027a",
        },
    )
    assert "个人用户和单位管理员必须选择依托单位。" in response.content.decode()
    assert not User.objects.filter(username="x").exists()


def test_admin_notice_list_filters_by_tab(admin_client):
    html = admin_client.get(
        reverse("admin:portal_notice_changelist"), {"tab__exact": "guides"}
    ).content.decode()
    assert "单位管理员操作指南" in html
    assert "黑龙江省国际科技合作平台管理办法" not in html


def test_admin_is_closed_to_applicants(client, demo):
    client.force_login(demo.zhangsan)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


def _unit_form(unit, **changes):
    fields = (
        "name",
        "credit_code",
        "unit_type",
        "region",
        "department",
        "address",
        "postcode",
        "contact_name",
        "contact_phone",
        "contact_email",
    )
    data = {field: getattr(unit, f"{field}_id" if field == "department" else field) or "" for field in fields}
    if unit.skip_department_review:
        data["skip_department_review"] = "on"
    return {**data, **changes}


def test_admin_edits_of_a_unit_keep_the_change_history(admin_client, demo):
    from kechuang.accounts.models import ContactChange, UnitChange

    unit = demo.zhangsan.unit
    url = reverse("admin:accounts_unit_change", args=[unit.pk])
    response = admin_client.post(url, _unit_form(unit, name="示例科技大学（更名）", contact_name="赵六"))
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "示例科技大学（更名）" and unit.contact_name == "赵六"
    change = UnitChange.objects.get(unit=unit)
    assert (change.status, change.old_name, change.name) == (
        "approved",
        "示例科技大学",
        "示例科技大学（更名）",
    )
    assert change.requested_by == change.decided_by == demo.admin
    contact = ContactChange.objects.get(unit=unit)
    assert contact.after["contact_name"] == "赵六" and contact.before["contact_name"] != "赵六"


def test_admin_cannot_rename_a_unit_whose_own_change_waits(admin_client, demo):
    from kechuang.accounts import services
    from kechuang.accounts.models import UnitChange

    unit = demo.zhangsan.unit
    services.request_registration_change(
        unit,
        demo.sldx_admin,
        {"name": "示例理工大学", "credit_code": unit.credit_code, "unit_type": unit.unit_type},
    )
    url = reverse("admin:accounts_unit_change", args=[unit.pk])
    response = admin_client.post(url, _unit_form(unit, name="又一个名字"))
    assert response.status_code == 200
    assert "请先审核该变更" in response.content.decode()
    unit.refresh_from_db()
    assert unit.name == "示例科技大学"
    assert list(UnitChange.objects.filter(unit=unit).values_list("status", flat=True)) == ["pending"]
