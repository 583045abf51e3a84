"""单位管理 pages (U1, A2): access, the two forms, history, withdrawal and bounded queries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from kechuang.accounts import services
from kechuang.accounts.models import ContactChange, Unit, UnitChange

from .unit_factories import NEW_CODE, contacts, registration

UNIT = reverse("accounts:unit")
REGISTRATION = reverse("accounts:unit_registration")
CONTACTS = reverse("accounts:unit_contacts")
WITHDRAW = reverse("accounts:unit_registration_withdraw")
REG_HISTORY = reverse("accounts:unit_registration_history")
CONTACT_HISTORY = reverse("accounts:unit_contact_history")
PAGES = [UNIT, REGISTRATION, CONTACTS, REG_HISTORY, CONTACT_HISTORY]


@pytest.fixture
def sldx(client, demo):
    client.force_login(demo.sldx_admin)
    return client


def _text(response):
    return response.content.decode()


# --- access -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [*PAGES, WITHDRAW])
def test_u1_anonymous_is_sent_to_login(client, db, url):
    response = client.post(url) if url == WITHDRAW else client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["zhangsan", "edu_reviewer", "kjt_reviewer"])
@pytest.mark.parametrize("url", PAGES)
def test_u1_applicants_and_reviewers_get_403(client, demo, who, url):
    client.force_login(getattr(demo, who))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("who", ["zhangsan", "edu_reviewer"])
def test_u1_applicants_and_reviewers_cannot_post(client, demo, who):
    client.force_login(getattr(demo, who))
    assert client.post(REGISTRATION, registration()).status_code == 403
    assert client.post(CONTACTS, contacts()).status_code == 403
    assert client.post(WITHDRAW).status_code == 403
    assert not UnitChange.objects.exists()
    assert not ContactChange.objects.exists()


def test_u1_each_unit_administrator_sees_only_their_own_unit(client, demo):
    client.force_login(demo.xcl_admin)
    page = _text(client.get(UNIT))
    assert "示例新材料有限公司" in page
    assert "示例科技大学" not in page
    # Posting as xcl_admin changes xcl's unit, never another one: there is no unit id to address.
    client.post(CONTACTS, contacts())
    assert Unit.objects.get(name="示例新材料有限公司").contact_name == "孙老师"
    assert Unit.objects.get(name="示例科技大学").contact_name == "赵老师"


def test_a2_unit_page_is_the_current_menu_item(sldx):
    page = _text(sldx.get(UNIT))
    assert f'href="{UNIT}" aria-current="page"' in page
    assert "单位管理" in page


@pytest.mark.parametrize("url", [WITHDRAW])
def test_u1_get_on_post_only_action_is_405(sldx, url):
    assert sldx.get(url).status_code == 405


@pytest.mark.parametrize("url", [UNIT, REG_HISTORY, CONTACT_HISTORY])
def test_u1_read_only_pages_refuse_post(sldx, url):
    assert sldx.post(url).status_code == 405


# --- 单位管理 page -----------------------------------------------------------------------------------------


def test_u1_unit_page_shows_approved_data_actions_and_the_managers_note(sldx, demo):
    page = _text(sldx.get(UNIT))
    unit = demo.sldx_admin.unit
    for text in [unit.name, unit.credit_code, "高校", "黑龙江省教育厅", "赵老师", "0451-86400001"]:
        assert text in page
    assert f'href="{REGISTRATION}"' in page and "修改注册信息" in page
    assert f'href="{CONTACTS}"' in page and "修改基本信息" in page
    assert "请先点击“修改基本信息”修改联系人信息" in page
    assert "暂无注册信息变更记录" in page
    assert "暂无基本信息修改记录" in page


# --- 修改注册信息 ------------------------------------------------------------------------------------------


def test_u1_registration_form_is_prefilled_with_current_data(sldx, demo):
    page = _text(sldx.get(REGISTRATION))
    assert 'value="示例科技大学"' in page
    assert demo.sldx_admin.unit.credit_code in page
    assert "保存并提交审核" in page
    assert '<label for="id_name">单位名称' in page
    assert '<label for="id_credit_code">统一社会信用代码' in page
    assert '<label for="id_unit_type">单位类型' in page


def test_u1_submit_registration_creates_pending_change_old_data_stays(sldx, demo):
    response = sldx.post(REGISTRATION, registration(code=NEW_CODE.lower()))
    assert response.status_code == 302
    assert response["Location"] == UNIT
    change = UnitChange.objects.get()
    assert (change.status, change.name, change.credit_code) == ("pending", "示例理工大学", NEW_CODE)
    assert Unit.objects.get(pk=demo.sldx_admin.unit_id).name == "示例科技大学"
    response = sldx.get(UNIT)
    page = _text(response)
    assert "注册信息已提交审核" in page  # the 提示 after 保存并提交审核
    assert "待审核的注册信息变更" in page
    assert "待审核" in page
    assert "提交时间：<time" in page
    assert f"{timezone.localtime(change.requested_at):%Y-%m-%d %H:%M}" in page
    # The data in force is still the old one.
    assert page.index("示例科技大学") < page.index("注册信息变更记录")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (registration(code="91230100MA1BCDEF01"), "credit_code", "校验位不正确"),
        (registration(code="123"), "credit_code", "18"),
        (registration(code="91230100MA1BCDEFO1"), "credit_code", "不含I、O、Z、S、V"),
        (registration(name=""), "name", "必填"),
        (registration(unit_type="school"), "unit_type", "选择一个有效的选项"),
    ],
)
def test_u1_bad_registration_input_is_400_with_field_error(sldx, data, field, message):
    response = sldx.post(REGISTRATION, data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    assert any(message in error for error in errors[field])
    assert message in _text(response)
    assert not UnitChange.objects.exists()


def test_u1_duplicate_credit_code_is_refused_with_field_error(sldx, demo):
    response = sldx.post(REGISTRATION, registration(code=demo.xcl_admin.unit.credit_code))
    assert response.status_code == 400
    assert response.context["form"].errors["credit_code"] == ["该统一社会信用代码已被其他单位使用。"]
    assert not UnitChange.objects.exists()


def test_u1_unchanged_registration_is_400(sldx, demo):
    unit = demo.sldx_admin.unit
    response = sldx.post(REGISTRATION, registration(name=unit.name, code=unit.credit_code))
    assert response.status_code == 400
    assert "注册信息没有变化" in _text(response)


def test_u1_second_submission_while_pending_is_refused(sldx):
    sldx.post(REGISTRATION, registration())
    page = _text(sldx.get(REGISTRATION))
    assert "审核结束前不能再次提交" in page
    assert "保存并提交审核" not in page
    response = sldx.post(REGISTRATION, registration(name="又一个名称"))
    assert response.status_code == 400
    assert "已有一项待审核的注册信息变更" in _text(response)
    assert UnitChange.objects.count() == 1


def test_u1_withdraw_then_submit_again(sldx):
    sldx.post(REGISTRATION, registration(name="写错的名称"))
    response = sldx.post(WITHDRAW, follow=True)
    assert "已撤回待审核的注册信息变更" in _text(response)
    assert "已撤回" in _text(response)
    assert sldx.post(REGISTRATION, registration()).status_code == 302
    assert list(UnitChange.objects.values_list("status", flat=True)) == ["pending", "withdrawn"]


def test_u1_withdraw_without_pending_change_says_so(sldx):
    response = sldx.post(WITHDRAW, follow=True)
    assert "没有待审核的注册信息变更" in _text(response)


def test_u1_outcome_and_reason_shown_in_history(sldx, demo):
    unit = demo.sldx_admin.unit
    refused = services.request_registration_change(unit, demo.sldx_admin, registration(name="写错的名称"))
    services.refuse_unit_change(refused, demo.admin, "名称与营业执照不一致")
    approved = services.request_registration_change(unit, demo.sldx_admin, registration())
    services.approve_unit_change(approved, demo.admin)
    page = _text(sldx.get(UNIT))
    assert "未通过" in page
    assert "名称与营业执照不一致" in page
    assert "已通过" in page
    assert "单位名称：示例科技大学 → 示例理工大学" in page
    assert "待审核的注册信息变更" not in page
    # Newest first: the approved change is listed before the refused one.
    assert page.index("已通过") < page.index("未通过")
    # The data in force is now the approved one.
    assert response_unit_name(sldx) == "示例理工大学"


def response_unit_name(client):
    return client.get(UNIT).context["unit"].name


# --- 修改基本信息 ------------------------------------------------------------------------------------------


def test_u1_contacts_form_prefilled_and_labelled(sldx):
    page = _text(sldx.get(CONTACTS))
    assert 'value="赵老师"' in page
    assert "保存基本信息" in page
    for label in ["联系人", "联系电话", "电子邮箱", "通讯地址", "邮政编码"]:
        assert f">{label}" in page


def test_u1_contacts_effective_at_once_and_recorded(sldx, demo):
    response = sldx.post(CONTACTS, contacts(contact_phone="138 0000 0099"))
    assert response.status_code == 302
    unit = Unit.objects.get(pk=demo.sldx_admin.unit_id)
    assert (unit.contact_name, unit.contact_phone) == ("孙老师", "13800000099")
    change = ContactChange.objects.get()
    assert change.before["contact_name"] == "赵老师"
    page = _text(sldx.get(UNIT))
    assert "基本信息已保存，立即生效" in page
    assert "联系人：赵老师 → 孙老师" in page
    assert "邮政编码：— → 150001" in page


def test_u1_contacts_unchanged_records_nothing(sldx, demo):
    unit = demo.sldx_admin.unit
    same = {f: getattr(unit, f) for f in services.CONTACT_FIELDS}
    response = sldx.post(CONTACTS, same, follow=True)
    assert "基本信息没有变化" in _text(response)
    assert not ContactChange.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"contact_phone": "12345"}, "contact_phone", "请输入正确的联系电话"),
        ({"contact_phone": "0451-12"}, "contact_phone", "请输入正确的联系电话"),
        ({"postcode": "15000"}, "postcode", "邮政编码应为6位数字"),
        ({"postcode": "15000a"}, "postcode", "邮政编码应为6位数字"),
        ({"contact_email": "not-an-email"}, "contact_email", "请输入有效的电子邮箱地址"),
        ({"contact_name": "  "}, "contact_name", "必填"),
        ({"address": ""}, "address", "必填"),
    ],
)
def test_u1_bad_contacts_input_is_400_with_field_error_and_nothing_saved(
    sldx, demo, overrides, field, message
):
    response = sldx.post(CONTACTS, contacts(**overrides))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert any(message in error for error in errors[field])
    assert message in _text(response)
    assert Unit.objects.get(pk=demo.sldx_admin.unit_id).contact_name == "赵老师"
    assert not ContactChange.objects.exists()


# --- history and query counts ----------------------------------------------------------------------------


def _many_changes(demo, count):
    unit = demo.sldx_admin.unit
    for i in range(count):
        change = services.request_registration_change(
            unit, demo.sldx_admin, registration(name=f"名称{i}", code=unit.credit_code)
        )
        services.refuse_unit_change(change, demo.admin, f"理由{i}")
        services.update_contacts(unit, demo.sldx_admin, contacts(contact_name=f"联系人{i}"))


def test_u1_unit_page_limits_history_and_links_to_all(sldx, demo):
    _many_changes(demo, 7)
    page = _text(sldx.get(UNIT))
    assert page.count("理由") == 5
    assert "理由6" in page and "理由1" not in page  # newest first
    assert f'href="{REG_HISTORY}"' in page
    assert f'href="{CONTACT_HISTORY}"' in page
    all_page = _text(sldx.get(REG_HISTORY))
    assert all_page.count("理由") == 7
    assert "联系人0" in _text(sldx.get(CONTACT_HISTORY))


def test_u1_history_pages_paginate(sldx, demo, settings):
    settings.PAGE_SIZE = 3
    _many_changes(demo, 4)
    first = _text(sldx.get(REG_HISTORY))
    assert first.count("理由") == 3
    assert "第 1 页，共 2 页" in first
    second = _text(sldx.get(REG_HISTORY, {"page": 2}))
    assert second.count("理由") == 1
    assert "理由0" in second


def _unit_page_queries(django_assert_num_queries, client, url, expected):
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


# Queries of 单位管理: session, user, unit + department, registration changes (with requester/decider),
# contact changes (with person).
UNIT_PAGE_QUERIES = 5
# History page: session, user, unit + department, count, one page of rows.
HISTORY_QUERIES = 5


def test_q4_unit_page_queries_pinned_with_one_and_many_changes(sldx, demo, django_assert_num_queries):
    _many_changes(demo, 1)
    _unit_page_queries(django_assert_num_queries, sldx, UNIT, UNIT_PAGE_QUERIES)
    _many_changes(demo, 12)
    services.request_registration_change(demo.sldx_admin.unit, demo.sldx_admin, registration())
    _unit_page_queries(django_assert_num_queries, sldx, UNIT, UNIT_PAGE_QUERIES)


@pytest.mark.parametrize("url", [REG_HISTORY, CONTACT_HISTORY])
def test_q4_history_queries_pinned_with_one_and_many_changes(sldx, demo, django_assert_num_queries, url):
    _many_changes(demo, 1)
    _unit_page_queries(django_assert_num_queries, sldx, url, HISTORY_QUERIES)
    _many_changes(demo, 25)
    _unit_page_queries(django_assert_num_queries, sldx, url, HISTORY_QUERIES)
