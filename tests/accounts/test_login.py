"""Login page with 个人登录 / 法人登录 (A3), wrong-tab refusal, failed-login lockout, logout."""

import pytest
from django.urls import reverse

LOGIN = reverse("accounts:login")
CENTER = reverse("portal:center")
LOCKED = "登录失败次数过多，账号已临时锁定，请15分钟后再试或联系系统管理员解锁。"
PASSWORD = "Demo@2026"


def login(client, username, password=PASSWORD, kind=None, **extra):
    url = f"{LOGIN}?kind={kind}" if kind else LOGIN
    return client.post(url, {"username": username, "password": password, **extra})


def logged_in_as(client):
    return client.session.get("_auth_user_id")


def test_a3_login_page_has_two_tabs_fields_and_button(client, demo, django_assert_num_queries):
    with django_assert_num_queries(0):  # an anonymous visitor without a session touches no table
        response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="?kind=personal" aria-current="page">个人登录</a>' in html
    assert 'href="?kind=legal">法人登录</a>' in html
    assert '<label for="id_username">账号' in html
    assert '<label for="id_password">密码' in html
    assert '<button type="submit" class="button button-primary">登录</button>' in html
    assert 'action="?kind=personal"' in html


def test_a3_legal_tab_is_marked_current(client, demo):
    html = client.get(LOGIN, {"kind": "legal"}).content.decode()
    assert 'href="?kind=legal" aria-current="page">法人登录</a>' in html
    assert 'action="?kind=legal"' in html


def test_a3_tabs_keep_the_next_target(client, demo):
    html = client.get(LOGIN, {"next": "/center/profile/"}).content.decode()
    assert 'href="?kind=legal&amp;next=%2Fcenter%2Fprofile%2F">法人登录</a>' in html
    assert '<input type="hidden" name="next" value="/center/profile/">' in html


@pytest.mark.parametrize("username", ["zhangsan", "edu_reviewer", "kjt_reviewer"])
def test_a3_personal_login_for_applicants_and_reviewers(client, demo, username):
    response = login(client, username, kind="personal")
    assert response.status_code == 302
    assert response["Location"] == CENTER
    assert logged_in_as(client) == str(getattr(demo, username).pk)


def test_a3_personal_is_the_default_tab(client, demo):
    assert login(client, "zhangsan").status_code == 302


def test_a3_unit_admin_logs_in_through_legal_tab(client, demo):
    response = login(client, "sldx_admin", kind="legal")
    assert response.status_code == 302
    assert logged_in_as(client) == str(demo.sldx_admin.pk)


def test_a3_unit_admin_is_refused_on_personal_tab(client, demo):
    response = login(client, "sldx_admin", kind="personal")
    assert response.status_code == 400
    assert "单位管理员账号请在“法人登录”中登录。" in response.content.decode()
    assert logged_in_as(client) is None


@pytest.mark.parametrize("username", ["zhangsan", "edu_reviewer", "kjt_reviewer"])
def test_a3_personal_accounts_are_refused_on_legal_tab(client, demo, username):
    response = login(client, username, kind="legal")
    assert response.status_code == 400
    assert "该账号不是单位管理员账号，请在“个人登录”中登录。" in response.content.decode()
    assert logged_in_as(client) is None


def test_a3_wrong_password_is_a_400_with_a_chinese_message(client, demo):
    response = login(client, "zhangsan", password="wrong")
    assert response.status_code == 400
    html = response.content.decode()
    assert "账号或密码不正确，请重新输入（区分大小写）。" in html
    assert 'value="zhangsan"' in html
    assert logged_in_as(client) is None


def test_a3_empty_fields_get_field_messages(client, demo):
    response = client.post(LOGIN, {"username": "", "password": ""})
    assert response.status_code == 400
    assert response.content.decode().count('class="errorlist"') == 2


def test_a3_safe_next_is_followed(client, demo):
    response = login(client, "zhangsan", next="/center/profile/")
    assert response["Location"] == "/center/profile/"


def test_a3_foreign_next_is_ignored(client, demo):
    response = login(client, "zhangsan", next="https://evil.example/steal")
    assert response["Location"] == CENTER


def test_a3_five_failures_lock_the_account_for_15_minutes(client, demo):
    for _ in range(4):
        assert login(client, "zhangsan", password="wrong").status_code == 400
    response = login(client, "zhangsan", password="wrong")
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED in html
    assert '<label for="id_password">密码' in html  # still the login page
    # The right password is refused while locked.
    response = login(client, "zhangsan")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert logged_in_as(client) is None


def test_a3_lockout_is_per_account(client, demo):
    for _ in range(5):
        login(client, "zhangsan", password="wrong")
    assert login(client, "lisi").status_code == 302


def test_a3_lockout_on_legal_tab_keeps_that_tab(client, demo):
    for _ in range(5):
        response = login(client, "sldx_admin", password="wrong", kind="legal")
    assert response.status_code == 429
    assert 'href="?kind=legal" aria-current="page">法人登录</a>' in response.content.decode()


def test_a3_a_success_resets_the_failure_count(client, demo):
    for _ in range(4):
        login(client, "zhangsan", password="wrong")
    assert login(client, "zhangsan").status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        assert login(client, "zhangsan", password="wrong").status_code == 400


def test_logout_is_post_only_and_goes_home(client, demo):
    client.force_login(demo.zhangsan)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert logged_in_as(client) == str(demo.zhangsan.pk)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert logged_in_as(client) is None


def test_a3_lockout_page_keeps_only_a_safe_next(client, demo):
    for _ in range(5):
        response = login(client, "zhangsan", password="wrong", next="/center/profile/")
    assert '<input type="hidden" name="next" value="/center/profile/">' in response.content.decode()
    response = login(client, "zhangsan", password="wrong", next="https://evil.example/")
    assert response.status_code == 429
    assert 'name="next"' not in response.content.decode()
