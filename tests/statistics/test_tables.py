"""统计分析 equals counts computed here, independently, for each scope; no scope sees another's numbers."""

import collections
import csv
import io
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from kechuang import countries
from kechuang.accounts.models import Region, Role
from kechuang.filings.models import Filing, Industry, Status
from kechuang.review.models import FlowRecord
from kechuang.statistics.tables import TABLES
from kechuang.workflow.models import Season
from tests.factories import add_partner, at_stage

SVG = "{http://www.w3.org/2000/svg}"
READERS = ("kjt_reviewer", "edu_reviewer", "hrb_reviewer", "sldx_admin", "xcl_admin")


def in_scope(user, filing):
    """The manual's scopes, written out again here (not through visible_to)."""
    if filing.status == Status.DRAFT:
        return False
    if user.role == Role.PROVINCE_REVIEWER:
        return True
    if user.role == Role.DEPARTMENT_REVIEWER:
        return filing.unit.department_id == user.department_id
    return filing.unit_id == user.unit_id


def expected(user):
    filings = [f for f in Filing.objects.select_related("unit", "stage") if in_scope(user, f)]
    stage = collections.Counter(f.stage_label for f in filings)
    main = collections.Counter(str(countries.name(f.main_country)) for f in filings if f.main_country)
    partner = collections.defaultdict(lambda: [0, 0])  # platforms, partners
    for f in filings:
        codes = [p.country.code for p in f.partners.all()]
        for code in set(codes):
            partner[str(countries.name(code))][0] += 1
            partner[str(countries.name(code))][1] += codes.count(code)
    industry = {str(label): sum(value in f.industries for f in filings) for value, label in Industry.choices}
    city = {
        str(r.label): [
            sum(f.unit.region == r.value for f in filings),
            sum(f.unit.region == r.value and f.status == Status.DONE for f in filings),
        ]
        for r in Region
    }
    unit_type = collections.Counter(f.unit.get_unit_type_display() for f in filings)
    first_year = collections.Counter(
        str(f.first_submitted_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai")).year)
        for f in filings
    )
    done_year = collections.Counter()
    for f in filings:
        if f.status == Status.DONE:
            years = {
                r.created_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai")).year
                for r in FlowRecord.objects.filter(filing=f, action="approve", to_stage__isnull=True)
            }
            for year in years:
                done_year[str(year)] += 1
    return {
        "stage": {k: [v] for k, v in stage.items()},
        "main_country": {k: [v] for k, v in main.items()},
        "partner_country": partner,
        "industry": {k: [v] for k, v in industry.items()},
        "city": city,
        "unit_type": {k: [v] for k, v in unit_type.items()},
        "first_year": {k: [v] for k, v in first_year.items()},
        "done_year": {k: [v] for k, v in done_year.items()},
    }


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def nonzero(table_dict):
    return {k: v for k, v in table_dict.items() if any(v)}


def test_every_table_equals_the_independent_counts_for_every_scope(spread):
    demo = spread.demo
    seen = {}
    for persona in READERS:
        user = getattr(demo, persona)
        want = expected(user)
        response = client_for(user).get(reverse("statistics:index"))
        assert response.status_code == 200
        tables = {t.key: t for t in response.context["tables"]}
        assert set(tables) == set(TABLES)
        for key, table in tables.items():
            got = nonzero(table.as_dict())
            assert got == nonzero(want[key]), (persona, key, got, want[key])
        seen[persona] = {k: t.as_dict() for k, t in tables.items()}
    # The two departments' numbers differ and add up to the province's.
    assert seen["edu_reviewer"]["city"] != seen["hrb_reviewer"]["city"]
    province_total = sum(v[0] for v in seen["kjt_reviewer"]["stage"].values())
    assert province_total == sum(v[0] for v in seen["edu_reviewer"]["stage"].values()) + sum(
        v[0] for v in seen["hrb_reviewer"]["stage"].values()
    )
    assert province_total == Filing.objects.exclude(status=Status.DRAFT).count() == 13


def test_a_department_never_sees_another_departments_numbers_in_downloads(spread):
    demo = spread.demo
    edu = client_for(demo.edu_reviewer)
    # 俄罗斯 is only in the other department's filings: not in any of edu's tables, charts or downloads.
    russia = str(countries.name("RU"))
    for key in TABLES:
        for name in ("statistics:csv", "statistics:chart"):
            body = edu.get(reverse(name, args=[key])).content.decode("utf-8")
            assert russia not in body, (key, name)
        workbook = load_workbook(io.BytesIO(edu.get(reverse("statistics:xlsx", args=[key])).content))
        cells = [str(c) for row in workbook.active.iter_rows(values_only=True) for c in row]
        assert russia not in cells
    rows = list(csv.reader(io.StringIO(edu.get(reverse("statistics:csv", args=["stage"])).content.decode())))
    assert rows[-1][0] == "合计" and rows[-1][1] == "7"


@pytest.mark.parametrize("key", list(TABLES))
def test_the_svg_chart_parses_and_carries_the_tables_numbers(spread, key):
    client = client_for(spread.demo.kjt_reviewer)
    table = client.get(reverse("statistics:index")).context["tables"]
    table = next(t for t in table if t.key == key)
    response = client.get(reverse("statistics:chart", args=[key]))
    assert response["Content-Type"].startswith("image/svg+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text == str(table.title)
    drawn = {}
    for group in root.iter(f"{SVG}g"):
        drawn[group.get("data-label")] = [
            int(t.text) for t in group.iter(f"{SVG}text") if t.get("class") == "value"
        ]
    assert drawn == table.as_dict()
    assert "style" not in response.content.decode()  # CSP: presentation attributes only


def test_filters_by_business_and_year(spread):
    client = client_for(spread.demo.kjt_reviewer)
    closed = spread.demo.closed_business
    response = client.get(reverse("statistics:index"), {"business": closed.pk})
    assert all(sum(t.totals) == 0 for t in response.context["tables"])
    response = client.get(reverse("statistics:index"), {"year": 2021})
    assert all(sum(t.totals) == 0 for t in response.context["tables"])
    season = Filing.objects.exclude(season=None).values_list("season", flat=True).first()
    assert season is not None  # every filing belongs to the season open when it was created
    response = client.get(reverse("statistics:index"), {"season": season})
    assert sum(response.context["tables"][0].totals) == 13
    other = Season.objects.create(
        business=spread.demo.business, year=2020, period_start="2020-01-01", period_end="2020-12-31"
    )
    response = client.get(reverse("statistics:index"), {"season": other.pk})
    assert all(sum(t.totals) == 0 for t in response.context["tables"])
    response = client.get(reverse("statistics:index"), {"business": "x", "year": "abc"})
    assert response.status_code == 400
    assert "请选择列表中的业务" in response.content.decode()
    assert client.get(reverse("statistics:csv", args=["city"]), {"year": "abc"}).status_code == 404
    assert client.get(reverse("statistics:csv", args=["nope"])).status_code == 404


def test_applicants_are_refused(spread):
    for persona in ("zhangsan", "lisi"):
        client = client_for(getattr(spread.demo, persona))
        for name, args in (
            ("statistics:index", []),
            ("statistics:csv", ["city"]),
            ("statistics:chart", ["city"]),
        ):
            assert client.get(reverse(name, args=args)).status_code == 403
    assert Client().get(reverse("statistics:index")).status_code == 302


def count_queries(client, url, clear):
    from kechuang.statistics import service

    if clear:
        service.invalidate()  # the statistics' entries only (the site's other cached settings stay)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_constant_queries_whatever_the_number_of_filings(spread):
    """One query per table uncached, none cached, the same with 13 filings as with twice as many."""
    client = client_for(spread.demo.edu_reviewer)
    url = reverse("statistics:index")
    client.get(url)  # the session's first refresh is not the page's
    few = (count_queries(client, url, True), count_queries(client, url, False))
    assert few[1] <= 4  # session, user, the business and season options
    assert few[0] == few[1] + len(TABLES)
    demo = spread.demo
    for i in range(6):
        at_stage(demo, 1 + i % 3, demo.zhangsan, f"更多{i}")
    many = (count_queries(client, url, True), count_queries(client, url, False))
    assert many == few
    for key in TABLES:  # each chart and download: its one table's query
        for name in ("statistics:chart", "statistics:csv", "statistics:xlsx"):
            one = reverse(name, args=[key])
            assert count_queries(client, one, True) == count_queries(client, one, False) + 1


def test_a_transition_recounts_the_cached_numbers_and_the_map(spread, django_capture_on_commit_callbacks):
    """Cached on the first view; a committed transition invalidates every scope's entry and the 创新地图."""
    from kechuang.portal.views import innovation_map
    from kechuang.review import transitions
    from kechuang.statistics import service

    demo = spread.demo
    client = client_for(demo.kjt_reviewer)

    def done():
        table = next(t for t in client.get(reverse("statistics:index")).context["tables"] if t.key == "city")
        return table.as_dict()["哈尔滨市"][1]

    before = done()
    assert dict(innovation_map())["哈尔滨市"] == before == 3  # the same numbers, the same cache entry
    waiting = Filing.objects.get(name="乙-省级审核")
    Filing.objects.filter(pk=waiting.pk).update(name="乙-省级审核")  # no transition: the cache still answers
    assert done() == before
    with django_capture_on_commit_callbacks(execute=True):
        transitions.approve(waiting, demo.kjt_reviewer, "同意")
    assert done() == before + 1
    assert dict(innovation_map())["哈尔滨市"] == before + 1
    assert service.CACHE_SECONDS <= 60  # anything changed outside the transitions shows within a minute


def test_partner_counts_follow_every_change_of_a_partner(spread):
    """The by-country table reads each filing's stored partner_counts: adding a partner, changing its 国别
    and removing it (the web's save_part/delete_part call these) keep it equal to the partner rows."""
    demo = spread.demo
    client = client_for(demo.kjt_reviewer)
    filing = Filing.objects.filter(owner=demo.wangwu).exclude(status=Status.DRAFT).first()

    def table():
        from kechuang.statistics import service

        service.invalidate()
        tables = {t.key: t for t in client.get(reverse("statistics:index")).context["tables"]}
        return nonzero(tables["partner_country"].as_dict())

    def stored():
        filing.refresh_from_db()
        return filing.partner_counts

    assert table() == nonzero(expected(demo.kjt_reviewer)["partner_country"])
    before = stored()
    assert before["RU"] == 1 and "FR" not in before
    second = add_partner(filing, "RU", "俄罗斯第二大学")
    assert stored() == {**before, "RU": 2}
    assert table() == nonzero(expected(demo.kjt_reviewer)["partner_country"])
    second.country = "FR"
    second.save()
    assert stored() == {**before, "FR": 1}
    assert table()[str(countries.name("FR"))] == [1, 1]
    second.delete()
    assert stored() == before
    assert str(countries.name("FR")) not in table()
    assert table() == nonzero(expected(demo.kjt_reviewer)["partner_country"])


def test_years_are_asia_shanghai_at_the_boundary_and_before_the_offered_range(spread):
    """local_year compares with each year's start in Asia/Shanghai; years before FIRST_YEAR fall back."""
    import datetime

    utc = datetime.UTC
    submitted = list(Filing.objects.exclude(status=Status.DRAFT).order_by("pk")[:3])
    moments = [
        datetime.datetime(2025, 12, 31, 16, 0, tzinfo=utc),  # 2026-01-01 00:00 in Shanghai
        datetime.datetime(2025, 12, 31, 15, 59, 59, tzinfo=utc),  # still 2025 there
        datetime.datetime(2018, 6, 1, 12, 0, tzinfo=utc),  # before the filters' first year
    ]
    for filing, moment in zip(submitted, moments, strict=True):
        Filing.objects.filter(pk=filing.pk).update(first_submitted_at=moment)
    response = client_for(spread.demo.kjt_reviewer).get(reverse("statistics:index"))
    got = next(t for t in response.context["tables"] if t.key == "first_year").as_dict()
    assert got == nonzero(expected(spread.demo.kjt_reviewer)["first_year"])
    assert got["2018"] == [1] and got["2025"][0] >= 1 and got["2026"][0] >= 1
