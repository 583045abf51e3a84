"""Hostile input (Q3, 等保2.0 入侵防范/数据完整性): generated junk at every form and action, upload attacks,
and XSS probes rendered back everywhere.

Property: whatever is posted, the answer is never a 500 and nothing invalid is stored (hostile.check_invariants:
full_clean() of every row, chosen countries ⊆ partner countries, content ≤ 3000 characters, an unbroken 流转记录
chain). Hypothesis generates the payloads; ``max_examples`` is kept modest so the suite stays fast.

And the requests must reach the view, so a broken login, a lost session or a CSRF failure cannot make the
property pass vacuously: at least ``MIN_ANSWERED`` of them are answered by the view itself (a page, a redirect
that is not a bounce to the login page, or its own 400/409/413/429 with the reason).
"""

from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kechuang.filings.models import Filing, OverseasPartner
from kechuang.review.models import FlowRecord
from tests.factories import pdf_bytes

from . import hostile
from .factories import at_stage, complete_filing
from .hostile import COUNTRIES, CURRENT, DATES, JUNK, choice, many, payload, version

EXAMPLES = 30
PARTS = ("members", "partners", "projects", "results")
COUNTS = {}
# The least share of generated requests the view itself must answer (not a login bounce, 403, 404 or 405):
# a broken login, session or CSRF token answers none, while random junk sometimes lands on a refusal.
MIN_ANSWERED = 0.9
ANSWERS = {200, 302, 303, 400, 409, 413, 429}  # 429: a throttle answered with Retry-After
HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def answered(response):
    """The view itself answered: a page, its own refusal with a reason, or a redirect but not to the login."""
    if response.status_code not in ANSWERS:
        return False
    return not response.get("Location", "").startswith(reverse("accounts:login"))


