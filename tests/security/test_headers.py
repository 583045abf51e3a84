"""等保2.0 入侵防范 / 数据保密性: security headers, cookies, production settings, error pages without details."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "test-" + "k" * 60,
    "ALLOWED_HOSTS": "kjt.example.gov.cn",
    "TRUSTED_PROXY_COUNT": "1",  # behind the documented nginx (without a choice kechuang.W001 warns)
    "PATH": os.environ.get("PATH", ""),
}
# What settings.py sets when DEBUG is off (its `if not DEBUG:` block); asserted below by importing it for real.
PRODUCTION = {
    "DEBUG": False,
    "SECURE_SSL_REDIRECT": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "ALLOWED_HOSTS": ["kjt.example.gov.cn"],
}


def production_python(code):
    env = {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "kechuang.settings"}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_production_settings_module_sets_the_secure_values():
    """settings.py with DEBUG=0 really yields what the override below assumes (no copy drifting apart)."""
    names = sorted(PRODUCTION)
    result = production_python(
        "import django; django.setup(); from django.conf import settings as s; "
        f"print(repr([getattr(s, n) for n in {names!r}]))"
    )
    assert result.returncode == 0, result.stderr
    assert eval(result.stdout) == [PRODUCTION[n] for n in names]  # noqa: S307  (our own repr)


def test_check_deploy_is_clean_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=PRODUCTION_ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_without_secret_key_refuses_to_start():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "-c", "import kechuang.settings"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_every_page_sends_strict_security_headers(client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
@override_settings(**PRODUCTION)
def test_production_sends_hsts_redirects_http_and_marks_cookies_secure(demo):
    client = Client()
    plain = client.get("/", HTTP_HOST="kjt.example.gov.cn")
    assert plain.status_code == 301
    assert plain["Location"] == "https://kjt.example.gov.cn/"

    secure = client.get("/", HTTP_HOST="kjt.example.gov.cn", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"

    page = client.get(reverse("accounts:login"), HTTP_HOST="kjt.example.gov.cn", secure=True)
    assert page.status_code == 200
    login = client.post(
        reverse("accounts:login"),
        {"username": "zhangsan", "password": "Demo@2026"},
        HTTP_HOST="kjt.example.gov.cn",
        secure=True,
    )
    assert login.status_code == 302
    session = login.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert session["max-age"] == ""  # SESSION_EXPIRE_AT_BROWSER_CLOSE: a browser-session cookie
    csrf = page.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] is True


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.security.urls_crash", DEBUG=False)
def test_server_error_shows_the_plain_page_without_any_detail():
    client = Client(raise_request_exception=False)
    response = client.get("/crash/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "系统繁忙" in body
    for leak in ("Traceback", "RuntimeError", "secret-internal-detail", "hunter2", "settings", "/work/"):
        assert leak not in body
    assert response["Content-Security-Policy"]


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_not_found_page_does_not_list_url_patterns(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Using the URLconf" not in body and "urlpatterns" not in body
