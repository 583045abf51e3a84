"""个人注册 (issue 11 item 2): search of approved units without JavaScript, derived 性别/出生日期, forged ids,
duplicate 证件号码, privacy consent, login at once, 在线办理 only once confirmed."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from kechuang.accounts.models import PersonStatus, Role, User
from kechuang.filings.models import Filing
from kechuang.registration.models import PersonRegistration

from .helpers import PASSWORD, id_number, person_data

URL = "registration:person_register"


def post(client, data):
    return client.post(reverse(URL), data)


def test_search_lists_approved_units_by_name_or_code_and_keeps_the_input(demo):
    unit = demo.zhangsan.unit
    client = Client()
    data = person_data(unit, unit="", unit_query="示例科技", action="search")
    response = post(client, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert f'value="{unit.public_id}"' in body
    assert demo.xcl_admin.unit.name not in body  # does not match the query
    assert 'value="钱七"' in body  # the rest of the input comes back
    assert PASSWORD not in body
    assert "errorlist" not in body  # a search is not a submission
    response = post(client, {**data, "unit_query": demo.xcl_admin.unit.credit_code})
    assert f'value="{demo.xcl_admin.unit.public_id}"' in response.content.decode()
    assert not User.objects.filter(username="person12").exists()


def test_registration_derives_gender_and_birth_date_and_waits(demo):
    unit = demo.zhangsan.unit
    response = post(Client(), person_data(unit))
    assert response.status_code == 200, response.content.decode()
    person = User.objects.get(username="person12")
    assert person.role == Role.APPLICANT and person.unit == unit
    assert person.person_status == PersonStatus.PENDING
    assert person.birth_date == datetime.date(1990, 6, 15) and person.gender == "male"
    assert PersonRegistration.objects.get(person=person).privacy_consented_at is not None
    assert person.check_password(PASSWORD)


def test_pending_person_logs_in_but_cannot_file_and_is_told_whom_to_ask(demo):
    unit = demo.zhangsan.unit
    post(Client(), person_data(unit))
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "person12", "password": PASSWORD})
    assert response.status_code == 302
    response = client.post(reverse("filings:create", args=[demo.business.public_id]))
    body = response.content.decode()
    assert response.status_code == 403
    assert "尚待依托单位的单位管理员确认" in body
    assert unit.contact_name in body and unit.contact_phone in body
    assert not Filing.objects.filter(owner__username="person12").exists()


def test_derived_values_that_disagree_are_refused(demo):
    unit = demo.zhangsan.unit
    response = post(Client(), person_data(unit, gender="female", birth_date="1991-01-01"))
    body = response.content.decode()
    assert response.status_code == 400
    assert "性别与身份证号码不一致" in body and "出生日期与身份证号码不一致" in body
    assert not User.objects.filter(username="person12").exists()


def test_passport_needs_gender_and_birth_date(demo):
    unit = demo.zhangsan.unit
    response = post(Client(), person_data(unit, id_type="passport", id_number="E12345678"))
    assert response.status_code == 400
    assert "请选择性别" in response.content.decode()
    response = post(
        Client(),
        person_data(
            unit, id_type="passport", id_number="E12345678", gender="female", birth_date="1988-02-03"
        ),
    )
    assert response.status_code == 200
    assert User.objects.get(username="person12").gender == "female"


def test_duplicate_id_number_refused(demo):
    unit = demo.zhangsan.unit
    response = post(Client(), person_data(unit, id_number=demo.zhangsan.id_number, username="dup1"))
    assert response.status_code == 400
    assert "该证件号码已注册个人账号" in response.content.decode()
    assert not User.objects.filter(username="dup1").exists()


def test_bad_id_checksum_refused(demo):
    number = id_number()
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    response = post(Client(), person_data(demo.zhangsan.unit, id_number=wrong))
    assert response.status_code == 400 and "校验位不正确" in response.content.decode()


@pytest.mark.parametrize("forged", ["00000000-0000-0000-0000-000000000000", "1", "' OR 1=1 --", ""])
def test_forged_unit_id_refused(demo, forged):
    response = post(Client(), person_data(demo.zhangsan.unit, unit=forged))
    assert response.status_code == 400
    body = response.content.decode()
    assert "请选择有效的依托单位" in body or "请选择依托单位" in body
    assert not User.objects.filter(username="person12").exists()


def test_privacy_consent_required(demo):
    data = person_data(demo.zhangsan.unit)
    data.pop("privacy")
    response = post(Client(), data)
    assert response.status_code == 400 and "请阅读并同意《隐私政策》" in response.content.decode()
    assert not User.objects.filter(username="person12").exists()


def test_taken_username_refused(demo):
    response = post(Client(), person_data(demo.zhangsan.unit, username="ZhangSan"))
    assert response.status_code == 400 and "该账号已被使用" in response.content.decode()


def test_registration_flood_is_throttled(demo, settings):
    settings.REGISTRATION_POSTS_PER_ADDRESS = 2
    client = Client()
    unit = demo.zhangsan.unit
    codes = [post(client, person_data(unit, seq=f"{i}2", username=f"fl{i}xx")).status_code for i in range(4)]
    assert codes == [200, 200, 429, 429]
    assert User.objects.filter(username__startswith="fl").count() == 2
