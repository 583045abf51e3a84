"""Every endpoint × every token scope × own and foreign filings: a token sees exactly its web scope.

No leak: a foreign filing's id answers exactly like an id that does not exist (same status, same body), its
name and its 负责人's identity number never appear in any answer, and filtering by a foreign unit or
department gives an empty page rather than an error (no count leak)."""

import uuid

import pytest

from kechuang.filings.models import Filing, Status
from kechuang.review import transitions

from .conftest import SCOPES, STATES, VISIBLE, ids_of, visible_states, walk


def test_visible_table_agrees_with_the_web_scope_of_each_holder(world):
    """The literal table is the web's visible_to() of the persona whose scope the token has."""
    for scope, (persona, _kind) in SCOPES.items():
        user = getattr(world.demo, persona)
        web = set(Filing.objects.visible_to(user).values_list("public_id", flat=True))
        table = {world.filings[state].public_id for state in visible_states(scope)}
        assert {f for f in web if f in {x.public_id for x in world.filings.values()}} == table, scope
        api = {uuid.UUID(item["id"]) for item in walk(world.clients[scope], limit=2)}
        assert api == web, scope


@pytest.mark.parametrize("scope", list(SCOPES))
def test_list_holds_exactly_the_scope(world, scope):
    response = world.clients[scope].get("/api/v1/filings")
    assert response.status_code == 200
    expected = {str(world.filings[s].public_id) for s in visible_states(scope)}
    assert ids_of(response) == expected
    body = response.content.decode()
    for state in STATES:
        if state not in visible_states(scope):
            assert world.filings[state].name not in body


@pytest.mark.parametrize("scope", list(SCOPES))
def test_one_filing_flow_and_attachment_in_scope_only(world, scope):
    client = world.clients[scope]
    missing = client.get(f"/api/v1/filings/{uuid.uuid4()}")
    assert missing.status_code == 404
    for index, state in enumerate(STATES):
        filing, attachment = world.filings[state], world.attachments[state]
        urls = {
            "detail": f"/api/v1/filings/{filing.public_id}",
            "flow": f"/api/v1/filings/{filing.public_id}/flow",
            "file": f"/api/v1/filings/{filing.public_id}/attachments/{attachment.public_id}",
        }
        visible = VISIBLE[scope][index] == "Y"
        for kind, url in urls.items():
            response = client.get(url)
            if visible:
                assert response.status_code == 200, (scope, state, kind)
            else:
                assert response.status_code == 404, (scope, state, kind)
                assert response.content == missing.content, "a foreign id must answer like a missing one"
                assert filing.name.encode() not in response.content
                assert filing.owner_id_number.encode() not in response.content


def test_attachment_of_another_filing_is_404_even_in_scope(world):
    """A visible filing's URL with another (also visible) filing's attachment id: 404, nothing streamed."""
    client = world.clients["province"]
    one, other = world.filings["s2"], world.attachments["s3"]
    response = client.get(f"/api/v1/filings/{one.public_id}/attachments/{other.public_id}")
    assert response.status_code == 404


@pytest.mark.parametrize("scope", list(SCOPES))
def test_filters_by_foreign_unit_or_department_are_just_empty(world, scope):
    demo = world.demo
    client = world.clients[scope]
    for params in (
        {"unit": str(demo.xcl_admin.unit.public_id)},
        {"unit": str(demo.sldx_admin.unit.public_id)},
        {"unit": str(uuid.uuid4())},
        {"department": demo.hrb_reviewer.department_id},
        {"department": demo.edu_reviewer.department_id},
        {"department": 987654},
    ):
        response = client.get("/api/v1/filings", params)
        assert response.status_code == 200, (scope, params)
        got = ids_of(response)
        assert got <= {str(world.filings[s].public_id) for s in visible_states(scope)}, (scope, params)


def test_personal_data_masked_in_the_list_and_whole_in_the_detail(world):
    filing = world.filings["s2"]
    id_number, mobile = filing.owner_id_number, filing.owner_mobile
    assert len(id_number) == 18 and len(mobile) == 11
    for scope in ("province", "edu", "sldx"):
        client = world.clients[scope]
        listed = client.get("/api/v1/filings")
        assert id_number.encode() not in listed.content and mobile.encode() not in listed.content
        row = next(i for i in listed.json()["items"] if i["id"] == str(filing.public_id))
        assert row["owner_id_number"] == "*" * 14 + id_number[-4:]
        assert row["owner_mobile"] == mobile[:3] + "****" + mobile[-4:]
        detail = client.get(f"/api/v1/filings/{filing.public_id}").json()
        assert detail["owner"]["id_number"] == id_number
        assert detail["owner"]["mobile"] == mobile


