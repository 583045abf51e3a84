"""限额推荐 (W13): a department passes on at most its quota per season; the counter row is locked by each 通过;
a return, rejection or voiding by the province frees the place; the department orders what it passed."""

import datetime

import pytest
from django.urls import reverse

from kechuang.accounts.models import Role, User
from kechuang.filings.models import Filing, Status
from kechuang.review import transitions
from kechuang.workflow import days
from kechuang.workflow.models import Quota, Season, Stage, StageDeadline

from .factories import at_stage
from .test_concurrency import _race


def _quota(demo, limit, department=None):
    season = Season.objects.get(business=demo.business)
    department = department or demo.edu_reviewer.department
    return Quota.objects.create(season=season, department=department, limit=limit)


def test_W13_an_approval_beyond_the_quota_is_refused(demo):
    quota = _quota(demo, 1)
    first, second = at_stage(demo, 2, name="第一"), at_stage(demo, 2, name="第二")
    transitions.approve(first, demo.edu_reviewer)
    with pytest.raises(transitions.TransitionError, match=r"已超出推荐限额（已推荐 1 / 限额 1）"):
        transitions.approve(second, demo.edu_reviewer)
    quota.refresh_from_db()
    assert quota.used == 1
    assert Filing.objects.get(pk=second.pk).stage.order == 2  # still waiting at the department
    assert Filing.objects.get(pk=first.pk).recommended
    assert not Filing.objects.get(pk=second.pk).recommended


@pytest.mark.parametrize("verb", ["return_", "reject"])
def test_W13_a_province_return_or_rejection_frees_the_place(demo, verb):
    quota = _quota(demo, 1)
    first, second = at_stage(demo, 3, name="第一"), at_stage(demo, 2, name="第二")
    quota.refresh_from_db()
    assert quota.used == 1
    getattr(transitions, verb)(first, demo.kjt_reviewer, "不符合。")
    quota.refresh_from_db()
    assert quota.used == 0 and not Filing.objects.get(pk=first.pk).recommended
    transitions.approve(second, demo.edu_reviewer)
    quota.refresh_from_db()
    assert quota.used == 1


def test_W13_a_province_approval_keeps_the_place_and_a_resubmission_takes_one_again(demo):
    quota = _quota(demo, 2)
    filing = at_stage(demo, 3)
    filing = transitions.return_(filing, demo.kjt_reviewer, "请修改。")
    quota.refresh_from_db()
    assert quota.used == 0
    filing = transitions.submit(filing, demo.zhangsan)  # straight back to the province (W6): a place again
    quota.refresh_from_db()
    assert quota.used == 1 and filing.stage_label == "平台：省科技厅审核"
    transitions.approve(filing, demo.kjt_reviewer)
    quota.refresh_from_db()
    assert quota.used == 1


def test_W13_no_quota_means_no_limit_and_other_departments_are_not_counted(demo):
    _quota(demo, 1, department=demo.hrb_reviewer.department)
    for i in range(3):
        transitions.approve(at_stage(demo, 2, name=f"平台{i}"), demo.edu_reviewer)
    assert Filing.objects.filter(status=Status.IN_REVIEW, stage__order=3).count() == 3
    assert Quota.objects.get().used == 0


def test_W13_the_list_shows_recommended_of_quota(client, demo):
    _quota(demo, 5)
    at_stage(demo, 3)
    client.force_login(demo.edu_reviewer)
    assert "已推荐 1 / 限额 5" in client.get(reverse("review:list")).content.decode()
    client.force_login(demo.hrb_reviewer)
    assert "已推荐" not in client.get(reverse("review:list")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_W13_two_reviewers_taking_the_last_place_at_once_exactly_one_succeeds(demo):
    second = User.objects.create_user(
        "edu_reviewer2",
        password="x",
        name="教育厅审核员二",
        role=Role.DEPARTMENT_REVIEWER,
        department=demo.edu_reviewer.department,
    )
    for round_ in range(3):
        Quota.objects.all().delete()
        quota = _quota(demo, 1)
        one, two = at_stage(demo, 2, name=f"甲{round_}"), at_stage(demo, 2, name=f"乙{round_}")
        outcomes = _race(
            lambda f=one: transitions.approve(f, demo.edu_reviewer),
            lambda f=two: transitions.approve(f, second),
        )
        assert outcomes.count("moved") == 1, outcomes
        loser = next(o for o in outcomes if o != "moved")
        assert "推荐限额" in loser or "已被其他人处理" in loser, loser
        quota.refresh_from_db()
        assert quota.used == 1
        at_province = Filing.objects.filter(pk__in=[one.pk, two.pk], stage__order=3)
        assert at_province.count() == 1 and at_province.get().recommended


# -- 推荐排序 ---------------------------------------------------------------------------------------------------


def test_W13_the_department_orders_what_it_passed_and_the_province_reads_the_order(client, demo):
    _quota(demo, 3)
    a, b, c = (at_stage(demo, 3, name=n) for n in ("甲平台", "乙平台", "丙平台"))
    url = reverse("review:recommendations")
    client.force_login(demo.edu_reviewer)
    page = client.get(url).content.decode()
    assert "已推荐 3 / 限额 3" in page and page.index("甲平台") < page.index("丙平台")
    response = client.post(
        url, {f"rank-{a.public_id}": "3", f"rank-{b.public_id}": "1", f"rank-{c.public_id}": "2"}
    )
    assert response.status_code == 302
    assert [f.name for f in Filing.objects.filter(recommended=True).order_by("recommend_rank")] == [
        "乙平台",
        "丙平台",
        "甲平台",
    ]
    client.force_login(demo.kjt_reviewer)
    page = client.get(url, {"department": demo.edu_reviewer.department_id}).content.decode()
    assert page.index("乙平台") < page.index("丙平台") < page.index("甲平台")
    assert 'name="rank-' not in page  # the province reads, never edits


@pytest.mark.parametrize(
    "ranks",
    [("1", "1"), ("0", "1"), ("x", "2"), ("3", "1")],
    ids=["duplicate", "zero", "not-a-number", "too-large"],
)
def test_W13_bad_ranks_are_refused_and_nothing_changes(client, demo, ranks):
    a, b = at_stage(demo, 3, name="甲平台"), at_stage(demo, 3, name="乙平台")
    client.force_login(demo.edu_reviewer)
    response = client.post(
        reverse("review:recommendations"), {f"rank-{a.public_id}": ranks[0], f"rank-{b.public_id}": ranks[1]}
    )
    assert response.status_code == 400
    assert not Filing.objects.filter(recommend_rank__isnull=False).exists()


def test_W13_the_order_is_frozen_after_the_department_deadline(client, demo):
    filing = at_stage(demo, 3)
    season = Season.objects.get(business=demo.business)
    stage = Stage.objects.get(business=demo.business, order=2)
    StageDeadline.objects.create(season=season, stage=stage, due=days.today() - datetime.timedelta(days=1))
    client.force_login(demo.edu_reviewer)
    url = reverse("review:recommendations")
    assert "不能再修改" in client.get(url).content.decode()
    assert client.post(url, {f"rank-{filing.public_id}": "1"}).status_code == 403
    assert Filing.objects.get(pk=filing.pk).recommend_rank is None


@pytest.mark.parametrize("persona", ["zhangsan", "sldx_admin"])
def test_W13_applicants_and_ordinary_units_have_no_recommendation_page(client, demo, persona):
    client.force_login(getattr(demo, persona))
    assert client.get(reverse("review:recommendations")).status_code == 403
