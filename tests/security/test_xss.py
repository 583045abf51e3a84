"""XSS probes (等保2.0 入侵防范): script and attribute-breaking payloads stored in every text field a user can
fill, and reflected through query parameters, come back escaped on every page that shows them — 查看,
the tab forms, 我的平台 and review lists, 流转记录, notifications, the personal center and the admin site."""

import pytest
from django.test import Client
from django.urls import reverse

from kechuang.audit.models import EventKind
from kechuang.audit.recorder import record
from kechuang.filings.models import AttachmentKind, JointProject, JointResult, Member, OverseasPartner
from kechuang.portal.models import Notice
from kechuang.review import transitions

from .factories import at_stage, attach
from .hostile import XSS_PROBES

SCRIPT, ATTRIBUTE = XSS_PROBES
RAW_MARKERS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


def fill_with_probes(filing, demo):
    """Every free-text field of the filing and its parts gets a probe (alternating the two kinds)."""
    text_fields = [
        "address",
        "contact_name",
        "unit_name",
        "unit_address",
        "unit_contact_name",
        "owner_name",
        "owner_position",
        "owner_research_field",
        "basic_situation",
        "cooperation_basis",
        "goals_and_tasks",
        "conditions",
    ]
    changes = {field: (SCRIPT if i % 2 else ATTRIBUTE) + field for i, field in enumerate(text_fields)}
    changes["name"] = SCRIPT + "平台名称"
    type(filing).objects.filter(pk=filing.pk).update(**changes)
    Member.objects.create(
        filing=filing,
        name=SCRIPT,
        gender="male",
        title="senior",
        education="doctor",
        major=ATTRIBUTE,
        task=SCRIPT,
    )
    OverseasPartner.objects.filter(filing=filing).update(
        name_zh=SCRIPT, name_original=ATTRIBUTE, content=SCRIPT
    )
    JointProject.objects.create(filing=filing, name=SCRIPT, partner=ATTRIBUTE, started_on="2024-01-01")
    JointResult.objects.create(filing=filing, title=ATTRIBUTE, kind=SCRIPT)
    attach(filing, AttachmentKind.OTHER, demo.zhangsan, name=SCRIPT + ".pdf")
    filing.refresh_from_db()
    return filing


@pytest.fixture
def probed(demo):
    type(demo.zhangsan).objects.filter(pk=demo.zhangsan.pk).update(research_field=SCRIPT, position=ATTRIBUTE)
    returned = at_stage(demo, 2, demo.zhangsan, "探针平台（退回）")
    returned = transitions.return_(returned, demo.edu_reviewer, SCRIPT + "退回意见" + ATTRIBUTE)
    returned = fill_with_probes(returned, demo)
    waiting = fill_with_probes(at_stage(demo, 2, demo.zhangsan, "探针平台（审核中）"), demo)
    Notice.objects.create(
        tab=Notice.Tab.PROJECTS, title=SCRIPT + "通知", published_on="2026-01-01", body=ATTRIBUTE
    )
    record(EventKind.LOGIN_FAILED, username=SCRIPT)
    return returned, waiting


def pages(demo, returned, waiting):
    """(persona, url) of every page that shows the probed data, plus reflected query parameters."""
    r, w = returned.public_id, waiting.public_id
    member = returned.members.first().public_id
    attachment = returned.attachments.order_by("-id").first().public_id
    tab_urls = [
        reverse("filings:edit", kwargs={"public_id": r, "tab": tab})
        for tab in ("guide", "basic", "members", "cooperation", "content", "attachments")
    ]
    return [
        *[("zhangsan", url) for url in tab_urls],
        ("zhangsan", reverse("filings:view", kwargs={"public_id": r})),
        ("zhangsan", reverse("filings:mine") + "?tab=pending"),
        ("zhangsan", reverse("filings:mine") + "?tab=all"),
        ("zhangsan", reverse("review:flow", kwargs={"public_id": r})),
        ("zhangsan", reverse("review:notifications")),
        ("zhangsan", reverse("portal:center")),
        ("zhangsan", reverse("accounts:profile")),
        ("zhangsan", reverse("filings:delete", kwargs={"public_id": r})),
        (
            "zhangsan",
            reverse("filings:part_edit", kwargs={"public_id": r, "part": "members", "item_id": member}),
        ),
        (
            "zhangsan",
            reverse("filings:part_delete", kwargs={"public_id": r, "part": "members", "item_id": member}),
        ),
        (
            "zhangsan",
            reverse("filings:attachment_delete", kwargs={"public_id": r, "attachment_id": attachment}),
        ),
        ("sldx_admin", reverse("review:list") + "?tab=all"),
        ("sldx_admin", reverse("filings:view", kwargs={"public_id": w})),
        ("edu_reviewer", reverse("review:list")),
        ("edu_reviewer", reverse("review:decide", kwargs={"public_id": w})),
        ("edu_reviewer", reverse("review:reject", kwargs={"public_id": w})),
        ("edu_reviewer", reverse("review:flow", kwargs={"public_id": r})),
        ("admin", reverse("admin:filings_filing_changelist")),
        ("admin", reverse("admin:filings_filing_change", args=[returned.pk])),
        ("admin", reverse("admin:review_flowrecord_changelist")),
        ("admin", reverse("admin:review_notification_changelist")),
        ("admin", reverse("admin:accounts_user_changelist")),
        (
            "auditadmin",
            reverse("admin:audit_securityevent_changelist"),
        ),  # 三员分立: the 审计管理员 reads the log
        ("admin", reverse("admin:portal_notice_changelist")),
        ("anon", reverse("portal:home")),
        ("anon", reverse("portal:notices")),
        # Reflected input: query parameters shown back in forms and headings.
        ("anon", reverse("portal:search") + "?q=" + SCRIPT),
        ("anon", reverse("accounts:login") + "?next=" + ATTRIBUTE),
        ("sldx_admin", reverse("review:list") + "?tab=all&name=" + SCRIPT + "&unit=" + ATTRIBUTE),
    ]


@pytest.mark.django_db
def test_probes_come_back_escaped_everywhere(demo, probed):
    returned, waiting = probed
    clients = {}
    checked = 0
    shown_escaped = 0
    for persona, url in pages(demo, returned, waiting):
        if persona not in clients:
            clients[persona] = Client()
            if persona != "anon":
                clients[persona].force_login(getattr(demo, persona))
        response = clients[persona].get(url)
        assert response.status_code in (200, 400), (persona, url, response.status_code)
        body = response.content.decode()
        for marker in RAW_MARKERS:
            assert marker not in body, f"unescaped probe on {url} as {persona}"
        checked += 1
        shown_escaped += ESCAPED_SCRIPT in body or "&lt;img src=x onerror=alert(1)&gt;" in body
    # The probes were really rendered (escaped), not just absent: all pages but one (the admin's user list,
    # which shows none of the probed fields) show one.
    assert checked == 35
    assert shown_escaped == checked - 1, (shown_escaped, checked)
