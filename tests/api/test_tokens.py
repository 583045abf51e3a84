"""API令牌: missing, malformed, unknown, expired and revoked tokens are 401 JSON (never a 500), a call from outside
the allow-list is a 403, only the SHA-256 of a token is stored, every call is logged, and the 系统管理员 creates
(shown once) and revokes tokens in the admin site."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from kechuang.api.models import ApiLog, ApiToken, hash_token

from .conftest import ApiClient, make_token

URL = "/api/v1/filings"


def assert_json_refusal(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert isinstance(body["detail"], str) and body["detail"]
    assert "items" not in body
    return body


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "bearer kc_" + "x" * 43,
        "Bearer kc_" + "x" * 5000,
        "Bearer not-a-token",
        "Bearer kc_\u4e2d\u6587",
        "Token kc_abc",
        "Bearer kc_a b c",
    ],
)
def test_missing_or_malformed_tokens_are_401(demo, client, header):
    headers = {} if header is None else {"Authorization": header}
    response = client.get(URL, headers=headers)
    assert_json_refusal(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")
    log = ApiLog.objects.get()
    assert log.status == 401 and log.token is None and log.endpoint == URL


def test_expired_and_revoked_tokens_are_401_and_logged_with_the_token(demo):
    expired_raw, expired = make_token(demo, expires_in=-datetime.timedelta(seconds=1))
    revoked_raw, revoked = make_token(demo, revoked=True)
    assert "过期" in assert_json_refusal(ApiClient(expired_raw).get(URL), 401)["detail"]
    assert "撤销" in assert_json_refusal(ApiClient(revoked_raw).get(URL), 401)["detail"]
    assert set(ApiLog.objects.values_list("token_id", "status")) == {(expired.pk, 401), (revoked.pk, 401)}


def test_a_token_revoked_after_use_stops_working(demo):
    raw, token = make_token(demo)
    client = ApiClient(raw)
    assert client.get(URL).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert_json_refusal(client.get(URL), 401)


def test_address_allow_list(demo):
    raw, _token = make_token(demo, addresses="10.1.0.0/16\n192.0.2.7")
    assert ApiClient(raw, REMOTE_ADDR="10.1.200.3").get(URL).status_code == 200
    assert ApiClient(raw, REMOTE_ADDR="192.0.2.7").get(URL).status_code == 200
    body = assert_json_refusal(ApiClient(raw, REMOTE_ADDR="10.2.0.1").get(URL), 403)
    assert "地址" in body["detail"]
    assert_json_refusal(ApiClient(raw, REMOTE_ADDR="2001:db8::1").get(URL), 403)
    assert list(ApiLog.objects.order_by("id").values_list("client_address", "status")) == [
        ("10.1.200.3", 200),
        ("192.0.2.7", 200),
        ("10.2.0.1", 403),
        ("2001:db8::1", 403),
    ]


def test_bad_allow_list_is_a_field_error(demo):
    token = ApiToken(name="x", scope="province", expires_at=timezone.now(), allowed_addresses="10.0.0.300")
    token.issue()
    with pytest.raises(Exception) as error:
        token.full_clean()
    assert "allowed_addresses" in error.value.message_dict


def test_only_the_hash_is_stored(demo):
    raw, token = make_token(demo)
    token.refresh_from_db()
    assert token.key_hash == hash_token(raw) and len(token.key_hash) == 64
    stored = json.dumps(list(ApiToken.objects.values()), default=str)
    assert raw not in stored and raw[10:] not in stored
    assert raw.startswith("kc_") and len(raw) >= 40


def test_every_call_is_logged_with_token_endpoint_address_and_status(demo):
    raw, token = make_token(demo)
    client = ApiClient(raw, REMOTE_ADDR="203.0.113.9")
    client.get("/api/v1/businesses")
    client.get(URL, {"status": "done"})
    client.get("/api/v1/filings/00000000-0000-0000-0000-000000000000")
    client.get(URL, {"limit": "0"})
    rows = list(ApiLog.objects.order_by("id").values_list("token_id", "endpoint", "client_address", "status"))
    assert rows == [
        (token.pk, "/api/v1/businesses", "203.0.113.9", 200),
        (token.pk, "/api/v1/filings?status=done", "203.0.113.9", 200),
        (token.pk, "/api/v1/filings/00000000-0000-0000-0000-000000000000", "203.0.113.9", 404),
        (token.pk, "/api/v1/filings?limit=0", "203.0.113.9", 400),
    ]


def test_the_security_audit_log_is_not_written_by_api_calls(demo):
    from kechuang.audit.models import SecurityEvent

    raw, _token = make_token(demo)
    before = SecurityEvent.objects.count()
    client = ApiClient(raw)
    for _ in range(5):
        client.get(URL)
        client.get("/api/v1/filings/00000000-0000-0000-0000-000000000000")
    ApiClient("kc_" + "y" * 43).get(URL)
    assert SecurityEvent.objects.count() == before


def test_purge_api_log_keeps_its_own_retention(demo, settings):
    settings.API_LOG_RETENTION_DAYS = 200
    now = timezone.now()
    old = ApiLog.objects.create(
        method="GET", endpoint="/old", status=200, created_at=now - datetime.timedelta(201)
    )
    kept = ApiLog.objects.create(
        method="GET", endpoint="/kept", status=200, created_at=now - datetime.timedelta(199)
    )
    call_command("purge_api_log", "--dry-run", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert ApiLog.objects.count() == 2
    call_command("purge_api_log", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(ApiLog.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not ApiLog.objects.filter(pk=old.pk).exists()
    with pytest.raises(CommandError):
        call_command("purge_api_log", "--days", "30")
    assert ApiLog.objects.count() == 1


# The admin site ------------------------------------------------------------------------------------------------


def test_admin_creates_a_token_shown_once_and_stores_only_its_hash(demo, client):
    client.force_login(demo.admin)
    expires = (timezone.localtime() + datetime.timedelta(days=90)).strftime("%Y-%m-%d")
    response = client.post(
        "/admin/api/apitoken/add/",
        {
            "name": "哈尔滨市科技局数据看板",
            "scope": "department",
            "department": demo.hrb_reviewer.department_id,
            "unit": "",
            "expires_at_0": expires,
            "expires_at_1": "00:00:00",
            "allowed_addresses": "10.8.0.0/16",
        },
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    page = response.content.decode()
    start = page.index('value="kc_') + len('value="')
    raw = page[start : page.index('"', start)]
    assert hash_token(raw) == token.key_hash
    assert token.created_by == demo.admin and token.department_id == demo.hrb_reviewer.department_id
    # Never again: neither the list nor the change page shows it.
    for url in ("/admin/api/apitoken/", f"/admin/api/apitoken/{token.pk}/change/"):
        assert raw not in client.get(url).content.decode()
    assert ApiClient(raw, REMOTE_ADDR="10.8.1.1").get(URL).status_code == 200


def test_admin_department_scope_needs_a_department(demo, client):
    client.force_login(demo.admin)
    response = client.post(
        "/admin/api/apitoken/add/",
        {"name": "x", "scope": "department", "expires_at_0": "2030-01-01", "expires_at_1": "00:00:00"},
    )
    assert response.status_code == 200
    assert "请选择主管部门" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_admin_revokes_and_cannot_delete(demo, client):
    raw, token = make_token(demo)
    client.force_login(demo.admin)
    response = client.post(
        "/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert_json_refusal(ApiClient(raw).get(URL), 401)
    assert client.get(f"/admin/api/apitoken/{token.pk}/delete/").status_code == 403
    assert ApiToken.objects.filter(pk=token.pk).exists()


@pytest.mark.parametrize("persona", ["kjt_reviewer", "sldx_admin", "zhangsan"])
def test_only_the_system_administrator_reaches_the_token_admin(demo, client, persona):
    client.force_login(getattr(demo, persona))
    response = client.get("/admin/api/apitoken/add/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert not ApiToken.objects.exists()
