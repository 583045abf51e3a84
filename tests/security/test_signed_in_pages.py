"""Signed-in pages (issue 11 items 8 and 9): never stored by a browser or proxy cache; a password set by someone
else is changed before anything else; 修改密码 and 个人信息 are audited and the old-password check is throttled."""

import pytest
from django.test import Client
from django.urls import reverse

from kechuang.accounts.models import User
from kechuang.audit.models import EventKind, SecurityEvent

pytestmark = pytest.mark.django_db


def test_every_signed_in_page_says_no_store_and_public_pages_do_not(client, demo):
    anonymous = client.get(reverse("portal:home"))
    assert "no-store" not in anonymous.get("Cache-Control", "")
    client.force_login(demo.zhangsan)
    for url in (
        reverse("portal:home"),
        reverse("portal:center"),
        reverse("accounts:profile"),
        reverse("filings:mine"),
        reverse("review:notifications"),
        "/no-such-page/",
    ):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url
    redirect = client.post(reverse("accounts:logout"))
    assert "no-store" in redirect["Cache-Control"]  # the request was still signed in


def test_a_password_set_by_someone_else_must_be_changed_first(client, demo):
    User.objects.filter(pk=demo.lisi.pk).update(must_change_password=True)
    client.post(f"{reverse('accounts:login')}?kind=personal", {"username": "lisi", "password": "Demo@2026"})
    for url in (reverse("portal:center"), reverse("filings:mine"), reverse("portal:home")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change"), (
            url
        )
    page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 200
    assert "请先修改密码" in page.content.decode()
    # A POST elsewhere is refused the same way and changes nothing.
    assert client.post(reverse("accounts:profile"), {"name": "改名"})["Location"] == reverse(
        "accounts:password_change"
    )
    assert User.objects.get(pk=demo.lisi.pk).name == "李四"
    done = client.post(
        reverse("accounts:password_change"),
        {"old_password": "Demo@2026", "new_password1": "Mine#Own2026", "new_password2": "Mine#Own2026"},
    )
    assert done.status_code == 302
    assert not User.objects.get(pk=demo.lisi.pk).must_change_password
    assert client.get(reverse("portal:center")).status_code == 200
    assert SecurityEvent.objects.filter(kind=EventKind.PASSWORD_CHANGED, username="lisi").exists()


def test_logout_stays_possible_while_a_password_change_is_due(client, demo):
    User.objects.filter(pk=demo.lisi.pk).update(must_change_password=True)
    client.force_login(User.objects.get(pk=demo.lisi.pk))
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_old_password_check_of_password_change_is_throttled(client, demo, settings):
    client.force_login(demo.zhangsan)
    url = reverse("accounts:password_change")
    wrong = {
        "old_password": "Wrong#Guess2026",
        "new_password1": "Next#Pass2026",
        "new_password2": "Next#Pass2026",
    }
    limit = settings.PASSWORD_CHANGE_ATTEMPTS
    for _ in range(limit):
        assert client.post(url, wrong).status_code == 400
    refused = client.post(url, {**wrong, "old_password": "Demo@2026"})
    assert refused.status_code == 429
    assert "尝试次数过多" in refused.content.decode()
    assert User.objects.get(pk=demo.zhangsan.pk).check_password(
        "Demo@2026"
    )  # not changed, even with the right one


def test_profile_and_unit_contact_edits_are_audited_with_the_address(demo):
    client = Client(REMOTE_ADDR="198.51.100.44")
    client.force_login(demo.zhangsan)
    person = demo.zhangsan
    data = {f: getattr(person, f) or "" for f in ("name", "gender", "position", "research_field", "mobile")}
    data.update(
        id_type=person.id_type,
        id_number=person.id_number,
        birth_date=person.birth_date.isoformat(),
        title=person.title,
        education=person.education,
        email="new@example.com",
    )
    assert client.post(reverse("accounts:profile"), data).status_code == 302
    event = SecurityEvent.objects.get(kind=EventKind.PROFILE_CHANGED, username="zhangsan")
    assert event.ip_address == "198.51.100.44"
    assert "email" in event.detail["fields"]
    assert "new@example.com" not in str(event.detail)  # which fields changed, not the personal data itself

    unit_admin = Client(REMOTE_ADDR="198.51.100.45")
    unit_admin.force_login(demo.sldx_admin)
    contacts = {
        "contact_name": "孙老师",
        "contact_phone": "0451-86400009",
        "contact_email": "unit@example.com",
        "address": "哈尔滨市示例路9号",
        "postcode": "150001",
    }
    assert unit_admin.post(reverse("accounts:unit_contacts"), contacts).status_code == 302
    event = SecurityEvent.objects.get(kind=EventKind.UNIT_CONTACTS_CHANGED, username="sldx_admin")
    assert event.ip_address == "198.51.100.45"
