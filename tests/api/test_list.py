"""The filings list: keyset pages in id order, the reviewer lists' filters, bad input as 400 JSON, and a fixed
number of queries per request whatever the number of filings."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kechuang.filings.models import Filing
from kechuang.review import transitions
from tests.factories import at_stage, reviewers_for

from .conftest import ids_of, visible_states


def test_walk_returns_every_filing_exactly_once_while_filings_change_stage(world):
    """Pages of 2 over the province's scope; between pages filings already seen and not yet seen move on (通过,
    退回) and a new one is submitted. Every filing in the scope at the end appears exactly once."""
    demo = world.demo
    client = world.clients["province"]
    seen, cursor, pages = [], None, 0
    movers = [world.filings["s1"], world.filings["s2"], world.filings["s3"], world.filings["other_unit"]]
    added = []
    while True:
        response = client.get("/api/v1/filings", {"limit": 2, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200
        body = response.json()
        seen += [item["id"] for item in body["items"]]
        pages += 1
        if movers:
            filing = Filing.objects.get(pk=movers.pop(0).pk)
            reviewer = next(
                r for r in reviewers_for(demo, filing) if Filing.objects.actionable_by(r).filter(pk=filing.pk)
            )
            if pages % 2:
                transitions.approve(filing, reviewer, "同意")
            else:
                transitions.return_(filing, reviewer, "请修改")
        if pages == 2:
            added.append(at_stage(demo, 1, demo.lisi, "接口平台-walk"))
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)), "a filing came twice"
    expected = {str(f.public_id) for f in Filing.objects.in_scope("province")}
    assert set(seen) == expected
    assert str(added[0].public_id) in seen
    assert pages >= 4
    ids = [Filing.objects.get(public_id=i).pk for i in seen]
    assert ids == sorted(ids), "pages are in id order"


def test_cursor_is_only_a_filing_of_the_scope(world):
    foreign = world.filings["draft"]  # not in the province's scope (never submitted)
    client = world.clients["province"]
    for cursor in (str(foreign.public_id), str(uuid.uuid4()), "not-a-uuid", "1"):
        response = client.get("/api/v1/filings", {"cursor": cursor})
        assert response.status_code == 400, cursor
        assert "items" not in response.json()


def test_filters(world):
    demo = world.demo
    client = world.clients["province"]
    f = world.filings

    def ids(**params):
        response = client.get("/api/v1/filings", params)
        assert response.status_code == 200, (params, response.content)
        return ids_of(response)

    assert ids(status="done") == {str(f["done"].public_id)}
    assert ids(status="returned") == {str(f["returned"].public_id)}
    stage2 = f["s2"].stage_id
    assert ids(stage=stage2) == {str(f["s2"].public_id)}
    assert ids(unit=str(demo.xcl_admin.unit.public_id)) == {str(f["other_unit"].public_id)}
    assert ids(department=demo.hrb_reviewer.department_id) == {str(f["other_unit"].public_id)}
    every = {str(f[s].public_id) for s in visible_states("province")}
    assert ids(country="DE") == every and ids(country="US") == every and ids(country="FR") == set()
    Filing.objects.filter(pk=f["s3"].pk).update(other_countries="FR,JP")
    assert ids(country="FR") == {str(f["s3"].public_id)} and ids(country="JP") == {str(f["s3"].public_id)}
    assert ids(industry="materials") == every and ids(industry="bio") == set()
    Filing.objects.filter(pk=f["s1"].pk).update(industries=["bio"])
    assert ids(industry="bio") == {str(f["s1"].public_id)}
    today = timezone.localdate()
    assert ids(submitted_from=today.isoformat(), submitted_to=today.isoformat()) == every
    assert ids(submitted_to=(today - datetime.timedelta(days=1)).isoformat()) == set()
    later = timezone.now() + datetime.timedelta(seconds=1)
    Filing.objects.filter(pk=f["done"].pk).update(updated_at=later + datetime.timedelta(seconds=5))
    assert ids(updated_since=later.isoformat()) == {str(f["done"].public_id)}
    naive = timezone.localtime(later).replace(tzinfo=None).isoformat()
    assert ids(updated_since=naive) == {str(f["done"].public_id)}


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 101},
        {"limit": "x"},
        {"status": "voidedish"},
        {"stage": 2**64},
        {"stage": -1},
        {"department": "1e9"},
        {"unit": "nope"},
        {"country": "de"},
        {"country": "DEU"},
        {"industry": "biology"},
        {"submitted_from": "2026-13-01"},
        {"submitted_from": "2026-05-02", "submitted_to": "2026-05-01"},
        {"submitted_to": "9999-12-31"},
        {"updated_since": "0001-01-01T00:00:00+14:00"},
        {"updated_since": "yesterday"},
        {"cursor": "\x00"},
    ],
)
def test_bad_parameters_are_400_json_never_500(world, params):
    response = world.clients["province"].get("/api/v1/filings", params)
    assert response.status_code == 400, (params, response.content)
    body = response.json()
    assert body["detail"] and "items" not in body


def test_queries_per_request_do_not_grow_with_the_filings(world):
    client = world.clients["province"]

    def count(path, **params):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path, params).status_code == 200
        return len(queries)

    first = count("/api/v1/filings")
    page = client.get("/api/v1/filings", {"limit": 2}).json()
    deep = count("/api/v1/filings", cursor=page["next_cursor"])
    detail = count(f"/api/v1/filings/{world.filings['done'].public_id}")
    flow = count(f"/api/v1/filings/{world.filings['done'].public_id}/flow")
    for n in range(6):
        at_stage(world.demo, 1 + n % 3, world.demo.lisi, f"接口平台-more-{n}")
    assert count("/api/v1/filings") == first
    assert count("/api/v1/filings", cursor=page["next_cursor"]) == deep == first + 1
    assert count(f"/api/v1/filings/{world.filings['s2'].public_id}") == detail
    assert count(f"/api/v1/filings/{world.filings['s2'].public_id}/flow") == flow
    # token, page, call log; token, filing, 5 lists, call log; token, filing, records, call log
    assert (first, detail, flow) == (3, 8, 4)