def test_detail_carries_every_part_and_attachment_metadata_without_the_file(world):
    filing = world.filings["done"]
    body = world.clients["province"].get(f"/api/v1/filings/{filing.public_id}").json()
    assert body["name"] == filing.name and body["status"] == "done"
    assert {p["country"] for p in body["partners"]} == {"DE", "US"}
    assert [m["name"] for m in body["members"]] == ["成员甲"]
    assert len(body["attachments"]) == 4
    extra = next(a for a in body["attachments"] if a["id"] == str(world.attachments["done"].public_id))
    assert extra["name"] == "补充材料-done.pdf"
    assert extra["sha256"] == world.attachments["done"].sha256 and extra["size"] > 0
    assert "file" not in extra and "path" not in extra
    file = world.clients["province"].get(extra["url"])
    assert file.status_code == 200 and file["Content-Type"] == "application/pdf"
    content = b"".join(file.streaming_content)
    assert len(content) == extra["size"]
    import hashlib

    assert hashlib.sha256(content).hexdigest() == extra["sha256"]


def test_flow_lists_every_step(world):
    filing = world.filings["done"]
    records = world.clients["edu"].get(f"/api/v1/filings/{filing.public_id}/flow").json()
    assert [r["action"] for r in records] == ["submit", "approve", "approve", "approve"]
    assert records[-1]["to_status"] == "平台：完成"


def test_businesses_with_periods_and_stages(world):
    body = world.clients["xcl"].get("/api/v1/businesses").json()
    business = next(b for b in body if b["name"] == "省国际科技合作平台备案")
    assert business["is_open"] is True
    assert [s["order"] for s in business["stages"]] == [1, 2, 3]
    assert [s["reviewer_kind"] for s in business["stages"]] == ["unit_admin", "department", "province"]


def test_a_voided_filing_is_only_a_tombstone(world):
    """Voided (删除 of a returned filing): in the list and as one filing just its id and "voided"; its 流转记录
    and attachments are 404; nothing of its content appears anywhere."""
    filing = transitions.void(world.filings["returned"], world.demo.zhangsan)
    assert filing.status == Status.VOIDED
    tombstone = {"id": str(filing.public_id), "voided": True}
    for scope in ("province", "edu", "sldx"):
        client = world.clients[scope]
        listed = client.get("/api/v1/filings")
        assert tombstone in listed.json()["items"]
        assert client.get("/api/v1/filings", {"status": "voided"}).json()["items"] == [tombstone]
        detail = client.get(f"/api/v1/filings/{filing.public_id}")
        assert detail.status_code == 200 and detail.json() == tombstone
        flow = client.get(f"/api/v1/filings/{filing.public_id}/flow")
        attachment = world.attachments["returned"]
        file = client.get(f"/api/v1/filings/{filing.public_id}/attachments/{attachment.public_id}")
        assert flow.status_code == 404 and file.status_code == 404
        for response in (listed, detail, flow, file):
            assert filing.name.encode() not in response.content
    # Out of scope it stays unknown, like any foreign id.
    assert world.clients["hrb"].get(f"/api/v1/filings/{filing.public_id}").status_code == 404
    assert tombstone not in world.clients["hrb"].get("/api/v1/filings").json()["items"]


def test_an_attachment_download_is_in_the_security_audit_log_like_on_the_web(world):
    from kechuang.audit.models import EventKind, SecurityEvent

    filing, attachment = world.filings["s2"], world.attachments["s2"]
    before = SecurityEvent.objects.filter(kind=EventKind.DOWNLOAD).count()
    response = world.clients["edu"].get(
        f"/api/v1/filings/{filing.public_id}/attachments/{attachment.public_id}"
    )
    assert response.status_code == 200
    assert SecurityEvent.objects.filter(kind=EventKind.DOWNLOAD).count() == before + 1
