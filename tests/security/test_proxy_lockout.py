"""Behind the reverse proxy (issue 11 item 8): the client address, the lockout and the login throttles.

Requests come "through nginx": REMOTE_ADDR is the proxy (10.0.0.2) and the proxy appends the address it saw to
X-Forwarded-For. Anything further left in that header was written by the client and must be ignored.
"""

import pytest
from axes.models import AccessAttempt
from django.core.checks import run_checks
from django.test import Client
from django.urls import reverse

from kechuang.audit.models import EventKind, SecurityEvent
from kechuang.security import clientip, login_throttle

PROXY = "10.0.0.2"
RIGHT = "Demo@2026"
WRONG = "wrong-Password1"


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.CLIENT_IP_HEADER = ""


@pytest.fixture
def clock(monkeypatch):
    """The throttles' clock, moved by hand (nothing sleeps)."""
    state = {"now": 1_800_000_000.0}
    monkeypatch.setattr(login_throttle, "_now", lambda: state["now"])

    def advance(seconds):
        state["now"] += seconds

    return advance


def through_proxy(real, spoofed=None):
    """A client whose requests reach Django through the proxy; ``spoofed`` is what it puts in X-Forwarded-For."""
    chain = f"{spoofed}, {real}" if spoofed else real
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=chain)


def login(client, username, password):
    return client.post(
        f"{reverse('accounts:login')}?kind=personal", {"username": username, "password": password}
    )


