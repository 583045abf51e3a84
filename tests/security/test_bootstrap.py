"""Production bootstrap (issue 11 item 6): ``migrate`` alone makes a working site; ``bootstrap_admins`` adds the 三员.

The test database is built by running every migration on an empty database (SQLite in one CI pass, PostgreSQL in
the other), and these tests use no demo data: what they find is what a fresh production install has.
"""

import importlib
import io

import pytest
from django.apps import apps as global_apps
from django.core.management import CommandError, call_command
from django.urls import reverse

from kechuang.accounts.models import Role, User
from kechuang.audit.models import EventKind, SecurityEvent
from kechuang.filings.models import CooperationCategory
from kechuang.workflow.models import Business, Stage

BUSINESS = "省国际科技合作平台备案"
bootstrap_business = importlib.import_module("kechuang.workflow.migrations.0002_default_business")
bootstrap_categories = importlib.import_module(
    "kechuang.filings.migrations.0007_default_cooperation_categories"
)

pytestmark = pytest.mark.django_db


def test_migrate_alone_creates_the_open_business_with_its_three_stages_and_categories():
    business = Business.objects.get(name=BUSINESS)
    assert business.is_open()
    stages = list(
        Stage.objects.filter(business=business)
        .order_by("order")
        .values_list("order", "name", "reviewer_kind")
    )
    assert stages == [
        (1, "申报单位审核", "unit_admin"),
        (2, "主管部门审核", "department"),
        (3, "省科技厅审核", "province"),
    ]
    assert list(CooperationCategory.objects.order_by("order").values_list("name", flat=True)) == [
        "国际联合实验室",
        "国际联合研究中心",
        "国际技术转移中心",
        "国际科技合作基地",
        "其他",
    ]
    # Nothing demo: no accounts, units or departments exist.
    assert not User.objects.exists()
    assert not global_apps.get_model("accounts", "Unit").objects.exists()


def test_the_fresh_catalogue_offers_online_filing(client):
    body = client.get(reverse("portal:section", args=["platforms"])).content.decode()
    business = Business.objects.get(name=BUSINESS)
    assert BUSINESS in body
    assert reverse("filings:business", args=[business.public_id]) in body  # 在线办理 is a link, not disabled
    assert f'aria-describedby="closed-{business.public_id}"' not in body


def test_the_data_migrations_are_idempotent_and_keep_what_the_administrator_changed():
    business = Business.objects.get(name=BUSINESS)
    Stage.objects.filter(business=business, order=2).update(name="主管部门审核（已改名）")
    CooperationCategory.objects.filter(name="其他").update(active=False)
    bootstrap_business.create_default_business(global_apps, None)
    bootstrap_categories.create_categories(global_apps, None)
    assert Business.objects.filter(name=BUSINESS).count() == 1
    assert Stage.objects.filter(business=business).count() == 3
    assert Stage.objects.get(business=business, order=2).name == "主管部门审核（已改名）"
    assert CooperationCategory.objects.count() == 5
    assert not CooperationCategory.objects.get(name="其他").active


def test_load_demo_still_runs_on_top_of_the_bootstrap(demo):
    assert Business.objects.filter(name=BUSINESS).count() == 1
    assert Stage.objects.filter(business=demo.business).count() == 3


PASSWORDS = {
    "BOOTSTRAP_SYSTEM_ADMIN_PASSWORD": "Hlj#Kjt2026-xi",
    "BOOTSTRAP_SECURITY_ADMIN_PASSWORD": "Hlj#Kjt2026-bei",
    "BOOTSTRAP_AUDIT_ADMIN_PASSWORD": "Hlj#Kjt2026-nan",
}


def run_bootstrap(monkeypatch, passwords=PASSWORDS, *args):
    for name, value in passwords.items():
        monkeypatch.setenv(name, value)
    out = io.StringIO()
    call_command("bootstrap_admins", "--noinput", *args, stdout=out)
    return out.getvalue()


def test_bootstrap_admins_creates_the_three_administrators(monkeypatch):
    run_bootstrap(monkeypatch)
    people = {u.username: u for u in User.objects.all()}
    assert {name: u.role for name, u in people.items()} == {
        "sysadmin": Role.SYSTEM_ADMIN,
        "secadmin": Role.SECURITY_ADMIN,
        "auditadmin": Role.AUDIT_ADMIN,
    }
    for user in people.values():
        assert user.is_staff and not user.is_superuser
        assert user.must_change_password  # the password came from the environment
        assert user.unit_id is None and user.department_id is None
    assert people["sysadmin"].check_password("Hlj#Kjt2026-xi")
    assert SecurityEvent.objects.filter(kind=EventKind.ADMIN_CHANGE).count() == 3
    # Running it again changes nothing.
    again = run_bootstrap(monkeypatch)
    assert User.objects.count() == 3
    assert "跳过" in again


def test_bootstrap_admins_refuses_weak_passwords_and_creates_nothing(monkeypatch):
    weak = {**PASSWORDS, "BOOTSTRAP_AUDIT_ADMIN_PASSWORD": "12345678"}
    with pytest.raises(CommandError, match="密码不符合要求"):
        run_bootstrap(monkeypatch, weak)
    assert not User.objects.exists()


def test_bootstrap_admins_refuses_one_account_for_two_roles(monkeypatch):
    with pytest.raises(CommandError, match="三个不同的账号"):
        run_bootstrap(monkeypatch, PASSWORDS, "--security-admin", "sysadmin")
    assert not User.objects.exists()


def test_bootstrap_admins_without_passwords_refuses(monkeypatch):
    for name in PASSWORDS:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(CommandError, match="BOOTSTRAP_SYSTEM_ADMIN_PASSWORD"):
        call_command("bootstrap_admins", "--noinput", stdout=io.StringIO())
    assert not User.objects.exists()
