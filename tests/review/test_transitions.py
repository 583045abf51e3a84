"""Workflow rules beyond the table: W6 returns at each stage, W7 撤销, W5 finality, opinions, stage data (W1),
and the 流转记录 rows (W8, F12)."""

import datetime

import pytest
import rules
from django.db.models import F, ProtectedError
from django.utils import timezone

from kechuang.filings.models import Filing, Status
from kechuang.review import transitions
from kechuang.review.models import FlowRecord
from kechuang.workflow.models import Action, ReviewerKind, Season, Stage

from .factories import at_stage, complete_filing, reviewers_for, submitted_filing

STAGE_NAMES = ["申报单位审核", "主管部门审核", "省科技厅审核"]


def _steps(filing):
    return [
        (r.action, r.from_status, r.to_status, r.actor.username)
        for r in FlowRecord.objects.filter(filing=filing).select_related("actor").order_by("id")
    ]


@pytest.mark.parametrize("order", [1, 2, 3])
def test_W6_resubmission_goes_straight_to_the_returning_stage(demo, order):
    filing = at_stage(demo, order)
    reviewers = reviewers_for(demo, filing)
    returning = reviewers[order - 1]
    passed_before = len(_steps(filing))

    filing = transitions.return_(filing, returning, "请补充海外合作伙伴的合作协议。")
    assert filing.status == Status.RETURNED
    assert filing.stage_label == "平台：退回修改"
    assert filing.is_editable  # listed again in 待上报平台, editable
    assert filing.return_stage.name == STAGE_NAMES[order - 1]

    filing = transitions.submit(filing, demo.zhangsan)
    assert filing.stage_label == f"平台：{STAGE_NAMES[order - 1]}"
    for reviewer in reviewers[order - 1 :]:
        filing = transitions.approve(filing, reviewer)
    assert filing.stage_label == "平台：完成"

    steps = _steps(filing)
    assert steps[passed_before] == (
        "return",
        f"平台：{STAGE_NAMES[order - 1]}",
        "平台：退回修改",
        returning.username,
    )
    assert steps[passed_before + 1] == (
        "submit",
        "平台：退回修改",
        f"平台：{STAGE_NAMES[order - 1]}",
        "zhangsan",
    )
    # Stages passed before the return are not repeated: only the returning stage and later ones act again.
    after = steps[passed_before + 2 :]
    assert [s[3] for s in after] == [r.username for r in reviewers[order - 1 :]]
    assert [s[1] for s in after] == [f"平台：{name}" for name in STAGE_NAMES[order - 1 :]]


def test_W6_full_path_flow_records(demo):
    """The manual's example: unit passes, department passes, province returns, resubmission lands at the
    province; six 流转记录 rows in all."""
    filing = at_stage(demo, 3)
    filing = transitions.return_(filing, demo.kjt_reviewer, "合作协议缺少签字页。")
    filing = transitions.submit(filing, demo.zhangsan)
    filing = transitions.approve(filing, demo.kjt_reviewer, "同意备案。")
    assert _steps(filing) == [
        ("submit", "平台：填报中", "平台：申报单位审核", "zhangsan"),
        ("approve", "平台：申报单位审核", "平台：主管部门审核", "sldx_admin"),
        ("approve", "平台：主管部门审核", "平台：省科技厅审核", "edu_reviewer"),
        ("return", "平台：省科技厅审核", "平台：退回修改", "kjt_reviewer"),
        ("submit", "平台：退回修改", "平台：省科技厅审核", "zhangsan"),
        ("approve", "平台：省科技厅审核", "平台：完成", "kjt_reviewer"),
    ]
    record = FlowRecord.objects.filter(filing=filing, action=Action.RETURN).get()
    assert record.opinion == "合作协议缺少签字页。"
    assert record.actor_organisation == "黑龙江省科学技术厅国际合作处"
    first = FlowRecord.objects.filter(filing=filing).order_by("id").first()
    assert first.actor_organisation == "示例科技大学"


def test_F12_first_submission_writes_exactly_one_record(demo):
    filing = submitted_filing(demo)
    assert FlowRecord.objects.filter(filing=filing).count() == 1
    assert filing.first_submitted_at == filing.submitted_at is not None


