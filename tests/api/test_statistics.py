"""/api/v1/statistics: the 统计分析 tables of the token's scope, the same numbers its reviewers see on the web.

Drafts and voided filings are not counted; a department's or unit's token counts nothing of another's filings
(no count leak); bad filters are a 400 with a reason, never a 500; the queries do not grow with the filings.
"""

import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.filings.models import Filing
from kechuang.review import transitions
from kechuang.statistics.tables import TABLES, counted

from .conftest import SCOPES

URL = "/api/v1/statistics"


def web_tables(user, **filters):
    queryset = counted(Filing.objects.visible_to(user)).filter(**filters)
    return {name: table(queryset) for name, table in TABLES.items()}


def as_api(table):
    return {"" if key is None else str(key): counts for key, _label, counts in table.rows}


def counts_of(response):
    assert response.status_code == 200, response.content
    return {t["key"]: {row["key"]: row["counts"] for row in t["rows"]} for t in response.json()["tables"]}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.mark.parametrize("scope", list(SCOPES))
def test_every_table_equals_the_web_statistics_of_the_scope(world, scope):
    persona, _kind = SCOPES[scope]
    expected = {name: as_api(t) for name, t in web_tables(getattr(world.demo, persona)).items()}
    got = counts_of(world.clients[scope].get(URL))
    assert got == expected
    stage_totals = next(t for t in world.clients[scope].get(URL).json()["tables"] if t["key"] == "stage")[
        "totals"
    ]
    assert stage_totals == web_tables(getattr(world.demo, persona))["stage"].totals


def test_drafts_and_voided_filings_are_not_counted_and_other_scopes_not_at_all(world):
    def total(scope):
        tables = world.clients[scope].get(URL).json()["tables"]
        return next(t for t in tables if t["key"] == "stage")["totals"][0]

    # zhangsan's s1, s2, s3, returned, done count for the province and 教育厅; the draft does not.
    assert total("province") == 6  # + wangwu's filing at 申报单位审核
    assert total("edu") == 5
    assert total("hrb") == 1  # wangwu's filing only: nothing of 教育厅's units leaks into the count
    assert total("xcl") == 1
    transitions.void(world.filings["returned"], world.demo.zhangsan)
    cache.clear()  # the cache is also invalidated by the transition's signal; clear to test the count itself
    assert total("province") == 5
    assert total("edu") == 4
    assert total("hrb") == 1


def test_filters_narrow_like_the_web_form(world):
    demo = world.demo
    business = demo.business
    response = world.clients["province"].get(URL, {"business": str(business.public_id)})
    expected = {n: as_api(t) for n, t in web_tables(demo.kjt_reviewer, business=business).items()}
    assert counts_of(response) == expected
    year = world.filings["s1"].first_submitted_at.year
    response = world.clients["province"].get(URL, {"year": year - 1})
    assert all(t["totals"] == [0] * len(t["columns"]) for t in response.json()["tables"])


@pytest.mark.parametrize(
    "params",
    [
        {"business": str(uuid.uuid4())},
        {"season": str(uuid.uuid4())},
        {"business": "not-a-uuid"},
        {"year": "1999"},
        {"year": "2101"},
        {"year": "二〇二六"},
    ],
)
def test_bad_filters_are_a_400_with_a_reason(world, params):
    response = world.clients["province"].get(URL, params)
    assert response.status_code == 400
    assert response.json()["detail"]
    assert "tables" not in response.json()


def test_no_token_no_numbers(world):
    from .conftest import ApiClient

    response = ApiClient().get(URL)
    assert response.status_code == 401
    assert "tables" not in response.json()


def test_queries_are_fixed_and_the_second_call_comes_from_the_cache(world):
    client = world.clients["province"]
    with CaptureQueriesContext(connection) as first:
        client.get(URL)
    with CaptureQueriesContext(connection) as second:
        client.get(URL)
    # token + call log, plus one aggregate per table on the first call only
    assert len(first) <= 2 + len(TABLES) + 2
    assert len(second) <= 4
    assert len(second) < len(first)


def test_businesses_list_their_seasons(world):
    response = world.clients["province"].get("/api/v1/businesses")
    business = next(b for b in response.json() if b["id"] == str(world.demo.business.public_id))
    seasons = world.demo.business.seasons.all()
    assert {s["id"] for s in business["seasons"]} == {str(s.public_id) for s in seasons}
