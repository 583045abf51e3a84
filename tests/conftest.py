"""Shared fixtures: the demo data as personas (docs/requirements.md §1), plus Playwright for browser tests (tests/e2e)."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.management import call_command

from kechuang.accounts.models import User


@pytest.fixture
def demo(db):
    """The demo business, stages and accounts (see README), loaded by the same command `make run` uses."""
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    people = {u.username: u for u in User.objects.select_related("unit", "department")}
    from kechuang.workflow.models import Business

    return SimpleNamespace(
        business=Business.objects.get(name="省国际科技合作平台备案"),
        closed_business=Business.objects.get(name="省级重点实验室备案"),
        **people,
    )


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """The demo's 9 accounts are hashed on every test; PBKDF2 would cost seconds each time on a 2-core box."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """What one test caches (the 创新地图 counts …) is not another test's data."""
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A request with English chosen leaves English active in the thread (LocaleMiddleware does not reset it):
    each test starts, as a command or a service called outside a request does, in the default language."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Each test stores attachments in its own directory on the real file system storage."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture(autouse=True)
def _force_login_includes_the_second_factor(monkeypatch):
    """``client.force_login`` stands for a whole login: for the three administrators that is password and TOTP
    (tests/security/test_second_factor.py logs in the real way and shows that nothing opens without the code)."""
    from django.test import Client

    from tests.security.second_factor import force_login_verified

    monkeypatch.setattr(Client, "force_login", force_login_verified)
