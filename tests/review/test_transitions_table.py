"""Every verb from every state by every kind of actor, allowed and refused (W1–W8, F9, F13).

The table ``ALLOWED`` lists the only (state, verb, actor) moves that succeed and where they lead; every other
combination must raise TransitionError and leave the filing, its version and its 流转记录 untouched.
"""

import pytest

from kechuang.filings.models import Filing
from kechuang.review import transitions
from kechuang.review.models import FlowRecord

from .factories import at_stage, complete_filing, submitted_filing

ACTORS = [
    "zhangsan",  # the owner
    "lisi",  # another applicant of the same unit
    "sldx_admin",  # the owner's unit administrator (stage 1)
    "xcl_admin",  # another unit's administrator
    "edu_reviewer",  # the owner's competent department (stage 2)
    "hrb_reviewer",  # another competent department
    "kjt_reviewer",  # the province (stage 3)
    "admin",  # the system administrator: no review role
]
VERBS = ["submit", "withdraw", "approve", "return_", "reject"]


def _draft(demo):
    return complete_filing(demo.zhangsan, demo.business)


def _returned_by_stage2(demo):
    return transitions.return_(at_stage(demo, 2), demo.edu_reviewer, "请补充合作协议。")


def _resubmitted_to_stage2(demo):
    return transitions.submit(_returned_by_stage2(demo), demo.zhangsan)


STATES = {
    "draft": _draft,
    "stage1": submitted_filing,
    "stage2": lambda demo: at_stage(demo, 2),
    "stage3": lambda demo: at_stage(demo, 3),
    "returned2": _returned_by_stage2,
    "resubmitted2": _resubmitted_to_stage2,
    "rejected": lambda demo: transitions.reject(submitted_filing(demo), demo.sldx_admin, "不符合条件。"),
    "done": lambda demo: transitions.approve(at_stage(demo, 3), demo.kjt_reviewer),
}

# (state, verb, actor) -> (status, 流程阶段 shown) after the move. Nothing else is allowed.
ALLOWED = {
    ("draft", "submit", "zhangsan"): ("in_review", "平台：申报单位审核"),
    ("returned2", "submit", "zhangsan"): ("in_review", "平台：主管部门审核"),  # W6: straight back to stage 2
    ("stage1", "withdraw", "zhangsan"): ("draft", "平台：填报中"),  # W7: stage 1 has not acted yet
    ("resubmitted2", "withdraw", "zhangsan"): ("draft", "平台：填报中"),  # stage 2 has not acted since 上报
    ("stage1", "approve", "sldx_admin"): ("in_review", "平台：主管部门审核"),
    ("stage1", "return_", "sldx_admin"): ("returned", "平台：退回修改"),
    ("stage1", "reject", "sldx_admin"): ("rejected", "平台：不通过"),
    ("stage2", "approve", "edu_reviewer"): ("in_review", "平台：省科技厅审核"),
    ("stage2", "return_", "edu_reviewer"): ("returned", "平台：退回修改"),
    ("stage2", "reject", "edu_reviewer"): ("rejected", "平台：不通过"),
    ("resubmitted2", "approve", "edu_reviewer"): ("in_review", "平台：省科技厅审核"),
    ("resubmitted2", "return_", "edu_reviewer"): ("returned", "平台：退回修改"),
    ("resubmitted2", "reject", "edu_reviewer"): ("rejected", "平台：不通过"),
    ("stage3", "approve", "kjt_reviewer"): ("done", "平台：完成"),
    ("stage3", "return_", "kjt_reviewer"): ("returned", "平台：退回修改"),
    ("stage3", "reject", "kjt_reviewer"): ("rejected", "平台：不通过"),
}


def _call(verb, filing, actor):
    if verb in ("submit", "withdraw"):
        return getattr(transitions, verb)(filing, actor)
    return getattr(transitions, verb)(filing, actor, "审核意见：请按要求处理。")


@pytest.mark.parametrize("actor_name", ACTORS)
@pytest.mark.parametrize("verb", VERBS)
@pytest.mark.parametrize("state", list(STATES))
def test_transition_table_W1_W8(demo, state, verb, actor_name):
    filing = STATES[state](demo)
    actor = getattr(demo, actor_name)
    before = Filing.objects.get(pk=filing.pk)
    records_before = FlowRecord.objects.filter(filing=filing).count()
    expected = ALLOWED.get((state, verb, actor_name))

    if expected is None:
        with pytest.raises(transitions.TransitionError) as refused:
            _call(verb, filing, actor)
        assert refused.value.message
        after = Filing.objects.get(pk=filing.pk)
        assert (after.status, after.stage_id, after.version) == (
            before.status,
            before.stage_id,
            before.version,
        )
        assert FlowRecord.objects.filter(filing=filing).count() == records_before
        return

    moved = _call(verb, filing, actor)
    after = Filing.objects.select_related("stage").get(pk=filing.pk)
    assert (after.status, after.stage_label) == expected
    assert (moved.status, moved.stage_label) == expected
    assert after.version == before.version + 1 == moved.version
    records = FlowRecord.objects.filter(filing=filing).order_by("id")
    assert records.count() == records_before + 1
    record = records.last()
    assert record.actor == actor
    assert record.action == {"return_": "return"}.get(verb, verb)
    assert (record.from_status, record.to_status) == (before.stage_label, expected[1])
    assert record.from_stage_id == before.stage_id
    assert record.to_stage_id == after.stage_id
    assert record.actor_organisation == actor.organisation_name != ""


def test_the_table_covers_each_allowed_move_once():
    """Guard against a typo silently turning an allowed case into a refused one."""
    for state, verb, actor in ALLOWED:
        assert state in STATES and verb in VERBS and actor in ACTORS
