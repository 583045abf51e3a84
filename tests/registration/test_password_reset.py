"""忘记密码 (issue 11 item 5): same answer whether or not the account exists, a signed single-use link valid 30
minutes, throttled per address, per account and per email address."""

import datetime
import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse

from kechuang.accounts.models import User

NEW = "Neu@2026pass"


def request_link(client, username, email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("registration:password_forgot"), {"username": username, "email": email})


def link_from(message):
    return re.search(r"https?://[^\s]+/password/reset/[^\s]+/", message.body).group(0)


def set_password(client, link, password=NEW):
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    return client.post(form_url, {"new_password1": password, "new_password2": password}), response


def test_same_answer_whether_or_not_the_account_exists(demo, django_capture_on_commit_callbacks):
    client = Client()
    answers = []
    for username, email in (
        ("zhangsan", "zhangsan@example.com"),
        ("zhangsan", "wrong@example.com"),
        ("nobody", "nobody@example.com"),
    ):
        response = request_link(client, username, email, django_capture_on_commit_callbacks)
        answers.append((response.status_code, response["Location"]))
    assert len(set(answers)) == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["zhangsan@example.com"]


def test_link_resets_once_and_then_is_dead(demo, django_capture_on_commit_callbacks):
    request_link(Client(), "zhangsan", "ZhangSan@Example.com", django_capture_on_commit_callbacks)
    link = link_from(mail.outbox[0])
    client = Client()
    response, _ = set_password(client, link)
    assert response.status_code == 302 and response["Location"] == reverse("registration:password_reset_done")
    assert User.objects.get(username="zhangsan").check_password(NEW)
    login = Client().post(reverse("accounts:login"), {"username": "zhangsan", "password": NEW})
    assert login.status_code == 302
    # Reused: the token covered the old password hash.
    again = Client().get(link, follow=True)
    assert "链接无效或已过期" in again.content.decode()
    response, _ = set_password(Client(), link, "Third@2026pass")
    assert not User.objects.get(username="zhangsan").check_password("Third@2026pass")


def test_link_expires_after_30_minutes(demo, settings, django_capture_on_commit_callbacks, monkeypatch):
    assert settings.PASSWORD_RESET_TIMEOUT == 30 * 60
    request_link(Client(), "zhangsan", "zhangsan@example.com", django_capture_on_commit_callbacks)
    link = link_from(mail.outbox[0])
    later = default_token_generator._now() + datetime.timedelta(minutes=31)
    monkeypatch.setattr(type(default_token_generator), "_now", lambda self: later)
    response = Client().get(link, follow=True)
    assert "链接无效或已过期" in response.content.decode()
    assert not User.objects.get(username="zhangsan").check_password(NEW)


def test_new_password_follows_the_rules(demo, django_capture_on_commit_callbacks):
    request_link(Client(), "zhangsan", "zhangsan@example.com", django_capture_on_commit_callbacks)
    response, _ = set_password(Client(), link_from(mail.outbox[0]), "12345678")
    assert response.status_code == 400
    assert User.objects.get(username="zhangsan").check_password("Demo@2026")


@pytest.mark.parametrize(
    "vary",
    ["address_only", "account", "email"],
)
def test_requests_are_throttled(demo, settings, django_capture_on_commit_callbacks, vary):
    settings.PASSWORD_RESET_PER_ADDRESS = 5
    settings.PASSWORD_RESET_PER_ACCOUNT = 2
    settings.PASSWORD_RESET_PER_EMAIL = 2
    codes = []
    for i in range(6):
        if vary == "account":  # one account from many addresses
            client, username, email = Client(REMOTE_ADDR=f"10.0.0.{i}"), "zhangsan", f"x{i}@example.com"
        elif vary == "email":  # one email address, many accounts and addresses
            client, username, email = Client(REMOTE_ADDR=f"10.0.1.{i}"), f"user{i}", "zhangsan@example.com"
        else:  # one address, many accounts and emails
            client, username, email = Client(), f"user{i}", f"y{i}@example.com"
        codes.append(request_link(client, username, email, django_capture_on_commit_callbacks).status_code)
    limit = 5 if vary == "address_only" else 2
    assert codes == [302] * limit + [429] * (6 - limit)


def test_throttled_answer_sends_nothing(demo, settings, django_capture_on_commit_callbacks):
    settings.PASSWORD_RESET_PER_ACCOUNT = 1
    client = Client()
    request_link(client, "zhangsan", "zhangsan@example.com", django_capture_on_commit_callbacks)
    response = request_link(client, "zhangsan", "zhangsan@example.com", django_capture_on_commit_callbacks)
    assert response.status_code == 429 and "Retry-After" in response
    assert len(mail.outbox) == 1


def test_inactive_account_gets_no_mail(demo, django_capture_on_commit_callbacks):
    User.objects.filter(username="zhangsan").update(is_active=False)
    response = request_link(Client(), "zhangsan", "zhangsan@example.com", django_capture_on_commit_callbacks)
    assert response.status_code == 302 and not mail.outbox
