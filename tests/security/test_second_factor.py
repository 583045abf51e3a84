"""Two factors for the three administrators (issue 11 item 7, 等保2.0 身份鉴别): enrolment with a QR code shown
once, login with a TOTP code, nothing reachable before it, recovery by the 安全管理员 (audited)."""

import base64
import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from kechuang.audit.models import EventKind, SecurityEvent

from .second_factor import code, force_login_verified, plain_force_login

pytestmark = pytest.mark.django_db

ADMINISTRATORS = ("admin", "secadmin", "auditadmin")


def admin_login(client, username, password="Demo@2026"):
    return client.post(
        reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"}
    )


def test_first_login_enrols_an_authenticator_shown_once_then_the_admin_site_opens(demo):
    client = Client()
    response = admin_login(client, "admin")
    assert response.status_code == 302
    # The password alone opens nothing: the admin index sends the administrator to the second factor …
    step = client.get(reverse("admin:index"))
    assert step.status_code == 302 and step["Location"] == reverse("accounts:second_factor")
    # … which, without a device, sends them to enrolment.
    step = client.get(reverse("accounts:second_factor"))
    assert step["Location"] == reverse("accounts:second_factor_enrol")
    page = client.get(reverse("accounts:second_factor_enrol"))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in body
    assert "只显示这一次" in body
    assert "no-store" in page["Cache-Control"]
    device = TOTPDevice.objects.get(user=demo.admin)
    assert not device.confirmed
    shown_key = re.search(r'<code class="otp-key">([A-Z2-7 ]+)</code>', body).group(1).replace(" ", "")
    assert base64.b32decode(shown_key + "=" * (-len(shown_key) % 8)) == device.bin_key
    qr_svg = base64.b64decode(re.search(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", body).group(1))
    assert qr_svg.startswith(b"<svg")

    wrong = client.post(reverse("accounts:second_factor_enrol"), {"token": "000000"})
    assert wrong.status_code == 400
    assert "动态口令不正确" in wrong.content.decode()
    assert shown_key not in wrong.content.decode().replace(" ", "")  # the secret is not shown again
    assert client.get(reverse("admin:index")).status_code == 302
    throttled = client.post(reverse("accounts:second_factor_enrol"), {"token": code(device)})
    assert "错误次数过多" in throttled.content.decode()  # django-otp's delay after a failure
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )

    done = client.post(reverse("accounts:second_factor_enrol"), {"token": code(device)})
    assert done.status_code == 302 and done["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    # Once confirmed, the secret is never displayed again.
    assert client.get(reverse("accounts:second_factor_enrol"))["Location"] == reverse("admin:index")
    outcomes = list(
        SecurityEvent.objects.filter(kind=EventKind.SECOND_FACTOR, username="admin").values_list(
            "detail__outcome", flat=True
        )
    )
    assert sorted(outcomes) == ["enrol_failed", "enrolled", "throttled"]


def test_showing_the_enrolment_page_again_replaces_the_unconfirmed_secret(demo):
    client = Client()
    admin_login(client, "auditadmin")
    client.get(reverse("accounts:second_factor_enrol"))
    first = TOTPDevice.objects.get(user=demo.auditadmin)
    client.get(reverse("accounts:second_factor_enrol"))
    second = TOTPDevice.objects.get(user=demo.auditadmin)
    assert first.key != second.key
    assert client.post(reverse("accounts:second_factor_enrol"), {"token": code(first)}).status_code == 400


def test_later_logins_ask_for_the_code_and_refuse_a_wrong_one(demo):
    device = TOTPDevice.objects.create(user=demo.secadmin, name="TOTP", confirmed=True)
    client = Client()
    admin_login(client, "secadmin")
    assert client.get(reverse("accounts:second_factor")).status_code == 200
    wrong = client.post(reverse("accounts:second_factor"), {"token": "123456"})
    assert wrong.status_code == 400
    assert "动态口令不正确或已过期" in wrong.content.decode()
    bad_input = client.post(reverse("accounts:second_factor"), {"token": "12ab"})
    assert bad_input.status_code == 400
    assert "6位数字" in bad_input.content.decode()
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 302
    # django-otp's throttle: after a failure the device refuses codes for a while, even the right one.
    refused = client.post(reverse("accounts:second_factor"), {"token": code(device)})
    assert refused.status_code == 400
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    before = client.session.session_key
    ok = client.post(reverse("accounts:second_factor"), {"token": code(device, drift=1)})
    assert ok.status_code == 302
    assert client.session.session_key != before  # a new session key once both factors are in
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert SecurityEvent.objects.filter(
        kind=EventKind.SECOND_FACTOR, username="secadmin", detail__outcome="verified"
    ).exists()


@pytest.mark.parametrize("persona", ADMINISTRATORS)
def test_without_the_second_factor_an_administrator_reaches_nothing(demo, persona):
    client = Client()
    plain_force_login(client, getattr(demo, persona))
    for url in (
        reverse("admin:index"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:audit_securityevent_changelist"),
        reverse("audit:export"),
        reverse("portal:center"),
        reverse("accounts:profile"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("accounts:second_factor"), url
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_people_without_an_administrator_role_never_see_the_second_factor(demo):
    client = Client()
    client.force_login(demo.zhangsan)
    assert client.get(reverse("portal:center")).status_code == 200
    assert client.get(reverse("accounts:second_factor"))["Location"] == reverse("portal:center")
    assert client.get(reverse("accounts:second_factor_enrol"))["Location"] == reverse("portal:center")
    assert not TOTPDevice.objects.filter(user=demo.zhangsan).exists()
    assert Client().get(reverse("accounts:second_factor"))["Location"].startswith(reverse("accounts:login"))


def test_the_security_administrator_resets_a_lost_authenticator_audited(demo):
    TOTPDevice.objects.create(user=demo.auditadmin, name="TOTP", confirmed=True)
    security = Client()
    force_login_verified(security, demo.secadmin)
    response = security.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [demo.auditadmin.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=demo.auditadmin).exists()
    event = SecurityEvent.objects.get(kind=EventKind.SECOND_FACTOR, detail__outcome="reset")
    assert event.username == "secadmin" and event.detail["account"] == "auditadmin"
    # The audit administrator enrols again at the next login.
    client = Client()
    admin_login(client, "auditadmin")
    assert client.get(reverse("accounts:second_factor"))["Location"] == reverse(
        "accounts:second_factor_enrol"
    )


@pytest.mark.parametrize("persona", ["admin", "auditadmin"])
def test_only_the_security_administrator_can_reset_a_second_factor(demo, persona):
    TOTPDevice.objects.create(user=demo.secadmin, name="TOTP", confirmed=True)
    client = Client()
    force_login_verified(client, getattr(demo, persona))
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [demo.secadmin.pk]},
    )
    assert TOTPDevice.objects.filter(user=demo.secadmin).count() == 1
    assert not SecurityEvent.objects.filter(kind=EventKind.SECOND_FACTOR, detail__outcome="reset").exists()
