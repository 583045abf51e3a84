"""accounts.services: the verbs of 单位管理 (U1) — request, withdraw, approve, refuse, update contacts."""

import pytest
from django.core import mail

from kechuang.accounts import services
from kechuang.accounts.models import ContactChange, Unit, UnitChange
from kechuang.accounts.services import UnitChangeError

from .unit_factories import NEW_CODE, OTHER_CODE, contacts, make_unit, registration


def _reload(unit):
    return Unit.objects.get(pk=unit.pk)


def test_u1_request_creates_pending_change_and_leaves_unit_untouched(demo):
    unit = demo.sldx_admin.unit
    change = services.request_registration_change(unit, demo.sldx_admin, registration())
    assert change.status == UnitChange.Status.PENDING
    assert (change.old_name, change.name) == ("示例科技大学", "示例理工大学")
    assert change.credit_code == NEW_CODE
    assert change.requested_by == demo.sldx_admin
    assert _reload(unit).name == "示例科技大学"
    assert _reload(unit).credit_code == unit.credit_code
    assert services.pending_change(unit) == change


def test_u1_request_normalises_credit_code_to_upper_case(demo):
    change = services.request_registration_change(
        demo.sldx_admin.unit, demo.sldx_admin, registration(code=NEW_CODE.lower())
    )
    assert change.credit_code == NEW_CODE


def test_u1_second_request_while_pending_is_refused(demo):
    unit = demo.sldx_admin.unit
    services.request_registration_change(unit, demo.sldx_admin, registration())
    with pytest.raises(UnitChangeError, match="已有一项待审核"):
        services.request_registration_change(unit, demo.sldx_admin, registration(name="另一个名称"))
    assert UnitChange.objects.filter(unit=unit).count() == 1


def test_u1_unchanged_registration_is_refused(demo):
    unit = demo.sldx_admin.unit
    same = registration(name=unit.name, code=unit.credit_code, unit_type=unit.unit_type)
    with pytest.raises(UnitChangeError, match="没有变化"):
        services.request_registration_change(unit, demo.sldx_admin, same)
    assert not UnitChange.objects.exists()


@pytest.mark.parametrize(
    ("field", "data", "message"),
    [
        ("credit_code", {"code": "credit"}, "该统一社会信用代码已被其他单位使用"),
        ("name", {"name": "示例新材料有限公司"}, "已有其他单位使用该单位名称"),
    ],
)
def test_u1_duplicate_name_or_credit_code_of_another_unit_is_refused(demo, field, data, message):
    if data.get("code") == "credit":
        data = {"code": demo.xcl_admin.unit.credit_code}
    with pytest.raises(UnitChangeError, match=message) as caught:
        services.request_registration_change(demo.sldx_admin.unit, demo.sldx_admin, registration(**data))
    assert caught.value.field == field
    assert not UnitChange.objects.exists()


def test_u1_credit_code_requested_by_another_unit_is_refused_while_pending(demo):
    services.request_registration_change(demo.xcl_admin.unit, demo.xcl_admin, registration(name="新名称公司"))
    with pytest.raises(UnitChangeError, match="其他单位已申请使用该统一社会信用代码"):
        services.request_registration_change(demo.sldx_admin.unit, demo.sldx_admin, registration())
    assert UnitChange.objects.count() == 1


@pytest.mark.parametrize("who", ["zhangsan", "xcl_admin", "edu_reviewer", "admin"])
def test_u1_only_the_units_own_administrator_may_request(demo, who):
    unit = demo.sldx_admin.unit
    with pytest.raises(UnitChangeError, match="只有本单位的单位管理员"):
        services.request_registration_change(unit, getattr(demo, who), registration())
    with pytest.raises(UnitChangeError, match="只有本单位的单位管理员"):
        services.update_contacts(unit, getattr(demo, who), contacts())
    assert not UnitChange.objects.exists()
    assert not ContactChange.objects.exists()


def test_u1_approve_applies_registration_and_records_decision(demo, django_capture_on_commit_callbacks):
    unit = demo.sldx_admin.unit
    change = services.request_registration_change(unit, demo.sldx_admin, registration())
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_unit_change(change, demo.admin)
    unit = _reload(unit)
    assert (unit.name, unit.credit_code, unit.unit_type) == ("示例理工大学", NEW_CODE, Unit.Type.UNIVERSITY)
    change.refresh_from_db()
    assert change.status == UnitChange.Status.APPROVED
    assert change.decided_by == demo.admin
    assert change.decided_at is not None
    assert change.old_name == "示例科技大学"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sldx_admin@example.com"]
    assert "已通过审核" in mail.outbox[0].body


