"""W8: two reviewers act on the same filing at the same moment, each on its own database connection.

Runs on SQLite and PostgreSQL alike (they lock differently: PostgreSQL makes the second wait on the row lock,
SQLite refuses the second writer); the invariant is the same: exactly one move and one 流转记录 row, and the
other reviewer gets TransitionError telling them the filing has moved.
"""

import threading

import pytest
from django.db import connections

from kechuang.accounts.models import Role, User
from kechuang.filings.models import Filing
from kechuang.review import transitions
from kechuang.review.models import FlowRecord

from .factories import at_stage


def _race(*calls):
    """Run each call in its own thread (own connection), released together by a barrier."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            call()
            outcomes[index] = "moved"
        except transitions.TransitionError as exc:
            outcomes[index] = exc.message
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("with_version", [True, False], ids=["version-seen", "no-version"])
def test_W8_two_reviewers_at_once_exactly_one_wins(demo, with_version):
    second = User.objects.create_user(
        "kjt_reviewer2",
        password="x",
        name="省科技厅审核员二",
        role=Role.PROVINCE_REVIEWER,
        department=demo.kjt_reviewer.department,
    )
    for round_ in range(3):
        filing = at_stage(demo, 3, name=f"并发测试平台{round_}")
        seen = filing.version if with_version else None
        records = FlowRecord.objects.filter(filing=filing).count()

        outcomes = _race(
            lambda f=filing, v=seen: transitions.approve(f, demo.kjt_reviewer, "同意。", expected_version=v),
            lambda f=filing, v=seen: transitions.return_(f, second, "请修改。", expected_version=v),
        )

        assert sorted(outcomes, key=lambda o: o != "moved")[0] == "moved", outcomes
        assert outcomes.count("moved") == 1, outcomes
        loser = next(o for o in outcomes if o != "moved")
        assert loser in (
            "该平台备案已被其他人处理或修改，请刷新页面后查看最新状态。",
            "该平台备案已被处理，当前不在审核中。",
        )
        after = Filing.objects.get(pk=filing.pk)
        assert after.version == filing.version + 1
        assert FlowRecord.objects.filter(filing=filing).count() == records + 1
        last = FlowRecord.objects.filter(filing=filing).latest("id")
        assert (after.status, last.action) in (("done", "approve"), ("returned", "return"))


@pytest.mark.django_db(transaction=True)
def test_W7_W8_withdraw_racing_an_approval(demo):
    """The applicant's 撤销 and the unit's 通过 at the same moment: one of them, never both."""
    filing = at_stage(demo, 1)
    outcomes = _race(
        lambda: transitions.withdraw(filing, demo.zhangsan),
        lambda: transitions.approve(filing, demo.sldx_admin),
    )
    assert outcomes.count("moved") == 1, outcomes
    after = Filing.objects.select_related("stage").get(pk=filing.pk)
    assert after.stage_label in ("平台：填报中", "平台：主管部门审核")
    assert FlowRecord.objects.filter(filing=filing).count() == 2
