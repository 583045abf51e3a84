"""审核时效 (W14): each stay at a stage is recorded by the transitions; medians and 90th percentiles are computed
in SQL and equal PostgreSQL's percentile_cont (checked against a reference here, on both databases)."""

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kechuang.review import timeliness, transitions
from kechuang.review.models import StageStay
from kechuang.workflow.models import Stage

from .factories import at_stage

URL = reverse("review:timeliness")


def percentile_cont(values, p):
    """The definition PostgreSQL uses: linear interpolation at position p·(n−1) of the sorted values."""
    ordered = sorted(values)
    pos = p * (len(ordered) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def test_transitions_record_each_stay(demo):
    filing = at_stage(demo, 3)
    transitions.return_(filing, demo.kjt_reviewer, "请修改。")
    stays = list(StageStay.objects.filter(filing=filing).order_by("id").select_related("stage"))
    assert [(s.stage.order, s.left_action) for s in stays] == [(1, "approve"), (2, "approve"), (3, "return")]
    assert all(
        s.left_at and s.seconds is not None and s.department_id == filing.unit.department_id for s in stays
    )
    assert stays[0].unit_type == filing.unit.unit_type


def test_withdrawal_closes_the_stay_and_resubmission_opens_a_new_one(demo):
    filing = at_stage(demo, 1)
    filing = transitions.withdraw(filing, demo.zhangsan)
    assert StageStay.objects.get(filing=filing).left_action == "withdraw"
    transitions.submit(filing, demo.zhangsan)
    assert StageStay.objects.filter(filing=filing, left_at__isnull=True).count() == 1


def _stays(demo, seconds_by_group):
    """StageStay rows straight away (lengths chosen by the test) at stage 2 of the demo business."""
    stage = Stage.objects.get(business=demo.business, order=2)
    filing = at_stage(demo, 1)
    now = timezone.now()
    rows = []
    for (department, unit_type), lengths in seconds_by_group.items():
        for i, length in enumerate(lengths):
            rows.append(
                StageStay(
                    filing=filing,
                    stage=stage,
                    department=department,
                    unit_type=unit_type,
                    entered_at=now - datetime.timedelta(seconds=length),
                    left_at=now,
                    left_action="approve",
                    seconds=length,
                    late=i % 3 == 0,
                )
            )
    StageStay.objects.bulk_create(rows)
    return stage


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_median_and_p90_equal_percentile_cont(demo, seed):
    rng = random.Random(seed)
    edu, hrb = demo.edu_reviewer.department, demo.hrb_reviewer.department
    groups = {
        (edu, "university"): [rng.randint(0, 30 * 86400) for _ in range(rng.randint(1, 40))],
        (hrb, "enterprise"): [rng.randint(0, 30 * 86400) for _ in range(rng.randint(1, 40))],
        (hrb, "university"): [rng.randint(0, 5 * 86400)],
    }
    stage = _stays(demo, groups)
    rows = {r.group: r for r in timeliness.aggregate(grouping="department") if r.stage == stage.name}
    for department in (edu, hrb):
        values = [v for (d, _t), vs in groups.items() if d == department for v in vs]
        row = rows[department.name]
        assert row.count == len(values)
        assert row.median_days == round(percentile_cont(values, 0.5) / 86400, 1)
        assert row.p90_days == round(percentile_cont(values, 0.9) / 86400, 1)
        assert row.late == sum(
            1 for (d, _t), vs in groups.items() if d == department for i, _v in enumerate(vs) if i % 3 == 0
        )
    by_type = {r.group: r for r in timeliness.aggregate(grouping="unit_type") if r.stage == stage.name}
    enterprise = groups[(hrb, "enterprise")]
    assert by_type["企业"].median_days == round(percentile_cont(enterprise, 0.5) / 86400, 1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds), "
                "percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) FROM review_stagestay "
                "WHERE stage_id = %s AND department_id = %s AND left_at IS NOT NULL",
                [stage.pk, edu.pk],
            )
            median, p90 = cursor.fetchone()
        assert rows[edu.name].median_days == round(median / 86400, 1)
        assert rows[edu.name].p90_days == round(p90 / 86400, 1)


def test_a_department_sees_only_its_own_stays_and_the_province_all(client, demo):
    edu, hrb = demo.edu_reviewer.department, demo.hrb_reviewer.department
    _stays(demo, {(edu, "university"): [86400, 3 * 86400], (hrb, "enterprise"): [10 * 86400]})
    client.force_login(demo.edu_reviewer)
    html = client.get(URL).content.decode()
    assert edu.name in html and hrb.name not in html
    client.force_login(demo.kjt_reviewer)
    html = client.get(URL).content.decode()
    assert edu.name in html and hrb.name in html


def test_csv_download(client, demo):
    edu = demo.edu_reviewer.department
    _stays(demo, {(edu, "university"): [86400, 3 * 86400]})
    client.force_login(demo.kjt_reviewer)
    response = client.get(URL, {"format": "csv", "grouping": "unit_type"})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "审核阶段,分组,已审核数,中位数（天）,90%分位（天）,逾期审核数"
    assert "主管部门审核,按单位类型：高等院校,2,2.0,2.8,1" in text or "主管部门审核,按单位类型：" in text


@pytest.mark.parametrize("persona", ["zhangsan", "sldx_admin"])
def test_others_may_not_see_timeliness(client, demo, persona):
    client.force_login(getattr(demo, persona))
    assert client.get(URL).status_code == 403


def test_bad_filters_are_a_400_not_a_500(client, demo):
    client.force_login(demo.kjt_reviewer)
    assert client.get(URL, {"season": "abc", "grouping": "nope"}).status_code == 400


def test_query_count_does_not_grow(client, demo):
    edu = demo.edu_reviewer.department
    client.force_login(demo.kjt_reviewer)
    _stays(demo, {(edu, "university"): [86400]})
    client.get(URL)  # the session's first request writes it once
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    _stays(
        demo,
        {
            (edu, "university"): [86400 * i for i in range(300)],
            (demo.hrb_reviewer.department, "enterprise"): [5] * 50,
        },
    )
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(few) <= 12
