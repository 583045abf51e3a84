"""The named rules of kechuang/permissions/rules.py, for each persona, and what none of them allows."""

import pytest
import rules

from kechuang.accounts.models import User
from tests.factories import at_stage, new_filing, submitted_filing

PERSONAS = [
    "zhangsan",
    "lisi",
    "wangwu",
    "sldx_admin",
    "xcl_admin",
    "edu_reviewer",
    "hrb_reviewer",
    "kjt_reviewer",
]


def allowed(demo, rule, filing=None):
    """The demo personas for whom ``rule`` holds (about ``filing`` when given)."""
    people = [getattr(demo, name) for name in PERSONAS]
    return {p.username for p in people if rules.test_rule(rule, p, *([filing] if filing else []))}


def test_every_rule_the_code_asks_for_exists():
    for name in (
        "is_applicant",
        "is_unit_admin",
        "is_reviewer",
        "is_province_reviewer",
        "can_file",
        "can_edit",
        "can_delete",
        "can_withdraw",
        "can_decide",
        "can_view",
    ):
        assert rules.rule_exists(name), name


def test_who_is_what(demo):
    assert allowed(demo, "can_file") == {"zhangsan", "lisi", "wangwu"}
    assert allowed(demo, "is_unit_admin") == {"sldx_admin", "xcl_admin"}
    assert allowed(demo, "is_reviewer") == {
        "sldx_admin",
        "xcl_admin",
        "edu_reviewer",
        "hrb_reviewer",
        "kjt_reviewer",
    }
    assert allowed(demo, "is_province_reviewer") == {"kjt_reviewer"}


def test_a_draft_is_the_owners_alone(demo):
    draft = new_filing(demo.zhangsan, demo.business)
    assert allowed(demo, "can_edit", draft) == {"zhangsan"}
    assert allowed(demo, "can_delete", draft) == {"zhangsan"}
    assert allowed(demo, "can_view", draft) == {"zhangsan", "sldx_admin"}
    assert allowed(demo, "can_withdraw", draft) == set()
    assert allowed(demo, "can_decide", draft) == set()


def test_a_submitted_filing_is_decided_only_at_its_stage_and_withdrawn_only_by_its_owner(demo):
    filing = submitted_filing(demo)
    assert allowed(demo, "can_edit", filing) == set()
    assert allowed(demo, "can_delete", filing) == set()
    assert allowed(demo, "can_withdraw", filing) == {"zhangsan"}
    assert allowed(demo, "can_decide", filing) == {"sldx_admin"}
    assert allowed(demo, "can_view", filing) == {"zhangsan", "sldx_admin", "edu_reviewer", "kjt_reviewer"}


def test_after_the_unit_acts_the_next_stage_decides_and_the_owner_cannot_withdraw(demo):
    filing = at_stage(demo, 2)
    assert allowed(demo, "can_decide", filing) == {"edu_reviewer"}
    assert allowed(demo, "can_withdraw", filing) == set()
    assert allowed(demo, "can_delete", filing) == set()


@pytest.mark.parametrize("flag", ["is_superuser", "is_staff"])
def test_a_superuser_or_staff_account_passes_no_rule_by_that_alone(demo, flag):
    filing = at_stage(demo, 3)
    root = User.objects.create(username=f"root_{flag}", name="应急账号", **{flag: True})
    assert not rules.test_rule("can_decide", root, filing)
    assert not rules.test_rule("can_edit", root, filing)
    assert not rules.test_rule("is_reviewer", root)  # its role (the default, 个人用户) decides, not the flag


def test_an_inactive_account_passes_no_rule(demo):
    filing = submitted_filing(demo)
    User.objects.filter(pk=demo.zhangsan.pk).update(is_active=False)
    demo.zhangsan.refresh_from_db()
    assert not rules.test_rule("can_withdraw", demo.zhangsan, filing)
    assert not rules.test_rule("can_view", demo.zhangsan, filing)
