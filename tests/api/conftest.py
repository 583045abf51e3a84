"""Tokens of every scope over the demo data, and filings of zhangsan (示例科技大学, 黑龙江省教育厅) in every state
plus one of wangwu (示例新材料有限公司, 哈尔滨市科学技术局), built with the shared factories."""

import datetime
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from kechuang.api.models import ApiToken
from kechuang.filings.models import AttachmentKind, Member
from kechuang.review import transitions
from kechuang.workflow.models import ReviewerKind
from tests.factories import at_stage, attach, complete_filing

# The tokens and the filings each may see (the web scope of the matching reviewer persona).
SCOPES = {
    "province": ("kjt_reviewer", ReviewerKind.PROVINCE),
    "edu": ("edu_reviewer", ReviewerKind.DEPARTMENT),
    "hrb": ("hrb_reviewer", ReviewerKind.DEPARTMENT),
    "sldx": ("sldx_admin", ReviewerKind.UNIT_ADMIN),
    "xcl": ("xcl_admin", ReviewerKind.UNIT_ADMIN),
}
STATES = ("draft", "s1", "s2", "s3", "returned", "done", "other_unit")
# Y = the token sees it; literal, so a change of scope shows up as a failing table, not a silent agreement.
VISIBLE = {
    "province": "-YYYYYY",
    "edu": "-YYYYY-",
    "hrb": "------Y",
    "sldx": "YYYYYY-",
    "xcl": "------Y",
}


def make_token(
    demo, scope="province", *, expires_in=datetime.timedelta(days=30), revoked=False, addresses=""
):
    """A token of one of SCOPES; returns (raw secret, ApiToken)."""
    persona, kind = SCOPES[scope]
    holder = getattr(demo, persona)
    token = ApiToken(
        name=f"测试令牌-{scope}",
        scope=kind,
        department=holder.department if kind == ReviewerKind.DEPARTMENT else None,
        unit=holder.unit if kind == ReviewerKind.UNIT_ADMIN else None,
        expires_at=timezone.now() + expires_in,
        allowed_addresses=addresses,
        revoked_at=timezone.now() if revoked else None,
        created_by=demo.admin,
    )
    raw = token.issue()
    token.full_clean()
    token.save()
    return raw, token


class ApiClient:
    """A Django test client that sends one token's Authorization header."""

    def __init__(self, raw=None, **extra):
        self.client = Client(**extra)
        self.headers = {"Authorization": f"Bearer {raw}"} if raw else {}

    def get(self, path, data=None, **headers):
        return self.client.get(path, data, headers={**self.headers, **headers})

    def post(self, path, data=None):
        return self.client.post(path, data or {}, headers=self.headers)


@pytest.fixture
def world(demo):
    """zhangsan's filings in every state (each with a member and a ④ attachment) and wangwu's at 申报单位审核."""
    owner = demo.zhangsan
    filings = {"draft": complete_filing(owner, demo.business, "接口平台-draft")}
    for order, state in ((1, "s1"), (2, "s2"), (3, "s3")):
        filings[state] = at_stage(demo, order, owner, f"接口平台-{state}")
    filings["returned"] = transitions.return_(
        at_stage(demo, 2, owner, "接口平台-returned"), demo.edu_reviewer, "请补充材料"
    )
    filings["done"] = transitions.approve(
        at_stage(demo, 3, owner, "接口平台-done"), demo.kjt_reviewer, "同意"
    )
    filings["other_unit"] = at_stage(demo, 1, demo.wangwu, "接口平台-other_unit")
    attachments = {}
    for state, filing in filings.items():
        filing.refresh_from_db()
        Member.objects.create(filing=filing, name="成员甲", gender="male", title="senior", education="doctor")
        attachments[state] = attach(filing, AttachmentKind.OTHER, filing.owner, name=f"补充材料-{state}.pdf")
    tokens = {scope: make_token(demo, scope) for scope in SCOPES}
    clients = {scope: ApiClient(raw) for scope, (raw, _token) in tokens.items()}
    return SimpleNamespace(
        demo=demo, filings=filings, attachments=attachments, tokens=tokens, clients=clients
    )


def visible_states(scope):
    return [state for state, flag in zip(STATES, VISIBLE[scope], strict=True) if flag == "Y"]


def ids_of(response):
    return {item["id"] for item in response.json()["items"]}


def walk(client, **params):
    """Every page of /filings; returns the items in order."""
    items, cursor = [], None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = client.get("/api/v1/filings", query)
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items
