"""个人信息 (U2, F5 fields) and 修改密码."""

import datetime

import pytest
from django.urls import reverse

from kechuang.accounts.models import User

PROFILE = reverse("accounts:profile")
FIELDS = [
    "姓名",
    "性别",
    "职务",
    "研究方向",
    "手机",
    "证件类型",
    "证件号码",
    "出生日期",
    "职称",
    "学历",
    "电子邮箱",
]


def good_data(**overrides):
    """个人信息 as a person posts it; 姓名, 证件类型 and 证件号码 are fixed after registration (issue 11) and
    changed only through 申请修改身份信息, so the birth date agrees with zhangsan's registered 身份证."""
    data = {
        "gender": "male",
        "position": "教授",
        "research_field": "国际合作",
        "mobile": "13912345678",
        "birth_date": "1980-05-12",
        "title": "senior",
        "education": "doctor",
        "email": "zhang@example.edu.cn",
    }
    data.update(overrides)
    return data


def snapshot(user):
    return User.objects.filter(pk=user.pk).values(
        "name", "mobile", "id_number", "birth_date", "email", "role", "unit_id", "password"
    )[0]


@pytest.fixture
def zhangsan(client, demo):
    client.force_login(demo.zhangsan)
    return demo.zhangsan


def test_u2_profile_requires_login(client, demo):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_u2_profile_shows_every_f5_field_prefilled(client, zhangsan):
    response = client.get(PROFILE)
    assert response.status_code == 200
    html = response.content.decode()
    for label in FIELDS:
        assert f">{label}<" in html, label
    assert 'type="date" name="birth_date" value="1980-05-12"' in html
    assert 'value="13800000001"' in html
    assert '<button type="submit" class="button button-primary">保存</button>' in html
    assert f'href="{reverse("accounts:password_change")}">修改密码</a>' in html
    assert 'href="/center/profile/" aria-current="page">个人信息</a>' in html
    assert "示例科技大学" in html


def test_u2_good_input_is_saved(client, zhangsan):
    response = client.post(PROFILE, good_data(), follow=True)
    assert response.redirect_chain == [(PROFILE, 302)]
    assert "保存成功" in response.content.decode()
    zhangsan.refresh_from_db()
    assert (zhangsan.position, zhangsan.mobile) == ("教授", "13912345678")
    assert zhangsan.birth_date == datetime.date(1980, 5, 12)
    assert zhangsan.email == "zhang@example.edu.cn"
    assert "欢迎您：" in response.content.decode() and ">张三</a>" in response.content.decode()


def test_u2_identity_fields_posted_to_the_profile_change_nothing(client, zhangsan):
    before = User.objects.values("name", "id_type", "id_number").get(pk=zhangsan.pk)
    response = client.post(
        PROFILE, good_data(name="张三丰", id_type="passport", id_number="E1234567"), follow=True
    )
    assert response.redirect_chain == [(PROFILE, 302)]
    assert User.objects.values("name", "id_type", "id_number").get(pk=zhangsan.pk) == before


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"birth_date": "1949-12-30"}, "birth_date", "出生日期与身份证号码不一致。"),
        ({"birth_date": "2999-01-01"}, "birth_date", "请填写真实的出生日期。"),
        ({"birth_date": "1949-13-01"}, "birth_date", "输入一个有效的日期。"),
        ({"mobile": "1380000000"}, "mobile", "请输入11位手机号码。"),
        ({"mobile": "23800000001"}, "mobile", "请输入11位手机号码。"),
        ({"email": "not-an-email"}, "email", "输入一个有效的 Email 地址。"),
        ({"gender": "robot"}, "gender", "选择一个有效的选项。 robot 不在可用的选项中。"),
    ],
)
def test_u2_bad_input_gets_field_message_400_and_nothing_saved(client, zhangsan, overrides, field, message):
    before = snapshot(zhangsan)
    response = client.post(PROFILE, good_data(**overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{message}</li></ul>' in html
    assert "field-invalid" in html
    assert "保存成功" not in html
    assert snapshot(zhangsan) == before
    # The header still shows the saved name, not the refused input.
    assert ">张三</a>" in html


def test_u2_role_and_unit_cannot_be_changed_through_the_profile(client, zhangsan, demo):
    client.post(PROFILE, good_data(role="province_reviewer", unit=demo.wangwu.unit_id, username="hacker"))
    zhangsan.refresh_from_db()
    assert (zhangsan.role, zhangsan.unit_id, zhangsan.username) == (
        "applicant",
        demo.zhangsan.unit_id,
        "zhangsan",
    )


def test_u2_profile_refuses_other_methods(client, zhangsan):
    assert client.put(PROFILE).status_code == 405


def test_q4_profile_query_count(client, zhangsan, django_assert_num_queries):
    # session, user, the person's unit (shown above the form)
    with django_assert_num_queries(3):
        assert client.get(PROFILE).status_code == 200


def test_password_change_page_and_success(client, zhangsan):
    url = reverse("accounts:password_change")
    html = client.get(url).content.decode()
    assert "<h1>修改密码</h1>" in html and ">旧密码<" in html
    response = client.post(
        url,
        {"old_password": "Demo@2026", "new_password1": "Kexin#2027a", "new_password2": "Kexin#2027a"},
        follow=True,
    )
    assert response.redirect_chain == [(PROFILE, 302)]
    assert "密码修改成功" in response.content.decode()
    zhangsan.refresh_from_db()
    assert zhangsan.check_password("Kexin#2027a")
    assert client.get(PROFILE).status_code == 200  # still logged in


def test_password_change_wrong_old_password_is_400(client, zhangsan):
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "nope", "new_password1": "Kexin#2027a", "new_password2": "Kexin#2027a"},
    )
    assert response.status_code == 400
    assert 'id="id_old_password_error"' in response.content.decode()
    zhangsan.refresh_from_db()
    assert zhangsan.check_password("Demo@2026")