def test_W7_withdraw_before_the_stage_acts_then_refused_after(demo):
    filing = submitted_filing(demo)
    assert rules.test_rule("can_withdraw", demo.zhangsan, filing)
    assert not rules.test_rule("can_withdraw", demo.lisi, filing)  # only the owner
    filing = transitions.withdraw(filing, demo.zhangsan)
    assert filing.stage_label == "平台：填报中" and filing.is_editable
    assert _steps(filing)[-1] == ("withdraw", "平台：申报单位审核", "平台：填报中", "zhangsan")
    assert not rules.test_rule("can_withdraw", demo.zhangsan, filing)

    filing = transitions.submit(filing, demo.zhangsan)
    filing = transitions.approve(filing, demo.sldx_admin)
    assert not rules.test_rule("can_withdraw", demo.zhangsan, filing)
    with pytest.raises(transitions.TransitionError, match="不能撤销"):
        transitions.withdraw(filing, demo.zhangsan)


def test_W7_withdraw_keeps_the_returning_stage(demo):
    """A returned filing that is resubmitted and withdrawn still goes back to the stage that returned it."""
    filing = transitions.return_(at_stage(demo, 3), demo.kjt_reviewer, "请修改。")
    filing = transitions.withdraw(transitions.submit(filing, demo.zhangsan), demo.zhangsan)
    filing = transitions.submit(filing, demo.zhangsan)
    assert filing.stage_label == "平台：省科技厅审核"


def test_can_withdraw_uses_the_annotation_without_queries(demo, django_assert_num_queries):
    filing = submitted_filing(demo)
    annotated = transitions.with_last_action(Filing.objects.filter(pk=filing.pk)).get()
    with django_assert_num_queries(0):
        assert rules.test_rule("can_withdraw", demo.zhangsan, annotated)


def test_W5_reject_is_final(demo):
    filing = transitions.reject(at_stage(demo, 2), demo.edu_reviewer, "不属于国际科技合作平台。")
    assert filing.stage_label == "平台：不通过"
    assert not filing.is_editable
    with pytest.raises(transitions.TransitionError):
        transitions.submit(filing, demo.zhangsan)
    with pytest.raises(transitions.TransitionError):
        transitions.withdraw(filing, demo.zhangsan)
    assert Filing.objects.get(pk=filing.pk).status == Status.REJECTED


@pytest.mark.parametrize("verb", ["return_", "reject"])
@pytest.mark.parametrize("opinion", ["", "   \n ", None])
def test_W4_W5_opinion_required_for_return_and_reject(demo, verb, opinion):
    filing = submitted_filing(demo)
    with pytest.raises(transitions.TransitionError) as refused:
        getattr(transitions, verb)(filing, demo.sldx_admin, opinion)
    assert refused.value.message == "请填写审核意见。"
    assert Filing.objects.get(pk=filing.pk).stage_label == "平台：申报单位审核"
    assert FlowRecord.objects.filter(filing=filing).count() == 1


def test_W4_opinion_optional_for_approve_and_recorded_when_given(demo):
    filing = transitions.approve(submitted_filing(demo), demo.sldx_admin)
    filing = transitions.approve(filing, demo.edu_reviewer, "  同意。 ")
    assert [r.opinion for r in FlowRecord.objects.filter(filing=filing).order_by("id")] == ["", "", "同意。"]


def test_W8_stale_version_is_refused(demo):
    filing = submitted_filing(demo)
    seen = filing.version
    transitions.approve(filing, demo.sldx_admin, expected_version=seen)
    with pytest.raises(transitions.TransitionError, match="已被其他人处理"):
        transitions.return_(filing, demo.sldx_admin, "退回", expected_version=seen)
    with pytest.raises(transitions.TransitionError, match="已被其他人处理"):
        transitions.approve(filing, demo.edu_reviewer, expected_version="not-a-number")
    assert FlowRecord.objects.filter(filing=filing).count() == 2


def test_F9_incomplete_filing_lists_its_problems(demo):
    filing = complete_filing(demo.zhangsan, demo.business, name="")
    with pytest.raises(transitions.TransitionError) as refused:
        transitions.submit(filing, demo.zhangsan)
    assert any(p.tab == "basic" for p in refused.value.problems)
    assert not FlowRecord.objects.filter(filing=filing).exists()