def test_u1_approve_twice_is_refused(demo):
    change = services.request_registration_change(demo.sldx_admin.unit, demo.sldx_admin, registration())
    services.approve_unit_change(change, demo.admin)
    with pytest.raises(UnitChangeError, match="该变更已处理（已通过）"):
        services.approve_unit_change(change, demo.admin)
    with pytest.raises(UnitChangeError, match="该变更已处理"):
        services.refuse_unit_change(change, demo.admin, "晚了")


def test_u1_approve_rechecks_uniqueness_at_decision_time(demo):
    unit = demo.sldx_admin.unit
    change = services.request_registration_change(unit, demo.sldx_admin, registration())
    other = make_unit(code=OTHER_CODE)
    # Meanwhile the system administrator registered a unit under the requested code.
    Unit.objects.filter(pk=other.pk).update(credit_code=NEW_CODE)
    with pytest.raises(UnitChangeError, match="该统一社会信用代码已被其他单位使用"):
        services.approve_unit_change(change, demo.admin)
    assert _reload(unit).name == "示例科技大学"
    change.refresh_from_db()
    assert change.status == UnitChange.Status.PENDING


@pytest.mark.parametrize("who", ["zhangsan", "sldx_admin", "kjt_reviewer"])
def test_u1_only_a_system_administrator_may_decide(demo, who):
    unit = demo.sldx_admin.unit
    change = services.request_registration_change(unit, demo.sldx_admin, registration())
    with pytest.raises(UnitChangeError, match="只有系统管理员"):
        services.approve_unit_change(change, getattr(demo, who))
    with pytest.raises(UnitChangeError, match="只有系统管理员"):
        services.refuse_unit_change(change, getattr(demo, who), "不行")
    change.refresh_from_db()
    assert change.status == UnitChange.Status.PENDING
    assert _reload(unit).name == "示例科技大学"


def test_u1_refuse_keeps_old_data_and_stores_reason(demo, django_capture_on_commit_callbacks):
    unit = demo.sldx_admin.unit
    change = services.request_registration_change(unit, demo.sldx_admin, registration())
    with django_capture_on_commit_callbacks(execute=True):
        services.refuse_unit_change(change, demo.admin, "  请上传更名批复文件  ")
    change.refresh_from_db()
    assert change.status == UnitChange.Status.REFUSED
    assert change.reason == "请上传更名批复文件"
    assert change.decided_by == demo.admin
    assert _reload(unit).name == "示例科技大学"
    assert "请上传更名批复文件" in mail.outbox[0].body
    # Once decided, a new request may be made.
    services.request_registration_change(unit, demo.sldx_admin, registration())


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_u1_refuse_without_reason_is_refused(demo, reason):
    change = services.request_registration_change(demo.sldx_admin.unit, demo.sldx_admin, registration())
    with pytest.raises(UnitChangeError, match="必须填写审核意见") as caught:
        services.refuse_unit_change(change, demo.admin, reason)
    assert caught.value.field == "reason"
    change.refresh_from_db()
    assert change.status == UnitChange.Status.PENDING


def test_u1_withdraw_pending_change(demo):
    unit = demo.sldx_admin.unit
    change = services.request_registration_change(unit, demo.sldx_admin, registration())
    with pytest.raises(UnitChangeError, match="只有本单位的单位管理员"):
        services.withdraw_unit_change(unit, demo.xcl_admin)
    services.withdraw_unit_change(unit, demo.sldx_admin)
    change.refresh_from_db()
    assert change.status == UnitChange.Status.WITHDRAWN
    assert services.pending_change(unit) is None
    with pytest.raises(UnitChangeError, match="没有待审核的注册信息变更"):
        services.withdraw_unit_change(unit, demo.sldx_admin)
    with pytest.raises(UnitChangeError, match="该变更已处理（已撤回）"):
        services.approve_unit_change(change, demo.admin)


def test_u1_update_contacts_is_effective_at_once_with_before_and_after(demo):
    unit = demo.sldx_admin.unit
    change = services.update_contacts(unit, demo.sldx_admin, contacts())
    unit = _reload(unit)
    assert (unit.contact_name, unit.contact_phone, unit.postcode) == ("孙老师", "0451-86400099", "150001")
    assert change.before["contact_name"] == "赵老师"
    assert change.after["contact_name"] == "孙老师"
    assert change.changed_by == demo.sldx_admin
    assert [row[0] for row in change.differences()] == [
        "联系人",
        "联系电话",
        "电子邮箱",
        "通讯地址",
        "邮政编码",
    ]


def test_u1_update_contacts_without_change_records_nothing(demo):
    unit = demo.sldx_admin.unit
    services.update_contacts(unit, demo.sldx_admin, contacts())
    assert services.update_contacts(unit, demo.sldx_admin, contacts()) is None
    assert ContactChange.objects.count() == 1