# --- the address ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "header", "meta", "expected"),
    [
        (1, "", {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.7"}, "203.0.113.7"),
        (1, "", {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.7"}, "203.0.113.7"),
        (
            2,
            "",
            {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.7, 10.0.0.9"},
            "203.0.113.7",
        ),
        (2, "", {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.7"}, PROXY),  # chain too short
        (1, "", {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "1.2.3.4, not-an-ip"}, PROXY),
        (1, "", {"REMOTE_ADDR": PROXY}, PROXY),
        (0, "", {"REMOTE_ADDR": "198.51.100.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "198.51.100.1"),
        (None, "X-Real-IP", {"REMOTE_ADDR": PROXY, "HTTP_X_REAL_IP": "203.0.113.7"}, "203.0.113.7"),
        (None, "X-Real-IP", {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, PROXY),
        (None, "", {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, PROXY),
    ],
)
def test_the_client_address_comes_only_from_what_the_proxy_wrote(settings, count, header, meta, expected):
    settings.TRUSTED_PROXY_COUNT = count
    settings.CLIENT_IP_HEADER = header
    assert clientip.resolve(meta) == expected


def test_a_system_check_warns_when_debug_is_off_and_no_source_is_chosen(settings):
    settings.DEBUG = False
    settings.TRUSTED_PROXY_COUNT = None
    assert "kechuang.W001" in {m.id for m in run_checks(tags=["security"])}
    settings.TRUSTED_PROXY_COUNT = 1
    assert "kechuang.W001" not in {m.id for m in run_checks(tags=["security"])}
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    assert "kechuang.W002" in {m.id for m in run_checks(tags=["security"])}  # both set: ambiguous
    settings.DEBUG = True
    settings.TRUSTED_PROXY_COUNT = None
    settings.CLIENT_IP_HEADER = ""
    assert "kechuang.W001" not in {m.id for m in run_checks(tags=["security"])}


@pytest.mark.django_db
def test_the_audit_log_and_axes_name_the_real_client_not_the_proxy(demo):
    login(through_proxy("203.0.113.7", spoofed="8.8.8.8"), "zhangsan", WRONG)
    event = SecurityEvent.objects.get(kind=EventKind.LOGIN_FAILED, username="zhangsan")
    assert event.ip_address == "203.0.113.7"
    assert AccessAttempt.objects.get(username="zhangsan").ip_address == "203.0.113.7"


# --- the account+address lock --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_spoofed_forwarded_for_does_not_bypass_the_account_address_lock(demo, settings):
    attacker_address = "203.0.113.66"
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(through_proxy(attacker_address, spoofed=f"1.1.1.{i}"), "lisi", WRONG).status_code == 400
    locked = login(through_proxy(attacker_address, spoofed="1.1.1.200"), "lisi", WRONG)
    assert locked.status_code == 429
    # Another spoofed value, even with the right password: still the same real address, still locked.
    assert login(through_proxy(attacker_address, spoofed="9.9.9.9"), "lisi", RIGHT).status_code == 429
    # lisi at her own address is not locked out by it.
    assert login(through_proxy("198.51.100.20"), "lisi", RIGHT).status_code == 302


# --- per account across addresses ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_failures_from_many_addresses_open_a_growing_window_answered_at_once_with_retry_after(
    demo, settings, clock, monkeypatch
):
    settings.LOGIN_ACCOUNT_FREE_FAILURES = 3
    settings.LOGIN_ACCOUNT_MAX_WINDOW = 16
    monkeypatch.setattr("time.sleep", lambda seconds: pytest.fail("a login answer must never sleep"))
    for i in range(3):
        assert login(through_proxy(f"203.0.113.{i + 1}"), "wangwu", WRONG).status_code == 400
    windows = []
    for i in range(6):
        refused = login(through_proxy(f"203.0.113.{50 + i}"), "wangwu", WRONG)
        assert refused.status_code == 429
        assert "请" in refused.content.decode() and "秒后再试" in refused.content.decode()
        windows.append(int(refused["Retry-After"]))
        clock(windows[-1])  # wait exactly as long as told, then fail again
        assert login(through_proxy(f"203.0.113.{100 + i}"), "wangwu", WRONG).status_code == 400
    assert windows == [1, 2, 4, 8, 16, 16]  # doubling, capped
    # Inside the window even the right password is not checked, from a new address.
    refused = login(through_proxy("203.0.113.200"), "wangwu", RIGHT)
    assert refused.status_code == 429
    assert "_auth_user_id" not in refused.client.session
    assert SecurityEvent.objects.filter(kind=EventKind.LOGIN_THROTTLED, username="wangwu").exists()


@pytest.mark.django_db
def test_an_attacker_cannot_lock_the_owner_out_of_their_own_browser(demo, settings, clock):
    settings.LOGIN_ACCOUNT_FREE_FAILURES = 3
    owner = through_proxy("198.51.100.5")
    assert login(owner, "edu_reviewer", RIGHT).status_code == 302  # yesterday: the device cookie is set
    assert login_throttle.DEVICE_COOKIE in owner.cookies
    owner.post(reverse("accounts:logout"))
    # Deadline day: an attacker hammers the account from 40 addresses.
    for i in range(40):
        login(through_proxy(f"203.0.113.{i + 1}"), "edu_reviewer", WRONG)
    assert login(through_proxy("203.0.113.99"), "edu_reviewer", RIGHT).status_code == 429
    # The reviewer, at their own browser, still gets in at once, and so does every other account.
    assert login(owner, "edu_reviewer", RIGHT).status_code == 302
    assert login(through_proxy("198.51.100.6"), "kjt_reviewer", RIGHT).status_code == 302
    # A forged or foreign device cookie does not help the attacker.
    attacker = through_proxy("203.0.113.98")
    attacker.cookies[login_throttle.DEVICE_COOKIE] = "forged"
    assert login(attacker, "edu_reviewer", RIGHT).status_code == 429


@pytest.mark.django_db
def test_the_window_ends_and_a_success_clears_the_count(demo, settings, clock):
    settings.LOGIN_ACCOUNT_FREE_FAILURES = 2
    for i in range(2):
        login(through_proxy(f"203.0.113.{i + 1}"), "zhangsan", WRONG)
    assert login(through_proxy("198.51.100.7"), "zhangsan", RIGHT).status_code == 429
    clock(5)
    assert login(through_proxy("198.51.100.7"), "zhangsan", RIGHT).status_code == 302
    # Counting starts again from zero: one more failure does not throttle.
    login(through_proxy("203.0.113.9"), "zhangsan", WRONG)
    assert login(through_proxy("198.51.100.8"), "zhangsan", RIGHT).status_code == 302


# --- one address, many accounts (password spraying) ------------------------------------------------------------------


@pytest.mark.django_db
def test_one_address_trying_many_accounts_is_stopped(demo, settings, clock):
    settings.LOGIN_ADDRESS_MAX_ACCOUNTS = 5
    sprayer = through_proxy("203.0.113.77", spoofed="4.4.4.4")
    for i in range(5):
        assert login(sprayer, f"user{i:02d}", "Spring2026!").status_code == 400
    refused = login(sprayer, "user05", "Spring2026!")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "尝试登录的账号过多" in refused.content.decode()
    # Changing the spoofed part of X-Forwarded-For changes nothing.
    assert login(through_proxy("203.0.113.77", spoofed="5.5.5.5"), "zhangsan", RIGHT).status_code == 429
    # Other addresses are not affected, and the address is free again after the window.
    assert login(through_proxy("198.51.100.30"), "lisi", RIGHT).status_code == 302
    clock(login_throttle.address_window())
    assert login(through_proxy("203.0.113.77"), "zhangsan", RIGHT).status_code == 302


@pytest.mark.django_db
def test_a_throttled_attempt_is_not_counted_as_a_failure(demo, settings, clock):
    """A refused attempt never reaches authenticate(): it adds no axes failure and no audit LOGIN_FAILED."""
    settings.LOGIN_ACCOUNT_FREE_FAILURES = 1
    login(through_proxy("203.0.113.1"), "lisi", WRONG)
    failures = SecurityEvent.objects.filter(kind=EventKind.LOGIN_FAILED).count()
    attempts = AccessAttempt.objects.count()
    for _ in range(10):
        assert login(through_proxy("203.0.113.2"), "lisi", WRONG).status_code == 429
    assert SecurityEvent.objects.filter(kind=EventKind.LOGIN_FAILED).count() == failures
    assert AccessAttempt.objects.count() == attempts
