"""F1 在线办理 → 在线申报: who may create a filing, when, and what it copies."""

import datetime

import pytest
from django.urls import reverse

from kechuang.accounts.models import User
from kechuang.filings.models import Filing, Status
from kechuang.workflow.models import Business


def business_url(business):
    return reverse("filings:business", kwargs={"public_id": business.public_id})


def create_url(business):
    return reverse("filings:create", kwargs={"public_id": business.public_id})


def test_F1_business_page_needs_login(client, demo):
    response = client.get(business_url(demo.business))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=" in response["Location"]


def test_F1_business_page_shows_period_and_button(client, demo):
    client.force_login(demo.zhangsan)
    response = client.get(business_url(demo.business))
    html = response.content.decode()
    assert response.status_code == 200
    assert "省国际科技合作平台备案" in html
    start, end = demo.business.period_start, demo.business.period_end
    assert f"申报期：{start:%Y-%m-%d} - {end:%Y-%m-%d}" in html
    assert "在线申报" in html
    assert "disabled" not in html.split("在线申报")[0].rsplit("<button", 1)[1]


def test_F1_create_makes_a_draft_with_snapshots_and_opens_the_guide(client, demo):
    client.force_login(demo.zhangsan)
    response = client.post(create_url(demo.business))
    filing = Filing.objects.get(owner=demo.zhangsan)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "filings:edit", kwargs={"public_id": filing.public_id, "tab": "guide"}
    )
    assert filing.status == Status.DRAFT
    assert filing.unit == demo.zhangsan.unit
    assert filing.unit_name == "示例科技大学"
    assert filing.unit_credit_code == demo.zhangsan.unit.credit_code
    assert filing.unit_contact_name == "赵老师"
    assert filing.owner_name == "张三"
    assert filing.owner_id_number == demo.zhangsan.id_number
    assert filing.owner_birth_date == datetime.date(1980, 5, 12)
    assert filing.owner_email == "zhangsan@example.com"


def test_F1_an_applicant_may_own_several_filings(client, demo):
    client.force_login(demo.zhangsan)
    client.post(create_url(demo.business))
    client.post(create_url(demo.business))
    assert Filing.objects.filter(owner=demo.zhangsan).count() == 2


def test_P4_F1_outside_the_period_the_button_is_disabled_and_the_server_refuses(client, demo):
    client.force_login(demo.zhangsan)
    page = client.get(business_url(demo.closed_business)).content.decode()
    assert "不在申报期内" in page
    assert "disabled" in page.split("在线申报")[-2].rsplit("<button", 1)[1]
    response = client.post(create_url(demo.closed_business))
    assert response.status_code == 403
    assert "不在申报期内" in response.content.decode()
    assert not Filing.objects.exists()


@pytest.mark.parametrize("username", ["sldx_admin", "edu_reviewer", "kjt_reviewer"])
def test_F1_only_applicants_may_file(client, demo, username):
    client.force_login(User.objects.get(username=username))
    assert (
        "只有个人用户（平台负责人）可以在线申报" in client.get(business_url(demo.business)).content.decode()
    )
    response = client.post(create_url(demo.business))
    assert response.status_code == 403
    assert "只有个人用户（平台负责人）可以在线申报" in response.content.decode()
    assert not Filing.objects.exists()


def test_F1_create_by_get_is_405(client, demo):
    client.force_login(demo.zhangsan)
    assert client.get(create_url(demo.business)).status_code == 405
    assert not Filing.objects.exists()


def test_F1_unknown_business_is_404(client, demo):
    client.force_login(demo.zhangsan)
    missing = Business(public_id="00000000-0000-0000-0000-000000000000")
    assert client.get(business_url(missing)).status_code == 404
    assert client.post(create_url(missing)).status_code == 404


def test_F1_an_applicant_without_a_unit_is_told_so(client, demo):
    User.objects.filter(pk=demo.lisi.pk).update(unit=None)
    client.force_login(User.objects.get(pk=demo.lisi.pk))
    response = client.post(create_url(demo.business))
    assert response.status_code == 403
    assert "尚未关联依托单位" in response.content.decode()
    assert not Filing.objects.exists()
