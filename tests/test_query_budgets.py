"""Q4: every main page runs a bounded number of SQL queries, the same with one row as with many.

Each page is requested by its demo persona twice: first with a handful of rows (one filing with one member,
partner, attachment and 流转记录 row), then after the rows have grown (many members, partners, attachments and
流转记录 rows on those filings, plus a few hundred generated filings in every reviewer's scope). The count must
be ≤ BUDGET and must not change. The per-page numbers are pinned with their queries named in each app's own
tests (tests/filings, tests/review, tests/portal, tests/accounts); this file is the cross-cutting guard.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kechuang.filings.models import Attachment, Filing, Member, OverseasPartner, Status
from kechuang.review.models import FlowRecord
from kechuang.workflow.models import Action, Stage

BUDGET = 15
TABS = ["guide", "basic", "members", "cooperation", "content", "attachments"]


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    """Demo and generated accounts hash passwords; a fast hasher keeps this module quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def add_parts(filing, count, start=0):
    """``count`` more members, partners and attachments on ``filing``."""
    Member.objects.bulk_create(
        Member(filing=filing, name=f"成员{start + i}", gender="male", title="senior", education="doctor")
        for i in range(count)
    )
    OverseasPartner.objects.bulk_create(
        OverseasPartner(
            filing=filing,
            country=["RU", "DE", "JP", "US", "KR", "FR", "GB", "IT", "CA", "AU", "SG", "FI"][
                (start + i) % 12
            ],
            name_zh=f"合作伙伴{start + i}",
            partner_type="university",
            started_on=datetime.date(2025, 1, 1),
            content="联合研究",
        )
        for i in range(count)
    )
    Attachment.objects.bulk_create(
        Attachment(
            filing=filing,
            kind=1 + (start + i) % 4,
            file=f"attachments/qb/{filing.pk}-{start + i}.pdf",
            original_name=f"附件{start + i}.pdf",
            size=1024,
            sha256="0" * 64,
            uploaded_by=filing.owner,
        )
        for i in range(count)
    )


def add_records(filing, actor, count):
    stage = Stage.objects.get(business=filing.business, order=2)
    FlowRecord.objects.bulk_create(
        FlowRecord(
            filing=filing,
            actor=actor,
            actor_organisation="示例科技大学",
            action=Action.SUBMIT,
            from_status="平台：填报中",
            to_status="平台：主管部门审核",
            to_stage=stage,
        )
        for _ in range(count)
    )


@pytest.fixture
def world(demo):
    """zhangsan's draft, and one filing waiting at each stage, so every list has at least one row."""
    zhangsan = demo.zhangsan
    common = {
        "business": demo.business,
        "owner": zhangsan,
        "unit": zhangsan.unit,
        "unit_name": "示例科技大学",
    }
    draft = Filing.objects.create(name="黑龙江省查询预算草稿", **common)
    now = timezone.now()
    waiting = {}
    for order in (1, 2, 3):
        waiting[order] = Filing.objects.create(
            name=f"黑龙江省查询预算审核中{order}",
            status=Status.IN_REVIEW,
            stage=Stage.objects.get(business=demo.business, order=order),
            first_submitted_at=now,
            submitted_at=now,
            **common,
        )
    for filing in (draft, *waiting.values()):
        add_parts(filing, 1)
    add_records(waiting[2], zhangsan, 1)
    demo.draft, demo.waiting = draft, waiting[2]
    return demo


def pages(world):
    draft, waiting = world.draft.public_id, world.waiting.public_id
    review = reverse("review:list")
    out = [
        (None, reverse("portal:home")),
        ("zhangsan", reverse("portal:center")),
        ("zhangsan", reverse("filings:mine")),
        ("zhangsan", reverse("filings:mine") + "?tab=all"),
        *(("zhangsan", reverse("filings:edit", args=[draft, tab])) for tab in TABS),
        ("zhangsan", reverse("filings:view", args=[draft])),
        ("zhangsan", reverse("review:flow", args=[waiting])),
        ("edu_reviewer", reverse("portal:center")),
        ("edu_reviewer", reverse("filings:view", args=[waiting])),
        ("edu_reviewer", reverse("review:flow", args=[waiting])),
        ("edu_reviewer", reverse("review:decide", args=[waiting])),
        # Not pinned in the apps' own tests: 在线办理 and the 直接不通过 confirmation page.
        ("zhangsan", reverse("filings:business", args=[world.business.public_id])),
        ("edu_reviewer", reverse("review:reject", args=[waiting])),
        # 统计分析 (cached after the warm-up; tests/statistics pins one query per table uncached) and 公示公告.
        ("kjt_reviewer", reverse("statistics:index")),
        ("edu_reviewer", reverse("statistics:index")),
        ("sldx_admin", reverse("statistics:index")),
        (None, reverse("portal:home") + "?news=announcements"),
    ]
    for reviewer in ("edu_reviewer", "kjt_reviewer", "sldx_admin"):
        out += [
            (reviewer, f"{review}?tab=pending"),
            (reviewer, f"{review}?tab=all"),
            (reviewer, f"{review}?tab=all&name=%E9%BB%91%E9%BE%99%E6%B1%9F&sort=-unit"),
            (reviewer, f"{review}?tab=all&page=2"),
        ]
    return out


def count_queries(world):
    clients = {}
    counts = {}
    for username, url in pages(world):
        if username not in clients:
            clients[username] = Client()
            if username:
                clients[username].force_login(getattr(world, username))
        client = clients[username]
        assert client.get(url).status_code == 200, url  # warm-up (and the page must work)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[(username, url)] = len(captured)
    return counts


@pytest.mark.django_db
def test_Q4_main_pages_query_count_is_bounded_and_independent_of_rows(world):
    """Q4: ≤ 15 queries per main page; with many rows exactly as many as with one."""
    few = count_queries(world)

    add_parts(world.draft, 14, start=1)
    add_parts(world.waiting, 14, start=1)
    add_records(world.waiting, world.zhangsan, 12)
    call_command("generate_bench_data", units=6, people=60, filings=300, stdout=io.StringIO())
    assert Filing.objects.count() > 300
    many = count_queries(world)

    over = {page: n for page, n in many.items() if n > BUDGET}
    assert not over, f"pages over the budget of {BUDGET} queries: {over}"
    grown = {page: (few[page], many[page]) for page in few if few[page] != many[page]}
    assert not grown, f"query count depends on the number of rows (few, many): {grown}"
