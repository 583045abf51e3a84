"""Access matrix (W9, 等保2.0 访问控制): every URL × persona × filing state.

The expectations are the literal table in matrix_data.py. ``test_every_url_has_a_row`` fails when a URL pattern
has no row, so coverage cannot silently fall behind new views. For every request: the status is the expected
one; a person who may not see a filing never finds its name or 负责人 identity number in any response body; and
every request that is not an allowed action (every GET, every refused POST) changes nothing in the database.
Allowed actions run inside a rolled-back savepoint, so each request sees the same starting data.
"""

from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kechuang.filings.models import AttachmentKind, Filing, Member
from kechuang.portal.models import Notice, NoticeAttachment
from kechuang.review import transitions
from kechuang.review.models import Notification
from tests.factories import pdf_bytes

from . import matrix_documents, matrix_registration, matrix_reports
from .factories import at_stage, attach, complete_filing
from .matrix_data import (
    ADMIN_ONLY,
    FILING_ROWS,
    NOT_SYSTEM_ADMIN_MODELS,
    OTHER_ADMINISTRATORS,
    OTHER_ROWS,
    PERSONAS,
    REQUIRED_ADMIN_CHANGELISTS,
    STATES,
    VISIBLE,
    administrator_code,
)

COUNTS = {"requests": 0, "url_persona_pairs": set()}


def url_names():
    """Every named URL outside the admin site, as "namespace:name"; unnamed patterns are reported by path."""

    def walk(patterns, namespace, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                yield from walk(
                    pattern.url_patterns, pattern.namespace or namespace, prefix + str(pattern.pattern)
                )
            elif isinstance(pattern, URLPattern):
                if pattern.name is None:
                    yield f"<unnamed {prefix}{pattern.pattern}>"
                else:
                    yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns, None, ""))


def test_every_url_has_a_row():
    missing = url_names() - set(FILING_ROWS) - set(OTHER_ROWS)
    assert not missing, f"URLs without a row in tests/security/matrix_data.py: {sorted(missing)}"
    stale = (set(FILING_ROWS) | set(OTHER_ROWS)) - url_names()
    assert not stale, f"rows for URLs that no longer exist: {sorted(stale)}"


def build(demo):
    """zhangsan's filings in every state of STATES, each with a member and an extra attachment ④."""
    owner = demo.zhangsan
    filings = {}
    draft = complete_filing(owner, demo.business, "矩阵平台-draft")
    filings["draft"] = draft
    for order, state in ((1, "s1"), (2, "s2"), (3, "s3")):
        filings[state] = at_stage(demo, order, owner, f"矩阵平台-{state}")
    returned = at_stage(demo, 2, owner, "矩阵平台-returned")
    filings["returned"] = transitions.return_(returned, demo.edu_reviewer, "请补充材料")
    done = at_stage(demo, 3, owner, "矩阵平台-done")
    filings["done"] = transitions.approve(done, demo.kjt_reviewer, "同意")
    extras = {}
    for state, filing in filings.items():
        filing.refresh_from_db()
        member = Member.objects.create(
            filing=filing, name="成员甲", gender="male", title="senior", education="doctor"
        )
        attachment = attach(filing, AttachmentKind.OTHER, owner, name="补充材料.pdf")
        extras[state] = SimpleNamespace(member=member, attachment=attachment)
    notification = Notification.objects.filter(recipient=owner).first()
    assert notification is not None
    return filings, extras, notification


def filing_kwargs(name, filing, extra):
    kwargs = {"public_id": filing.public_id}
    if name == "filings:edit":
        kwargs["tab"] = "content"
    elif name in ("filings:part_add",):
        kwargs["part"] = "members"
    elif name in ("filings:part_edit", "filings:part_delete"):
        kwargs.update(part="members", item_id=extra.member.public_id)
    elif name == "filings:attachment_add":
        kwargs["kind"] = int(AttachmentKind.OTHER)
    elif name in ("filings:attachment", "filings:attachment_delete"):
        kwargs["attachment_id"] = extra.attachment.public_id
    return kwargs


PDF = None