def test_F9_submit_refused_outside_the_application_period(demo):
    filing = complete_filing(demo.zhangsan, demo.business)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Season.objects.filter(business=demo.business).update(
        period_start=yesterday.replace(day=1), period_end=yesterday
    )
    with pytest.raises(transitions.TransitionError, match="不在申报期内"):
        transitions.submit(filing, demo.zhangsan)


def test_submit_refused_when_the_business_has_no_stages(demo):
    Stage.objects.filter(business=demo.business).delete()
    with pytest.raises(transitions.TransitionError, match="尚未配置审核阶段"):
        transitions.submit(complete_filing(demo.zhangsan, demo.business), demo.zhangsan)


# -- stages are data (W1): what a change of the stage list does to filings under way --


def test_skip_department_review_goes_from_unit_straight_to_province(demo):
    unit = demo.zhangsan.unit
    unit.skip_department_review = True
    unit.save(update_fields=["skip_department_review"])
    filing = transitions.approve(submitted_filing(demo), demo.sldx_admin)
    assert filing.stage_label == "平台：省科技厅审核"
    assert [s.name for s in transitions.stages_for(filing)] == ["申报单位审核", "省科技厅审核"]
    assert not Filing.objects.actionable_by(demo.edu_reviewer).exists()
    assert Filing.objects.actionable_by(demo.kjt_reviewer).filter(pk=filing.pk).exists()


def test_skip_department_review_after_a_department_return_resumes_at_the_next_stage(demo):
    filing = transitions.return_(at_stage(demo, 2), demo.edu_reviewer, "请修改。")
    unit = demo.zhangsan.unit
    unit.skip_department_review = True
    unit.save(update_fields=["skip_department_review"])
    filing = transitions.submit(filing, demo.zhangsan)
    assert filing.stage_label == "平台：省科技厅审核"


def test_a_stage_added_later_applies_to_filings_that_have_not_passed_its_order(demo):
    waiting = at_stage(demo, 3, name="等待省厅的平台")
    done = transitions.approve(at_stage(demo, 3, name="已完成的平台"), demo.kjt_reviewer)
    Stage.objects.create(
        business=demo.business, order=4, name="厅领导审核", reviewer_kind=ReviewerKind.PROVINCE
    )

    waiting = transitions.approve(waiting, demo.kjt_reviewer)
    assert waiting.stage_label == "平台：厅领导审核"
    assert transitions.approve(waiting, demo.kjt_reviewer).stage_label == "平台：完成"
    assert Filing.objects.get(pk=done.pk).stage_label == "平台：完成"  # already passed: unaffected


def test_a_stage_added_before_the_current_one_is_not_visited(demo):
    filing = at_stage(demo, 2)
    Stage.objects.filter(business=demo.business).update(order=F("order") * 10)
    Stage.objects.create(
        business=demo.business, order=15, name="专家评审", reviewer_kind=ReviewerKind.PROVINCE
    )
    # order 15 lies between 申报单位审核 (10) and 主管部门审核 (20): this filing has passed it.
    filing = transitions.approve(filing, demo.edu_reviewer)
    assert filing.stage_label == "平台：省科技厅审核"

    later = transitions.approve(submitted_filing(demo, name="新上报的平台"), demo.sldx_admin)
    assert later.stage_label == "平台：专家评审"
    later = transitions.approve(later, demo.kjt_reviewer)
    assert later.stage_label == "平台：主管部门审核"


def test_renaming_a_stage_keeps_the_flow_records(demo):
    filing = at_stage(demo, 2)
    Stage.objects.filter(business=demo.business, order=2).update(name="主管部门初审")
    filing = Filing.objects.select_related("stage").get(pk=filing.pk)
    assert filing.stage_label == "平台：主管部门初审"
    labels = list(FlowRecord.objects.filter(filing=filing).order_by("id").values_list("to_status", flat=True))
    assert labels == ["平台：申报单位审核", "平台：主管部门审核"]


def test_a_stage_that_filings_wait_at_cannot_be_deleted(demo):
    filing = submitted_filing(demo)
    with pytest.raises(ProtectedError):
        filing.stage.delete()
    assert Stage.objects.filter(pk=filing.stage_id).exists()
