"""Q4 for what issue 14 adds to the review pages: 待审核平台's deadline and quota line, the bulk confirmation and
the 推荐排序 page run the same number of queries with 1 filing as with many."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kechuang.filings.models import Filing
from kechuang.workflow import days
from kechuang.workflow.models import Extension, Quota, Season, Stage, StageDeadline

from .factories import waiting_in_bulk


def _count(client, method, url, data=None):
    client.get(reverse("review:list"))  # the session's first request is written once; not counted
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {})
    assert response.status_code == 200, response.status_code
    return len(queries)


def _season_setup(demo):
    season = Season.objects.get(business=demo.business)
    stage = Stage.objects.get(business=demo.business, order=2)
    StageDeadline.objects.create(season=season, stage=stage, due=days.today() + datetime.timedelta(days=3))
    Quota.objects.create(season=season, department=demo.edu_reviewer.department, limit=500)
    Extension.objects.create(
        season=season,
        kind="stage",
        department=demo.edu_reviewer.department,
        stage=stage,
        stage_due=days.today() + datetime.timedelta(days=6),
        reason="测试",
        granted_by=demo.kjt_reviewer,
    )


def test_pending_list_with_deadline_and_quota_does_not_grow(client, demo):
    _season_setup(demo)
    waiting_in_bulk(demo, 1, order=2)
    client.force_login(demo.edu_reviewer)
    few = _count(client, "get", reverse("review:list"))
    waiting_in_bulk(demo, 60, order=2)
    assert _count(client, "get", reverse("review:list")) == few
    assert "距审核截止还有 6 天" in client.get(reverse("review:list")).content.decode()


def test_bulk_confirmation_does_not_grow(client, demo):
    client.force_login(demo.kjt_reviewer)
    few_ids = [str(f.public_id) for f in waiting_in_bulk(demo, 1)]
    many_ids = [str(f.public_id) for f in waiting_in_bulk(demo, 100)]
    few = _count(client, "post", reverse("review:bulk"), {"ids": few_ids, "decision": "approve"})
    assert _count(client, "post", reverse("review:bulk"), {"ids": many_ids, "decision": "approve"}) == few


def test_recommendations_page_does_not_grow(client, demo):
    _season_setup(demo)
    season = Season.objects.get(business=demo.business)
    ids = [f.pk for f in waiting_in_bulk(demo, 1, order=3)]
    Filing.objects.filter(pk__in=ids).update(recommended=True, season=season)
    client.force_login(demo.edu_reviewer)
    few = _count(client, "get", reverse("review:recommendations"))
    ids = [f.pk for f in waiting_in_bulk(demo, 80, order=3)]
    Filing.objects.filter(pk__in=ids).update(recommended=True, season=season)
    assert _count(client, "get", reverse("review:recommendations")) == few