def filing_payload(name, filing):
    version = Filing.objects.values_list("version", flat=True).get(pk=filing.pk)
    data = {"version": version}
    if name == "filings:edit":
        data.update(
            basic_situation="矩阵测试：平台基本情况",
            cooperation_basis="矩阵测试：国际合作基础",
            goals_and_tasks="矩阵测试：合作目标与任务",
            conditions="矩阵测试：条件保障",
        )
    elif name in ("filings:part_add", "filings:part_edit"):
        data.update(
            {
                "members-name": "成员乙",
                "members-gender": "female",
                "members-title": "intermediate",
                "members-education": "master",
            }
        )
    elif name == "filings:attachment_add":
        data["file"] = SimpleUploadedFile("矩阵.pdf", PDF, content_type="application/pdf")
    elif name == "review:decide":
        data.update(decision="approve", opinion="同意")
    elif name == "review:reject":
        data["opinion"] = "不符合条件"
    return data


def other_kwargs(name, ctx):
    if matrix_registration.kwargs_for(name):
        return matrix_registration.kwargs_for(name)(ctx)
    if matrix_reports.kwargs_for(name):
        return matrix_reports.kwargs_for(name)(ctx)
    if matrix_documents.kwargs_for(name):
        return matrix_documents.kwargs_for(name)(ctx)
    if name == "portal:section":
        return {"section": "platforms"}
    if name == "portal:notice":
        return {"public_id": Notice.objects.order_by("pk").first().public_id}
    if name == "portal:notice_attachment":
        notice = Notice.objects.order_by("pk").first()
        attachment = NoticeAttachment.objects.create(
            notice=notice,
            file=ContentFile(pdf_bytes(), name="n.pdf"),
            original_name="通知附件.pdf",
            size=1,
            sha256="",
        )
        return {"public_id": notice.public_id, "attachment_id": attachment.public_id}
    if name in ("filings:business", "filings:create"):
        return {"public_id": ctx.demo.business.public_id}
    if name == "review:notification_read":
        return {"public_id": ctx.notification.public_id}
    if name in ("api:filing", "api:flow"):
        return {"filing_id": ctx.filings["s2"].public_id}
    if name == "api:attachment_file":
        return {
            "filing_id": ctx.filings["s2"].public_id,
            "attachment_id": ctx.extras["s2"].attachment.public_id,
        }
    return {}


def other_payload(name, persona, ctx):
    if matrix_registration.payload_for(name) is not None:
        return matrix_registration.payload_for(name)
    user = getattr(ctx.demo, persona, None)
    if name == "accounts:login":
        return {"username": persona, "password": "Wrong-Password-1"}
    if name == "accounts:set_language":
        return {"language": "zh-hans", "next": "/"}  # the shared clients stay Chinese for the other tests
    if name == "accounts:password_change":
        return {
            "old_password": "Wrong-Password-1",
            "new_password1": "New@2026pass",
            "new_password2": "New@2026pass",
        }
    if name == "accounts:profile" and user is not None:
        fields = ["name", "gender", "position", "research_field", "mobile", "id_type", "id_number", "title"]
        data = {f: getattr(user, f) for f in fields}
        data.update(education=user.education, email=user.email or f"{persona}@example.com")
        data["birth_date"] = user.birth_date.isoformat() if user.birth_date else ""
        return data
    if name == "accounts:unit_registration" and user is not None and user.unit_id:
        return {
            "name": user.unit.name + "（更名）",
            "credit_code": user.unit.credit_code,
            "unit_type": user.unit.unit_type,
        }
    if name == "accounts:unit_contacts":
        return {
            "contact_name": "孙老师",
            "contact_phone": "0451-86400009",
            "contact_email": "unit@example.com",
            "address": "哈尔滨市示例路9号",
            "postcode": "150001",
        }
    return {}


DIGEST_SQL = """
SELECT
  (SELECT COUNT(*) FROM filings_filing), (SELECT SUM(version) FROM filings_filing),
  (SELECT MAX(updated_at) FROM filings_filing), (SELECT COUNT(*) FROM review_flowrecord),
  (SELECT COUNT(*) FROM filings_member), (SELECT SUM(LENGTH(name)) FROM filings_member),
  (SELECT COUNT(*) FROM filings_overseaspartner), (SELECT COUNT(*) FROM filings_attachment),
  (SELECT COUNT(*) FROM accounts_unitchange), (SELECT COUNT(*) FROM accounts_contactchange),
  (SELECT SUM(LENGTH(name) + LENGTH(contact_name) + LENGTH(contact_phone)) FROM accounts_unit),
  (SELECT COUNT(*) FROM review_notification WHERE read_at IS NULL),
  (SELECT SUM(LENGTH(name) + LENGTH(mobile) + LENGTH(email) + LENGTH(password)) FROM accounts_user)
"""


