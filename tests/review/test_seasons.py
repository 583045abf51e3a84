"""申报批次 (F9 amended, W11, W12): the Asia/Shanghai day, the 申报期 per season, resubmission after a 退回, 逾期
decisions, seasons that close decisions, and 延期 granted by the province."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from kechuang.audit.models import SecurityEvent
from kechuang.filings.models import Filing, Status
from kechuang.review import season_rules, transitions
from kechuang.review.models import FlowRecord, StageStay
from kechuang.workflow import days, seasons
from kechuang.workflow.models import Extension, Season, Stage, StageDeadline

from .factories import at_stage, complete_filing, submitted_filing

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = datetime.UTC
TODAY = lambda: days.today()  # noqa: E731


def _season(demo):
    return Season.objects.get(business=demo.business)


def _deadline(demo, order, due):
    stage = Stage.objects.get(business=demo.business, order=order)
    StageDeadline.objects.update_or_create(season=_season(demo), stage=stage, defaults={"due": due})
    return stage


# -- the day ----------------------------------------------------------------------------------------------------


def test_a_deadline_lasts_to_235959_shanghai_time():
    due = datetime.date(2026, 6, 30)
    # 23:59:59 on 30 June in Shanghai is 15:59:59 UTC: still within; one second later it is over.
    assert not days.is_over(due, datetime.datetime(2026, 6, 30, 15, 59, 59, tzinfo=UTC))
    assert days.is_over(due, datetime.datetime(2026, 6, 30, 16, 0, 0, tzinfo=UTC))
    assert not days.is_over(due, datetime.datetime(2026, 6, 30, 23, 59, 59, tzinfo=SHANGHAI))
    # A UTC date is not the Shanghai date: 1 July 00:30 in Shanghai is still 30 June in UTC.
    moment = datetime.datetime(2026, 6, 30, 16, 30, tzinfo=UTC)
    assert days.today(moment) == datetime.date(2026, 7, 1)
    assert days.days_left(due, moment) == -1
    assert days.days_left(due, datetime.datetime(2026, 6, 28, 1, 0, tzinfo=SHANGHAI)) == 2
    assert not days.is_over(None)


def test_the_period_is_open_until_the_end_of_its_last_day(demo):
    season = _season(demo)
    season.period_end = datetime.date(2026, 6, 30)
    season.period_start = datetime.date(2026, 1, 1)
    season.save()
    assert seasons.period_open(season, now=datetime.datetime(2026, 6, 30, 15, 59, 59, tzinfo=UTC))
    assert not seasons.period_open(season, now=datetime.datetime(2026, 6, 30, 16, 0, 0, tzinfo=UTC))
    assert demo.business.is_open(datetime.date(2026, 6, 30))
    assert not demo.business.is_open(datetime.date(2026, 7, 1))


def test_business_period_reads_and_writes_its_current_season(demo):
    season = _season(demo)
    assert (demo.business.period_start, demo.business.period_end) == (season.period_start, season.period_end)
    demo.business.period_end = season.period_end + datetime.timedelta(days=5)
    demo.business.save()
    season.refresh_from_db()
    assert season.period_end == demo.business.period_end
    assert Season.objects.filter(business=demo.business).count() == 1


def test_a_new_filing_belongs_to_the_open_season_and_next_years_starts_empty(demo):
    filing = complete_filing(demo.zhangsan, demo.business)
    assert filing.season == _season(demo)
    season = _season(demo)
    nxt = Season.objects.create(
        business=demo.business,
        year=season.year + 5,
        period_start=season.period_end + datetime.timedelta(days=400),
        period_end=season.period_end + datetime.timedelta(days=500),
    )
    assert not nxt.filings.exists() and season.filings.filter(pk=filing.pk).exists()


# -- 上报 and 撤销 after the 申报期 ---------------------------------------------------------------------------


def _close_period(demo, days_ago=1):
    end = TODAY() - datetime.timedelta(days=days_ago)
    Season.objects.filter(business=demo.business).update(
        period_start=end - datetime.timedelta(days=30), period_end=end
    )


def test_F9_first_submission_and_withdrawal_are_refused_after_the_period(demo):
    draft = complete_filing(demo.zhangsan, demo.business, name="草稿平台")
    waiting = submitted_filing(demo, name="已上报平台")
    _close_period(demo)
    with pytest.raises(transitions.TransitionError, match="不在申报期内"):
        transitions.submit(draft, demo.zhangsan)
    with pytest.raises(transitions.TransitionError, match="申报期已结束，不能撤销"):
        transitions.withdraw(waiting, demo.zhangsan)
    assert Filing.objects.get(pk=draft.pk).status == Status.DRAFT
    assert Filing.objects.get(pk=waiting.pk).status == Status.IN_REVIEW


def test_F9_a_returned_filing_may_be_resubmitted_until_the_returning_stages_deadline(demo):
    filing = at_stage(demo, 2)
    filing = transitions.return_(filing, demo.edu_reviewer, "请补充。")
    _close_period(demo, days_ago=3)
    _deadline(demo, 2, TODAY())  # the department's deadline is today: resubmission still possible
    filing = transitions.submit(filing, demo.zhangsan)
    assert filing.stage_label == "平台：主管部门审核"
    filing = transitions.return_(filing, demo.edu_reviewer, "再补充。")
    _deadline(demo, 2, TODAY() - datetime.timedelta(days=1))  # now over, and so is the 申报期
    with pytest.raises(transitions.TransitionError, match="已超过再次上报的截止日期"):
        transitions.submit(filing, demo.zhangsan)
    assert Filing.objects.get(pk=filing.pk).status == Status.RETURNED


def test_F9_resubmission_uses_the_later_of_period_end_and_stage_deadline(demo):
    filing = transitions.return_(at_stage(demo, 2), demo.edu_reviewer, "请补充。")
    _deadline(demo, 2, TODAY() - datetime.timedelta(days=10))  # stage deadline long over, 申报期 still open
    assert transitions.submit(filing, demo.zhangsan).status == Status.IN_REVIEW


# -- 逾期 and closing decisions ----------------------------------------------------------------------------------


def test_a_decision_after_the_stage_deadline_is_marked_late(demo):
    on_time = at_stage(demo, 1, name="按时平台")
    transitions.approve(on_time, demo.sldx_admin)
    late = at_stage(demo, 1, name="逾期平台")
    _deadline(demo, 1, TODAY() - datetime.timedelta(days=1))
    transitions.approve(late, demo.sldx_admin)
    assert not FlowRecord.objects.get(filing=on_time, action="approve").late
    assert FlowRecord.objects.get(filing=late, action="approve").late
    assert StageStay.objects.get(filing=late, stage__order=1).late
    assert not StageStay.objects.get(filing=on_time, stage__order=1).late
    # the submission itself is never late, and the stay at the next stage is still open
    assert not FlowRecord.objects.get(filing=late, action="submit").late
    assert StageStay.objects.get(filing=late, stage__order=2).left_at is None


def test_a_season_that_closes_decisions_refuses_them_after_the_deadline(demo):
    filing = at_stage(demo, 1)
    _deadline(demo, 1, TODAY() - datetime.timedelta(days=1))
    Season.objects.filter(business=demo.business).update(decisions_close=True)
    with pytest.raises(transitions.TransitionError, match="审核截止日期.*已过，不能再审核"):
        transitions.approve(filing, demo.sldx_admin)
    after = Filing.objects.get(pk=filing.pk)
    assert after.version == filing.version and after.stage.order == 1
    assert FlowRecord.objects.filter(filing=filing).count() == 1


def test_flow_records_page_shows_late(client, demo):
    filing = at_stage(demo, 1)
    _deadline(demo, 1, TODAY() - datetime.timedelta(days=2))
    transitions.approve(filing, demo.sldx_admin)
    client.force_login(demo.zhangsan)
    html = client.get(reverse("review:flow", args=[filing.public_id])).content.decode()
    assert "逾期" in html


# -- 延期 -----------------------------------------------------------------------------------------------------


def test_an_extension_of_the_period_for_one_unit_only(demo):
    draft = complete_filing(demo.zhangsan, demo.business)
    other = complete_filing(demo.wangwu, demo.business, name="另一单位平台")
    _close_period(demo)
    season = _season(demo)
    Extension.objects.create(
        season=season,
        kind=Extension.Kind.PERIOD,
        unit=demo.zhangsan.unit,
        period_end=TODAY() + datetime.timedelta(days=2),
        reason="系统故障",
        granted_by=demo.kjt_reviewer,
    )
    assert transitions.submit(draft, demo.zhangsan).status == Status.IN_REVIEW
    with pytest.raises(transitions.TransitionError, match="不在申报期内"):
        transitions.submit(other, demo.wangwu)


def test_an_extension_of_a_stage_deadline_for_a_department(demo):
    filing = at_stage(demo, 2)
    _deadline(demo, 2, TODAY() - datetime.timedelta(days=1))
    season = _season(demo)
    stage = Stage.objects.get(business=demo.business, order=2)
    assert seasons.stage_due(season, stage, filing.unit) < TODAY()
    Extension.objects.create(
        season=season,
        kind=Extension.Kind.STAGE,
        department=filing.unit.department,
        stage=stage,
        stage_due=TODAY() + datetime.timedelta(days=3),
        reason="材料较多",
        granted_by=demo.kjt_reviewer,
    )
    transitions.approve(filing, demo.edu_reviewer)
    assert not FlowRecord.objects.get(filing=filing, action="approve", from_stage=stage).late


def test_the_province_grants_an_extension_on_its_page_and_it_is_audited(client, demo):
    season = _season(demo)
    client.force_login(demo.kjt_reviewer)
    url = reverse("review:extensions")
    assert client.get(url).status_code == 200
    stage = Stage.objects.get(business=demo.business, order=2)
    response = client.post(
        url,
        {
            "season": season.pk,
            "kind": "both",
            "department": demo.edu_reviewer.department_id,
            "period_end": (season.period_end + datetime.timedelta(days=7)).isoformat(),
            "stage": stage.pk,
            "stage_due": (TODAY() + datetime.timedelta(days=9)).isoformat(),
            "reason": "疫情影响",
        },
    )
    assert response.status_code == 302
    grant = Extension.objects.get()
    assert grant.granted_by == demo.kjt_reviewer and grant.kind == "both" and grant.reason == "疫情影响"
    event = SecurityEvent.objects.filter(detail__action="grant_extension").get()
    assert event.user == demo.kjt_reviewer
    assert "疫情影响" in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "period", "period_end": ""}, "申报期延期须填写延至日期"),
        ({"kind": "stage", "stage_due": "2030-01-01"}, "审核截止延期须选择审核阶段"),
        ({"kind": "period", "period_end": "2000-01-01"}, "延至日期须晚于"),
        ({"kind": "period", "period_end": "2099-01-01", "unit": "__both__"}, "二者选一"),
        ({"kind": "period", "period_end": "2099-01-01", "reason": ""}, "请填写此项"),
    ],
)
def test_bad_extensions_are_refused_with_a_message(client, demo, data, message):
    season = _season(demo)
    post = {"season": season.pk, "department": demo.edu_reviewer.department_id, "reason": "理由", **data}
    if post.get("unit") == "__both__":
        post["unit"] = demo.zhangsan.unit_id
    client.force_login(demo.kjt_reviewer)
    response = client.post(reverse("review:extensions"), post)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Extension.objects.exists()


@pytest.mark.parametrize("persona", ["edu_reviewer", "sldx_admin", "zhangsan"])
def test_only_the_province_grants_extensions(client, demo, persona):
    client.force_login(getattr(demo, persona))
    assert client.get(reverse("review:extensions")).status_code == 403
    assert client.post(reverse("review:extensions"), {"reason": "x"}).status_code == 403
    assert not Extension.objects.exists()


# -- what reviewers and applicants see --------------------------------------------------------------------------


def test_the_pending_list_shows_days_left_to_the_deadline(client, demo):
    at_stage(demo, 2)
    _deadline(demo, 2, TODAY() + datetime.timedelta(days=5))
    client.force_login(demo.edu_reviewer)
    html = client.get(reverse("review:list")).content.decode()
    assert "距审核截止还有 5 天" in html
    client.force_login(demo.hrb_reviewer)  # same stage, same deadline, another department: sees it too
    assert "距审核截止还有 5 天" in client.get(reverse("review:list")).content.decode()


def test_season_rules_check_submit_at_a_given_moment(demo):
    filing = complete_filing(demo.zhangsan, demo.business)
    season = _season(demo)
    end = datetime.datetime.combine(season.period_end, datetime.time(23, 59, 59), tzinfo=SHANGHAI)
    season_rules.check_submit(filing, now=end)
    with pytest.raises(season_rules.SeasonRefusal):
        season_rules.check_submit(filing, now=end + datetime.timedelta(seconds=1))
    assert timezone.is_aware(end)


def test_the_applicant_sees_until_when_a_returned_filing_may_be_resubmitted(client, demo):
    filing = transitions.return_(at_stage(demo, 2), demo.edu_reviewer, "请补充。")
    due = TODAY() + datetime.timedelta(days=400)
    _deadline(demo, 2, due)
    client.force_login(demo.zhangsan)
    html = client.get(reverse("filings:view", args=[filing.public_id])).content.decode()
    assert f"请于 {due:%Y-%m-%d} 23:59:59 前修改并再次上报" in html
    client.force_login(demo.edu_reviewer)  # the reviewer's view of it does not say so
    assert (
        "前修改并再次上报"
        not in client.get(reverse("filings:view", args=[filing.public_id])).content.decode()
    )
