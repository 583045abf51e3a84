"""等保2.0 身份鉴别: login-failure lockout with an unlock path, idle-session expiry with a warning (A3)."""

import datetime
import re
import time

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from kechuang.audit.models import EventKind, SecurityEvent
from kechuang.security.middleware import REFRESHED_AT


def login(client, username, password, kind="personal"):
    return client.post(
        f"{reverse('accounts:login')}?kind={kind}", {"username": username, "password": password}
    )


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_with_a_clear_message_and_admin_can_unlock(client, demo):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "zhangsan", "wrong-Password1").status_code == 400
    locked = login(client, "zhangsan", "wrong-Password1")
    assert locked.status_code == 429
    assert "登录失败次数过多，账号已临时锁定" in locked.content.decode()

    # Even the right password is refused while locked, and no session is created.
    again = login(client, "zhangsan", "Demo@2026")
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    assert SecurityEvent.objects.filter(kind=EventKind.LOCKED_OUT, username="zhangsan").exists()
    assert SecurityEvent.objects.filter(kind=EventKind.LOGIN_FAILED, username="zhangsan").count() >= (
        settings.AXES_FAILURE_LIMIT
    )

    # Unlock path documented in docs/security.md: `manage.py axes_reset_username zhangsan`.
    call_command("axes_reset_username", "zhangsan", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not AccessAttempt.objects.filter(username="zhangsan").exists()
    ok = login(client, "zhangsan", "Demo@2026")
    assert ok.status_code == 302
    assert client.session["_auth_user_id"] == str(demo.zhangsan.pk)


@pytest.mark.django_db
def test_lockout_of_one_account_does_not_lock_another(client, demo):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "zhangsan", "wrong-Password1")
    assert login(client, "lisi", "Demo@2026").status_code == 302


@pytest.mark.django_db
def test_admin_site_lists_lockouts_for_unlocking(client, demo):
    """The other unlock path: the 安全管理员 deletes the record under /admin/axes/accessattempt/ (三员分立)."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "wangwu", "wrong-Password1")
    attempt = AccessAttempt.objects.get(username="wangwu")
    client.force_login(demo.admin)
    # Not the 系统管理员's work.
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403
    client.force_login(demo.secadmin)
    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert "wangwu" in listing.content.decode()
    response = client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="wangwu").exists()
    client.logout()
    assert login(client, "wangwu", "Demo@2026").status_code == 302


@pytest.mark.django_db
def test_idle_session_expires_on_the_server(client, demo):
    client.force_login(demo.zhangsan)
    assert client.get(reverse("portal:center")).status_code == 200
    # The session was last used longer ago than SESSION_COOKIE_AGE: the server no longer accepts it.
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(reverse("portal:center"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def _last_refresh_seconds_ago(client, seconds, expire_date):
    """Pretend the session was last refreshed ``seconds`` ago, with this server-side expiry."""
    session = client.session
    session[REFRESHED_AT] = int(time.time()) - seconds
    session.save()
    Session.objects.filter(session_key=session.session_key).update(expire_date=expire_date)
    return session.session_key


@pytest.mark.django_db
def test_a_request_a_minute_after_the_last_refresh_extends_the_session_by_the_idle_timeout(client, demo):
    assert settings.SESSION_COOKIE_AGE == 1800
    client.force_login(demo.zhangsan)
    key = _last_refresh_seconds_ago(client, 61, timezone.now() + datetime.timedelta(seconds=60))
    client.get(reverse("portal:center"))
    remaining = Session.objects.get(session_key=key).expire_date - timezone.now()
    assert datetime.timedelta(seconds=1790) < remaining <= datetime.timedelta(seconds=1800)


@pytest.mark.django_db
def test_requests_within_a_minute_do_not_rewrite_the_session(client, demo):
    """The session row is written at most once a minute; the warning counts down from the real expiry."""
    client.force_login(demo.zhangsan)
    expiry = timezone.now() + datetime.timedelta(seconds=1770)
    key = _last_refresh_seconds_ago(client, 30, expiry)
    body = client.get(reverse("portal:home")).content.decode()
    assert Session.objects.get(session_key=key).expire_date == expiry  # not rewritten
    expires_in = int(re.search(r'data-session-expires-in="(\d+)"', body).group(1))
    assert 1765 <= expires_in <= 1770


@pytest.mark.django_db
def test_anonymous_requests_create_no_session(client, demo):
    client.cookies[settings.SESSION_COOKIE_NAME] = "stale-or-forged-key"
    client.get(reverse("portal:home"))
    assert not Session.objects.exists()


@pytest.mark.django_db
def test_pages_carry_the_expiry_for_the_warning_script(client, demo):
    """site.js reads data-session-expires-in and shows #session-notice two minutes before expiry."""
    anonymous = client.get(reverse("portal:home")).content.decode()
    assert "data-session-expires-in" not in anonymous
    assert "session-notice" not in anonymous
    client.force_login(demo.zhangsan)
    body = client.get(reverse("portal:home")).content.decode()
    assert 'data-session-expires-in="1800"' in body
    assert 'id="session-notice"' in body
    assert "登录将在 2 分钟后过期" in body
    assert "<script>" not in body  # no inline script: the warning is site.js


@pytest.mark.django_db
def test_logout_destroys_the_server_session(client, demo):
    """剩余信息保护: after 退出登录 the old session key is gone from the server, so a copied cookie is useless."""
    client.force_login(demo.zhangsan)
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    stale = type(client)()
    stale.cookies[settings.SESSION_COOKIE_NAME] = key
    assert stale.get(reverse("portal:center")).status_code == 302