def snapshot():
    """What an unauthorised or read-only request must leave as it was: row counts, the sum of the filings'
    versions (every change of a filing or its parts bumps it), the latest change time, and the lengths of the
    people's and units' editable fields — one query, so it can run around each of the ~2,000 requests."""
    with connection.cursor() as cursor:
        cursor.execute(DIGEST_SQL)
        return cursor.fetchone()


def classify(response):
    status = response.status_code
    if status in (301, 302, 303):
        location = response["Location"]
        if location.startswith("/admin/login/"):
            return "A"
        if location.startswith(reverse("accounts:login")):
            return "L"
        return "R"
    return {200: "2", 400: "B", 403: "F", 404: "N", 405: "M", 409: "C"}.get(status, str(status))


def body_of(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def check(ctx, persona, method, name, kwargs, expected, payload=None, hidden=()):
    """One request in a rolled-back savepoint; returns a mismatch description or None."""
    client = ctx.clients[persona]
    url = reverse(name, kwargs=kwargs)
    COUNTS["requests"] += 1
    COUNTS["url_persona_pairs"].add((name, persona))
    with transaction.atomic():
        before = snapshot()
        response = client.get(url) if method == "GET" else client.post(url, payload or {})
        got = classify(response)
        body = body_of(response).decode("utf-8", "replace")
        problems = []
        if got != expected:
            problems.append(f"status {response.status_code} ({got}), expected {expected}")
        for secret in hidden:
            if secret in body:
                problems.append(f"leaks {secret!r}")
        allowed_change = method == "POST" and expected in ("R", "2") and got == expected
        if not allowed_change and snapshot() != before:
            problems.append("changed the database")
        if response.status_code >= 500:
            problems.append("server error")
        transaction.set_rollback(True)
    if name == "accounts:logout" and persona != "anon":
        client.force_login(getattr(ctx.demo, persona))  # the rollback restored the row, not the cookie
    return f"{method} {name} as {persona}: {'; '.join(problems)}" if problems else None


@pytest.fixture
def matrix(demo):
    global PDF
    PDF = pdf_bytes()
    filings, extras, notification = build(demo)
    clients = {"anon": Client()}
    for persona in PERSONAS[1:]:
        clients[persona] = Client()
        clients[persona].force_login(getattr(demo, persona))
    secrets = {}
    for state, filing in filings.items():
        secrets[state] = (filing.name, filing.owner_id_number)
    return SimpleNamespace(
        demo=demo, filings=filings, extras=extras, notification=notification, clients=clients, secrets=secrets
    )


def hidden_from(ctx, persona):
    """Names and identity numbers of the filings ``persona`` may not see (VISIBLE), for the leak checks."""
    out = []
    for index, state in enumerate(STATES):
        if VISIBLE[persona][index] != "Y":
            name, _ = ctx.secrets[state]
            out.append(name)
    if "Y" not in VISIBLE[persona] and persona not in ("zhangsan",):
        out.append(ctx.demo.zhangsan.id_number)  # 负责人 identity number, in every filing's snapshot
    return out


def expected_code(codes, index):
    return codes if len(codes) == 1 else codes[index]


def test_visible_table_agrees_with_the_choke_point(matrix):
    """The leak oracle VISIBLE is literal; make sure it describes the same scopes as visible_to()."""
    for persona in PERSONAS[1:]:
        user = getattr(matrix.demo, persona)
        seen = set(Filing.objects.visible_to(user).values_list("pk", flat=True))
        got = "".join("Y" if matrix.filings[s].pk in seen else "-" for s in STATES)
        assert got == VISIBLE[persona], persona


def refused_before_the_view(codes):
    """405 (wrong method) or the login redirect for every persona in every state: decided by the view's
    decorators before any filing is loaded, so one state shows it (keeps the matrix fast)."""
    return all(code in ("M", "L") for code in codes)


def test_filing_urls(matrix):
    failures = []
    for name, rule in FILING_ROWS.items():
        for index, state in enumerate(STATES):
            filing = matrix.filings[state]
            kwargs = filing_kwargs(name, filing, matrix.extras[state])
            for p_index, persona in enumerate(PERSONAS):
                hidden = hidden_from(matrix, persona)
                for method, codes in (("GET", rule.get), ("POST", rule.post)):
                    if codes is None or (index > 0 and refused_before_the_view(codes)):
                        continue
                    expected = expected_code(codes[p_index], index)
                    payload = filing_payload(name, filing) if method == "POST" else None
                    failure = check(matrix, persona, method, name, kwargs, expected, payload, hidden)
                    if failure:
                        failures.append(f"[{state}] {failure}")
    assert not failures, f"{len(failures)} mismatches:\n" + "\n".join(failures)


def test_other_urls(matrix):
    failures = []
    for name, rule in OTHER_ROWS.items():
        kwargs = other_kwargs(name, matrix)
        for p_index, persona in enumerate(PERSONAS):
            hidden = hidden_from(matrix, persona)
            for method, codes in (("GET", rule.get), ("POST", rule.post)):
                if codes is None:
                    continue
                payload = other_payload(name, persona, matrix) if method == "POST" else None
                failure = check(matrix, persona, method, name, kwargs, codes[p_index], payload, hidden)
                if failure:
                    failures.append(failure)
    assert not failures, f"{len(failures)} mismatches:\n" + "\n".join(failures)


def test_the_other_two_administrators_do_no_business_and_no_one_elses_work(matrix):
    """三员分立: the 安全管理员 and the 审计管理员 on every URL and filing state (rules in matrix_data.py)."""
    failures = []
    for persona in OTHER_ADMINISTRATORS:
        matrix.clients[persona] = Client()
        matrix.clients[persona].force_login(getattr(matrix.demo, persona))
    admin_index = PERSONAS.index("admin")
    for name, rule in FILING_ROWS.items():
        for index, state in enumerate(STATES):
            filing = matrix.filings[state]
            kwargs = filing_kwargs(name, filing, matrix.extras[state])
            for method, codes in (("GET", rule.get), ("POST", rule.post)):
                if codes is None or (index > 0 and refused_before_the_view(codes)):
                    continue
                admin_code = expected_code(codes[admin_index], index)
                payload = filing_payload(name, filing) if method == "POST" else None
                for persona in OTHER_ADMINISTRATORS:
                    expected = administrator_code(name, method, persona, admin_code, filing_row=True)
                    hidden = hidden_from(matrix, persona)
                    failure = check(matrix, persona, method, name, kwargs, expected, payload, hidden)
                    if failure:
                        failures.append(f"[{state}] {failure}")
    for name, rule in OTHER_ROWS.items():
        kwargs = other_kwargs(name, matrix)
        for method, codes in (("GET", rule.get), ("POST", rule.post)):
            if codes is None:
                continue
            for persona in OTHER_ADMINISTRATORS:
                expected = administrator_code(name, method, persona, codes[admin_index], filing_row=False)
                payload = other_payload(name, persona, matrix) if method == "POST" else None
                hidden = hidden_from(matrix, persona)
                failure = check(matrix, persona, method, name, kwargs, expected, payload, hidden)
                if failure:
                    failures.append(failure)
    assert not failures, f"{len(failures)} mismatches:\n" + "\n".join(failures)


def admin_url_names():
    names = ["admin:index"]
    for model in admin.site._registry:
        names.append(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return names


def test_admin_site_is_for_the_system_administrator_only(matrix):
    registered = {m._meta.label_lower for m in admin.site._registry}
    assert set(REQUIRED_ADMIN_CHANGELISTS) <= registered, set(REQUIRED_ADMIN_CHANGELISTS) - registered
    failures = []
    # 三员分立: the audit log and the lockout records are the other administrators'.
    not_the_system_admins = {f"admin:{m.replace('.', '_')}_changelist" for m in NOT_SYSTEM_ADMIN_MODELS}
    for name in admin_url_names():
        for p_index, persona in enumerate(PERSONAS):
            expected = ADMIN_ONLY[p_index]
            if persona == "admin" and name in not_the_system_admins:
                expected = "F"
            failure = check(matrix, persona, "GET", name, {}, expected)
            if failure:
                failures.append(failure)
    assert not failures, "\n".join(failures)