def fuzz(
    ctx, key, persona, url, fields, method="POST", filing=None, accounts=False, min_answered=MIN_ANSWERED
):
    """Post (or get) generated payloads at ``url`` as ``persona``; after each: no 500, invariants hold; at the
    end, at least ``min_answered`` of them were answered by the view."""
    client = ctx.clients[persona]
    tally = {"sent": 0, "answered": 0}

    @HYPOTHESIS
    @given(data=payload(fields))
    def run(data):
        COUNTS[key] = COUNTS.get(key, 0) + 1
        if "version" in data and data["version"] is CURRENT:
            data["version"] = Filing.objects.values_list("version", flat=True).get(pk=filing.pk)
        target = url() if callable(url) else url
        response = client.get(target, data) if method == "GET" else client.post(target, data)
        assert response.status_code < 500, (key, data, response.status_code)
        tally["sent"] += 1
        tally["answered"] += answered(response)
        hostile.check_invariants(accounts=accounts)

    run()
    assert tally["sent"] >= (EXAMPLES // 2 if fields else 1), (key, tally)
    assert tally["answered"] >= min_answered * tally["sent"], (key, tally)


@pytest.fixture
def ctx(demo):
    clients = {"anon": Client()}
    for persona in ("zhangsan", "lisi", "sldx_admin", "admin", "auditadmin"):
        clients[persona] = Client()
        clients[persona].force_login(getattr(demo, persona))
    draft = complete_filing(demo.zhangsan, demo.business, "敌意输入平台")
    OverseasPartner.objects.create(
        filing=draft,
        country="FR",
        name_zh="法国伙伴",
        partner_type="enterprise",
        started_on="2024-01-01",
        content="x",
    )
    return SimpleNamespace(demo=demo, clients=clients, draft=draft)


def edit_url(filing, tab):
    return reverse("filings:edit", kwargs={"public_id": filing.public_id, "tab": tab})


def test_filing_tab_forms_survive_generated_input(ctx):
    """F4–F7: 基本信息, 合作情况 counts, 内容说明."""
    f = ctx.draft
    category = str(f.cooperation_category_id)
    fuzz(
        ctx,
        "filings:edit basic",
        "zhangsan",
        edit_url(f, "basic"),
        {
            "version": version(),
            "name": JUNK,
            "cooperation_category": choice([category, "999999"]),
            "main_country": choice(COUNTRIES),
            "second_country": choice(COUNTRIES),
            "other_countries": many(COUNTRIES),
            "industries": many(["materials", "digital", "energy", "bogus"]),
            "address": JUNK,
            "founded_on": choice(DATES),
            "contact_name": JUNK,
            "contact_phone": choice(["0451-86400001", "13800000000"]),
        },
        filing=f,
    )
    fuzz(
        ctx,
        "filings:edit cooperation",
        "zhangsan",
        edit_url(f, "cooperation"),
        {"version": version(), "exchange_visits": choice(["3", "0"]), "joint_training": choice(["12"])},
        filing=f,
    )
    content = st.one_of(hostile.LONG, JUNK, st.text(max_size=200))
    fuzz(
        ctx,
        "filings:edit content",
        "zhangsan",
        edit_url(f, "content"),
        {
            "version": version(),
            "basic_situation": content,
            "cooperation_basis": content,
            "goals_and_tasks": content,
            "conditions": content,
        },
        filing=f,
    )


def test_filing_parts_survive_generated_input(ctx):
    """F5, F6: add and edit members, partners, joint projects and results; delete partners.

    Each list gets its own draft, so no page grows to the length of all four lists together."""
    demo = ctx.demo
    drafts = {part: complete_filing(demo.zhangsan, demo.business, f"敌意{part}平台") for part in PARTS}

    def add(part):
        return reverse("filings:part_add", kwargs={"public_id": drafts[part].public_id, "part": part})

    fuzz(
        ctx,
        "part_add members",
        "zhangsan",
        add("members"),
        {
            "version": version(),
            "members-name": JUNK,
            "members-gender": choice(["male", "female"]),
            "members-birth_month": choice(["1980-05", "2999-01", "1980/05"]),
            "members-title": choice(["senior", "junior"]),
            "members-education": choice(["doctor", "master"]),
            "members-major": JUNK,
            "members-task": JUNK,
        },
        filing=drafts["members"],
    )
    fuzz(
        ctx,
        "part_add partners",
        "zhangsan",
        add("partners"),
        {
            "version": version(),
            "partners-country": choice(COUNTRIES),
            "partners-name_zh": JUNK,
            "partners-name_original": JUNK,
            "partners-partner_type": choice(["university", "institute", "enterprise", "other"]),
            "partners-started_on": choice(DATES),
            "partners-content": JUNK,
        },
        filing=drafts["partners"],
    )
    fuzz(
        ctx,
        "part_add projects",
        "zhangsan",
        add("projects"),
        {
            "version": version(),
            "projects-name": JUNK,
            "projects-partner": JUNK,
            "projects-started_on": choice(DATES),
            "projects-ended_on": choice(DATES),
            "projects-funding": choice(["12.5", "-3", "1e5", "0.001"]),
        },
        filing=drafts["projects"],
    )
    fuzz(
        ctx,
        "part_add results",
        "zhangsan",
        add("results"),
        {
            "version": version(),
            "results-title": JUNK,
            "results-kind": JUNK,
            "results-published_on": choice(DATES),
        },
        filing=drafts["results"],
    )

    f = drafts["partners"]

    def partner_url(action):
        def build():
            partner = f.partners.order_by("pk").first()
            return reverse(
                f"filings:part_{action}",
                kwargs={"public_id": f.public_id, "part": "partners", "item_id": partner.public_id},
            )

        return build

    fuzz(
        ctx,
        "part_edit partners",
        "zhangsan",
        partner_url("edit"),
        {
            "version": version(),
            "partners-country": choice(COUNTRIES),
            "partners-name_zh": JUNK,
            "partners-partner_type": choice(["university"]),
            "partners-started_on": choice(DATES),
            "partners-content": JUNK,
        },
        filing=f,
    )
    fuzz(ctx, "part_delete partners", "zhangsan", partner_url("delete"), {"version": version()}, filing=f)


def pdfish():
    """Bytes that are sometimes a PDF, sometimes almost one, sometimes anything."""
    return st.one_of(
        st.binary(max_size=300),
        st.binary(max_size=300).map(lambda b: b"%PDF-1.4\n" + b + b"\n%%EOF\n"),
        st.just(ONE_PAGE),
        st.binary(max_size=50).map(lambda b: ONE_PAGE[:-20] + b),
    )


ONE_PAGE = pdf_bytes()


def test_uploads_and_applicant_actions_survive_generated_input(ctx):
    """F8 upload, 上报 (F9), 数据同步 (S1, S2) with junk versions, kinds and file names."""
    f = ctx.draft
    names = st.one_of(
        st.text(max_size=30), st.sampled_from(["../../x.pdf", "a\x00.pdf", "\u202efdp.exe", "x" * 300])
    )
    files = st.builds(lambda content, name: SimpleUploadedFile(name or "x", content), pdfish(), names)

    def upload_url(kind):
        return reverse("filings:attachment_add", kwargs={"public_id": f.public_id, "kind": kind})

    fuzz(ctx, "attachment_add", "zhangsan", upload_url(4), {"version": version(), "file": files}, filing=f)
    for name in ("filings:sync_unit", "filings:sync_owner", "review:submit"):
        url = reverse(name, kwargs={"public_id": f.public_id})
        fuzz(ctx, name, "zhangsan", url, {"version": version()}, filing=f)


def test_review_actions_survive_generated_input(ctx):
    """W4, W5, W7: 审核 (通过/退回), 直接不通过 and 撤销 with junk decisions, opinions and versions."""
    demo = ctx.demo
    waiting = at_stage(demo, 1, demo.zhangsan, "敌意审核平台")
    opinion = st.one_of(JUNK, st.text(min_size=990, max_size=1010))
    decide = reverse("review:decide", kwargs={"public_id": waiting.public_id})
    fuzz(
        ctx,
        "review:decide",
        "sldx_admin",
        decide,
        {"version": version(), "decision": choice(["approve", "return"]), "opinion": opinion},
        filing=waiting,
    )
    other = at_stage(demo, 1, demo.zhangsan, "敌意不通过平台")
    reject = reverse("review:reject", kwargs={"public_id": other.public_id})
    fuzz(ctx, "review:reject", "sldx_admin", reject, {"version": version(), "opinion": opinion}, filing=other)
    third = at_stage(demo, 1, demo.zhangsan, "敌意撤销平台")
    withdraw = reverse("review:withdraw", kwargs={"public_id": third.public_id})
    fuzz(ctx, "review:withdraw", "zhangsan", withdraw, {"version": version()}, filing=third)
    # Whatever was accepted, every move bumped the version once and wrote exactly one 流转记录 (W8).
    for filing in (waiting, other, third):
        filing.refresh_from_db()
        assert FlowRecord.objects.filter(filing=filing).count() == filing.version - 1


def test_account_forms_survive_generated_input(ctx, settings):
    """U1, U2, A3: 个人信息, 单位管理 (both forms), 修改密码, 登录.

    A fast hasher here: the property is about input handling, and 1,000,000 PBKDF2 rounds per generated login
    would dominate the run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for persona in ("zhangsan", "lisi", "sldx_admin"):
        user = getattr(ctx.demo, persona)
        user.set_password("Demo@2026")
        user.save(update_fields=["password"])
        ctx.clients[persona].force_login(user)  # the session hash follows the password
    fuzz(
        ctx,
        "accounts:profile",
        "zhangsan",
        reverse("accounts:profile"),
        {
            "name": JUNK,
            "gender": choice(["male", "female"]),
            "position": JUNK,
            "research_field": JUNK,
            "mobile": choice(["13800000001"]),
            "id_type": choice(["id_card", "passport"]),
            "id_number": choice([ctx.demo.zhangsan.id_number, "11010519491231002X", "E12345678"]),
            "birth_date": choice(["1980-05-12", "1949-12-31"]),
            "title": choice(["senior"]),
            "education": choice(["doctor"]),
            "email": choice(["z@example.com"]),
        },
        accounts=True,
    )
    unit = ctx.demo.sldx_admin.unit
    fuzz(
        ctx,
        "accounts:unit_registration",
        "sldx_admin",
        reverse("accounts:unit_registration"),
        {
            "name": JUNK,
            "credit_code": choice([unit.credit_code, "91230100MA1BCDEF0X", "123"]),
            "unit_type": choice(["university", "enterprise"]),
        },
        accounts=True,
    )
    fuzz(
        ctx,
        "accounts:unit_registration_withdraw",
        "sldx_admin",
        reverse("accounts:unit_registration_withdraw"),
        {},
        accounts=True,
    )
    fuzz(
        ctx,
        "accounts:unit_contacts",
        "sldx_admin",
        reverse("accounts:unit_contacts"),
        {
            "contact_name": JUNK,
            "contact_phone": choice(["0451-86400001", "13800000011"]),
            "contact_email": choice(["a@example.com"]),
            "address": JUNK,
            "postcode": choice(["150001"]),
        },
        accounts=True,
    )
    fuzz(
        ctx,
        "accounts:password_change",
        "lisi",
        reverse("accounts:password_change"),
        {"old_password": choice(["Demo@2026"]), "new_password1": JUNK, "new_password2": JUNK},
        accounts=True,
    )
    fuzz(
        ctx,
        "accounts:login",
        "anon",
        reverse("accounts:login") + "?kind=legal&next=//evil.example",
        {
            "username": choice(["zhangsan", "sldx_admin"]),
            "password": JUNK,
            "next": choice(["//evil.example"]),
        },
    )


def test_list_filters_and_search_survive_generated_input(ctx):
    """W3 filters and sort, P1 search, F10 tabs, the audit export filters: GET parameters are input too."""
    fuzz(
        ctx,
        "review:list",
        "sldx_admin",
        reverse("review:list"),
        {
            "tab": choice(["pending", "all"]),
            "name": JUNK,
            "unit": JUNK,
            "stage": choice(["draft", "stage:申报单位审核", "done"]),
            "submitted_from": choice(DATES),
            "submitted_to": choice(DATES),
            "sort": choice(["name", "-unit", "submitted", "__class__", "pk;drop"]),
            "page": choice(["1", "2", "last", "0", "-1"]),
        },
        method="GET",
    )
    fuzz(ctx, "portal:search", "anon", reverse("portal:search"), {"q": JUNK, "page": JUNK}, method="GET")
    fuzz(ctx, "filings:mine", "zhangsan", reverse("filings:mine"), {"tab": JUNK, "page": JUNK}, method="GET")
    fuzz(
        ctx,
        "audit:export",
        "auditadmin",  # 三员分立: only the 审计管理员 reads and exports the audit log
        reverse("audit:export"),
        {
            "kind": choice(["login", "login_failed"]),
            "since": choice(DATES),
            "until": choice(DATES),
            "username": JUNK,
        },
        method="GET",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["accounts:login", "admin:login"])
def test_over_long_account_name_at_login_is_refused_not_a_crash(client, url_name):
    """Regression (found by the generated-input test on PostgreSQL): a 3,000-character account name at a login
    form reached django-axes' 255-character column and raised a database error (500)."""
    response = client.post(reverse(url_name), {"username": "字" * 3000, "password": "x"})
    assert response.status_code in (200, 400)
    from axes.models import AccessAttempt

    assert all(len(a.username) <= 255 for a in AccessAttempt.objects.all())
