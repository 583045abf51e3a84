"""推荐汇总表: what a 主管部门 (or a unit filing straight to the province) passed to the province in a period."""

import io
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kechuang.audit.models import EventKind, SecurityEvent
from kechuang.filings.models import Filing
from kechuang.review import transitions
from kechuang.review.models import FlowRecord
from kechuang.workflow.models import Season
from tests.factories import at_stage, submitted_filing

from .conftest import body, pdf_text


def period(days_back=1, days_ahead=0):
    today = timezone.localdate()
    return {
        "start": (today - timedelta(days=days_back)).isoformat(),
        "end": (today + timedelta(days_ahead)).isoformat(),
    }


def test_department_lists_what_it_passed_in_order(client, demo):
    first = at_stage(demo, 3, name="先推荐的平台")
    second = at_stage(demo, 3, name="后推荐的平台")
    at_stage(demo, 2, name="还在主管部门的平台")
    done = transitions.approve(at_stage(demo, 3, name="已完成的平台"), demo.kjt_reviewer)
    other_department = at_stage(demo, 3, owner=demo.wangwu, name="其他部门的平台")
    assert other_department.unit.department_id != demo.edu_reviewer.department_id
    client.force_login(demo.edu_reviewer)
    page = client.get(reverse("documents:summary"), period())
    assert page.status_code == 200
    names = [f.name for f in page.context["rows"]]
    assert names == ["先推荐的平台", "后推荐的平台", "已完成的平台"]

    sheet = load_workbook(io.BytesIO(body(client.get(reverse("documents:summary_excel"), period())))).active
    values = list(sheet.iter_rows(values_only=True))
    assert "推荐汇总表" in values[0][0] and demo.edu_reviewer.department.name in values[0][0]
    assert values[1][0] == "序号"
    data = [row for row in values[2:] if row and isinstance(row[0], int)]
    assert [(row[0], row[3]) for row in data] == [(1, first.name), (2, second.name), (3, done.name)]
    assert data[0][2] == first.number
    assert any(row and row[0] == "经办人：" and "单位盖章：" in row for row in values)

    reader, pages = pdf_text(body(client.get(reverse("documents:summary_pdf"), period())))
    text = "\n".join(pages).replace("\n", "")
    for expected in (first.name, second.name, done.name, "经办人", "负责人", "日期", "单位盖章", "序号"):
        assert expected in text
    assert "还在主管部门的平台" not in text and "其他部门的平台" not in text
    assert SecurityEvent.objects.filter(kind=EventKind.DATA_EXPORT).count() == 2


def test_period_bounds_the_time_passed(client, demo):
    filing = at_stage(demo, 3, name="去年推荐的平台")
    FlowRecord.objects.filter(filing=filing, to_stage__order=3).update(
        created_at=timezone.now() - timedelta(days=400)
    )
    client.force_login(demo.edu_reviewer)
    assert client.get(reverse("documents:summary"), period()).context["rows"] == []
    rows = client.get(reverse("documents:summary"), period(days_back=500)).context["rows"]
    assert [f.name for f in rows] == ["去年推荐的平台"]


def test_a_unit_filing_straight_to_the_province(client, demo):
    unit = demo.sldx_admin.unit
    unit.skip_department_review = True
    unit.save(update_fields=["skip_department_review"])
    filing = transitions.approve(submitted_filing(demo, name="直报平台"), demo.sldx_admin)
    assert filing.stage.reviewer_kind == "province"
    client.force_login(demo.sldx_admin)
    assert [f.name for f in client.get(reverse("documents:summary"), period()).context["rows"]] == [
        "直报平台"
    ]


def test_only_recommending_organisations(client, demo):
    for persona in ("zhangsan", "kjt_reviewer", "sldx_admin", "admin"):  # sldx does not skip its department
        client.force_login(getattr(demo, persona))
        for name in ("documents:summary", "documents:summary_excel", "documents:summary_pdf"):
            assert client.get(reverse(name), period()).status_code == 403, (persona, name)


def test_bad_period_is_a_400(client, demo):
    client.force_login(demo.edu_reviewer)
    response = client.get(reverse("documents:summary"), {"start": "2026-05-01", "end": "2026-01-01"})
    assert response.status_code == 400
    assert "结束日期不能早于开始日期" in response.content.decode()
    assert client.get(reverse("documents:summary_excel"), {"start": "x", "end": "y"}).status_code == 400


def test_recommend_rank_orders_then_time_passed(client, demo):
    first = at_stage(demo, 3, name="先推荐的平台")
    second = at_stage(demo, 3, name="后推荐的平台")
    third = at_stage(demo, 3, name="最后推荐的平台")
    Filing.objects.filter(pk=third.pk).update(recommend_rank=1)
    Filing.objects.filter(pk=second.pk).update(recommend_rank=2)
    client.force_login(demo.edu_reviewer)
    rows = client.get(reverse("documents:summary"), period()).context["rows"]
    assert [f.pk for f in rows] == [third.pk, second.pk, first.pk]


def test_a_season_instead_of_days(client, demo):
    filing = at_stage(demo, 3, name="本批次平台")
    season = Filing.objects.get(pk=filing.pk).season
    assert season is not None
    client.force_login(demo.edu_reviewer)
    page = client.get(reverse("documents:summary"), {"season": season.pk})
    assert page.status_code == 200
    assert [f.name for f in page.context["rows"]] == ["本批次平台"]
    assert str(season) in page.context["title"]
    other = Season.objects.create(
        business=season.business,
        year=season.year - 5,
        period_start=date(2000, 1, 1),
        period_end=date(2000, 2, 1),
    )
    assert client.get(reverse("documents:summary"), {"season": other.pk}).context["rows"] == []
    assert client.get(reverse("documents:summary"), {"season": "999999"}).status_code == 400
