"""三员分立 (issue 11 item 7, 等保2.0): the 系统管理员, 安全管理员 and 审计管理员 each do their own work and none
can do another's; no account holds two of the roles; every administrator request is in the audit log; deleting
an account rewrites no audit row."""

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from kechuang.accounts.models import Role, User
from kechuang.audit.models import EventKind, SecurityEvent

from .second_factor import force_login_verified

pytestmark = pytest.mark.django_db

TRIO = ("admin", "secadmin", "auditadmin")
# Changelist of each admin model, for (系统管理员, 安全管理员, 审计管理员): 2 = 200, F = 403.
# Models not listed belong to the 系统管理员 alone (DEFAULT): whatever new app registers, the other two get nothing.
CHANGELISTS = {
    "accounts.user": "22F",
    "audit.securityevent": "FF2",
    "axes.accessattempt": "F2F",
    "axes.accessfailurelog": "F2F",
    "axes.accesslog": "F2F",
    "auth.group": "FFF",
}
DEFAULT = "2FF"


@pytest.fixture
def clients(demo):
    out = {}
    for persona in TRIO:
        out[persona] = Client()
        force_login_verified(out[persona], getattr(demo, persona))
    return out


def classify(response):
    return {200: "2", 302: "R", 403: "F", 404: "N", 400: "B"}.get(
        response.status_code, str(response.status_code)
    )


def test_the_demo_trio_are_three_accounts_with_one_role_each_and_no_superuser(demo):
    assert [getattr(demo, p).role for p in TRIO] == [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN]
    assert not any(getattr(demo, p).is_superuser for p in TRIO)


def test_each_admin_model_is_reachable_only_by_its_administrator(clients):
    failures = []
    for model in admin.site._registry:
        label = model._meta.label_lower
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        expected = CHANGELISTS.get(label, DEFAULT)
        got = "".join(classify(clients[p].get(url)) for p in TRIO)
        if got != expected:
            failures.append(f"{label}: {got}, expected {expected}")
    assert not failures, "\n".join(failures)
    for persona in TRIO:
        assert clients[persona].get(reverse("admin:index")).status_code == 200


def test_only_the_audit_administrator_exports_the_audit_log(clients):
    got = {p: clients[p].get(reverse("audit:export")).status_code for p in TRIO}
    assert got == {"admin": 403, "secadmin": 403, "auditadmin": 200}


@pytest.mark.parametrize("persona", TRIO)
def test_no_administrator_decides_filings_or_files_them(demo, clients, persona):
    from tests.factories import at_stage

    filing = at_stage(demo, 1, demo.zhangsan, "三员测试平台")
    client = clients[persona]
    decide = client.post(
        reverse("review:decide", args=[filing.public_id]), {"decision": "approve", "opinion": "同意"}
    )
    assert decide.status_code in (403, 404)
    assert client.get(reverse("review:list")).status_code == 403
    assert client.post(reverse("filings:create", args=[demo.business.public_id])).status_code == 403
    filing.refresh_from_db()
    assert filing.stage.order == 1


def test_groups_and_user_permissions_grant_no_administrator_anything(demo, clients):
    """Permissions come from the role alone: ticking "view security event" for the 系统管理员 does nothing."""
    demo.admin.user_permissions.add(Permission.objects.get(codename="view_securityevent"))
    client = Client()
    force_login_verified(client, User.objects.get(pk=demo.admin.pk))
    assert client.get(reverse("audit:export")).status_code == 403
    assert client.get(reverse("admin:audit_securityevent_changelist")).status_code == 403


def test_the_superuser_flag_cannot_be_combined_with_an_administrator_role(demo):
    for persona in TRIO:
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.filter(pk=getattr(demo, persona).pk).update(is_superuser=True)


def user_form(user, **changes):
    fields = ["username", "name", "role", "gender", "position", "research_field", "mobile", "email"]
    fields += ["id_type", "id_number", "title", "education"]
    data = {f: getattr(user, f) or "" for f in fields}
    data["unit"] = user.unit_id or ""
    data["department"] = user.department_id or ""
    data["birth_date"] = user.birth_date.isoformat() if user.birth_date else ""
    data.update(changes)
    return data


def change_url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


def test_the_system_administrator_edits_people_but_assigns_no_administrator_role(demo, clients):
    client = clients["admin"]
    ok = client.post(change_url(demo.lisi), user_form(demo.lisi, position="副研究员"))
    assert ok.status_code == 302, ok.content.decode()[:2000]
    assert User.objects.get(pk=demo.lisi.pk).position == "副研究员"
    refused = client.post(change_url(demo.lisi), user_form(demo.lisi, role=Role.AUDIT_ADMIN))
    assert refused.status_code == 200  # the form again, with the error
    assert "选择一个有效的选项" in refused.content.decode()
    lisi = User.objects.get(pk=demo.lisi.pk)
    assert lisi.role == Role.APPLICANT and not lisi.is_staff
    # 启用/停用 is the 安全管理员's: the field is read-only for the 系统管理员.
    client.post(change_url(demo.lisi), {**user_form(demo.lisi), "is_active": ""})
    assert User.objects.get(pk=demo.lisi.pk).is_active


@pytest.mark.parametrize("target", ["secadmin", "auditadmin"])
def test_the_system_administrator_cannot_touch_another_administrators_account(demo, clients, target):
    client = clients["admin"]
    account = getattr(demo, target)
    before = User.objects.values().get(pk=account.pk)
    assert client.post(change_url(account), user_form(account, name="改名")).status_code == 403
    password = reverse("admin:auth_user_password_change", args=[account.pk])
    assert (
        client.post(password, {"password1": "Take#Over2026", "password2": "Take#Over2026"}).status_code == 403
    )
    assert User.objects.values().get(pk=account.pk) == before


def test_the_security_administrator_locks_unlocks_and_assigns_roles_only(demo, clients):
    client = clients["secadmin"]
    # Lock (停用) lisi; the name sent along is ignored (read-only for this role).
    response = client.post(change_url(demo.lisi), {"role": Role.APPLICANT, "name": "改名"})
    assert response.status_code == 302
    lisi = User.objects.get(pk=demo.lisi.pk)
    assert not lisi.is_active and lisi.name == "李四"
    # Assign the audit role to a fresh account: it becomes staff and loses unit/department.
    response = client.post(change_url(demo.wangwu), {"role": Role.AUDIT_ADMIN, "is_active": "on"})
    assert response.status_code == 302
    wangwu = User.objects.get(pk=demo.wangwu.pk)
    assert wangwu.role == Role.AUDIT_ADMIN and wangwu.is_staff and wangwu.unit_id is None
    # Unlock after failed logins: the axes records of the account go.
    AccessAttempt.objects.create(username="zhangsan", ip_address="203.0.113.5", failures_since_start=5)
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock_login", "_selected_action": [demo.zhangsan.pk]},
    )
    assert not AccessAttempt.objects.filter(username="zhangsan").exists()
    assert SecurityEvent.objects.filter(kind=EventKind.ADMIN_CHANGE, detail__action="解锁登录").exists()
    # Not its work: creating accounts, editing units, its own account.
    assert client.get(reverse("admin:accounts_user_add")).status_code == 403
    assert client.get(reverse("admin:accounts_unit_changelist")).status_code == 403
    assert (
        client.post(change_url(demo.secadmin), {"role": Role.SYSTEM_ADMIN, "is_active": "on"}).status_code
        == 403
    )
    assert User.objects.get(pk=demo.secadmin.pk).role == Role.SECURITY_ADMIN


def test_a_password_set_by_an_administrator_must_be_changed_at_next_login(demo, clients):
    url = reverse("admin:auth_user_password_change", args=[demo.lisi.pk])
    response = clients["admin"].post(url, {"password1": "Reset#Pass2026", "password2": "Reset#Pass2026"})
    assert response.status_code == 302
    assert User.objects.get(pk=demo.lisi.pk).must_change_password


def test_every_administrator_request_is_in_the_audit_log(demo, clients):
    for persona in TRIO:
        clients[persona].get(reverse("admin:index"))
    clients["auditadmin"].get(reverse("admin:audit_securityevent_changelist"))
    rows = SecurityEvent.objects.filter(kind=EventKind.ADMIN_REQUEST)
    assert set(rows.values_list("username", flat=True)) == set(TRIO)
    assert rows.filter(username="auditadmin", path=reverse("admin:audit_securityevent_changelist")).exists()


def test_deleting_an_account_rewrites_no_audit_row(demo, clients):
    person = User.objects.create_user(
        "temp_person", password="Temp#Pass2026", name="临时", role=Role.APPLICANT
    )
    pk = person.pk
    Client().post(reverse("accounts:login"), {"username": "temp_person", "password": "wrong-Password1"})
    client = Client()
    client.force_login(person)
    client.get(reverse("portal:center"))
    events = list(SecurityEvent.objects.filter(username="temp_person").order_by("pk").values())
    assert events
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM audit_securityevent")
        total = cursor.fetchone()[0]
    response = clients["admin"].post(reverse("admin:accounts_user_delete", args=[person.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=person.pk).exists()
    assert (
        list(SecurityEvent.objects.filter(pk__in=[e["id"] for e in events]).order_by("pk").values()) == events
    )
    deletion = SecurityEvent.objects.filter(kind=EventKind.ADMIN_CHANGE, username="admin").latest("pk")
    assert deletion.detail["action"] == "删除" and str(deletion.detail["object_id"]) == str(pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM audit_securityevent")
        assert cursor.fetchone()[0] > total
