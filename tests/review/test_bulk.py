"""批量通过 / 批量退回 (W4 at scale): a confirmation naming how many, then each filing through the same transition
in its own transaction, in the listed order, reported per row; forged ids refused without a leak."""

import uuid

import pytest
from django.urls import reverse

from kechuang.filings.models import Filing, Status
from kechuang.review import transitions
from kechuang.review.bulk import MAX_BULK
from kechuang.review.models import FlowRecord
from kechuang.workflow.models import Quota, Season

from .factories import at_stage, waiting_in_bulk

BULK = reverse("review:bulk")


def _confirm(client, ids, decision="approve", opinion=""):
    return client.post(BULK, {"ids": [str(i) for i in ids], "decision": decision, "opinion": opinion})


def _execute(client, filings, decision="approve", opinion="", extra_ids=()):
    data = {"ids": [str(f.public_id) for f in filings] + [str(i) for i in extra_ids], "decision": decision}
    data.update({f"version-{f.public_id}": str(f.version) for f in filings})
    data.update(confirmed="1", opinion=opinion)
    return client.post(BULK, data)


def test_the_confirmation_names_how_many_and_changes_nothing(client, demo):
    filings = [at_stage(demo, 3, name=f"批量{i}") for i in range(3)]
    client.force_login(demo.kjt_reviewer)
    response = _confirm(client, [f.public_id for f in filings])
    html = response.content.decode()
    assert response.status_code == 200
    assert "确认批量通过以下 3 个平台备案吗？" in html
    assert all(f"批量{i}" in html for i in range(3))
    assert Filing.objects.filter(status=Status.IN_REVIEW, stage__order=3).count() == 3
    assert FlowRecord.objects.filter(action="approve", from_stage__order=3).count() == 0


def test_bulk_approve_moves_each_filing_like_a_single_decision(client, demo):
    filings = [at_stage(demo, 3, name=f"批量{i}") for i in range(3)]
    client.force_login(demo.kjt_reviewer)
    response = _execute(client, filings, opinion="同意。")
    html = response.content.decode()
    assert response.status_code == 200 and "成功 3 项，失败 0 项" in html
    for filing in filings:
        after = Filing.objects.get(pk=filing.pk)
        assert after.status == Status.DONE and after.version == filing.version + 1
        record = FlowRecord.objects.get(filing=filing, action="approve", from_stage__order=3)
        assert record.opinion == "同意。" and record.actor == demo.kjt_reviewer
    # in the listed order
    approvals = list(
        FlowRecord.objects.filter(action="approve", from_stage__order=3)
        .order_by("id")
        .values_list("filing_id", flat=True)
    )
    assert approvals == [f.pk for f in filings]


def test_bulk_return_needs_one_opinion_and_uses_it_for_each(client, demo):
    filings = [at_stage(demo, 2, name=f"退回{i}") for i in range(2)]
    client.force_login(demo.edu_reviewer)
    response = _confirm(client, [f.public_id for f in filings], decision="return")
    assert response.status_code == 400 and "请填写审核意见" in response.content.decode()
    response = _execute(client, filings, decision="return", opinion="  ")
    assert response.status_code == 400
    assert Filing.objects.filter(status=Status.RETURNED).count() == 0
    response = _execute(client, filings, decision="return", opinion="请补充附件。")
    assert "成功 2 项" in response.content.decode()
    assert set(FlowRecord.objects.filter(action="return").values_list("opinion", flat=True)) == {
        "请补充附件。"
    }


def test_mixed_success_is_reported_per_row_and_nothing_is_half_done(client, demo):
    """One filing decided meanwhile by a colleague, one beyond the quota: both 失败 with their reason, the rest
    成功, and each failed filing exactly as it was."""
    Quota.objects.create(
        season=Season.objects.get(business=demo.business), department=demo.edu_reviewer.department, limit=2
    )
    filings = [at_stage(demo, 2, name=f"混合{i}") for i in range(4)]
    seen = [Filing.objects.get(pk=f.pk) for f in filings]
    transitions.return_(filings[1], demo.edu_reviewer, "同事已退回。")  # decided meanwhile by someone else
    client.force_login(demo.edu_reviewer)
    response = _execute(client, seen)
    html = response.content.decode()
    assert "成功 2 项，失败 2 项" in html
    assert "已被其他审核人处理" in html
    assert "已超出推荐限额（已推荐 2 / 限额 2）" in html
    rows = html.split("<tbody>")[1]
    assert rows.index("混合0") < rows.index("混合1") < rows.index("混合2") < rows.index("混合3")
    states = {
        f.name: (f.status, f.stage.order if f.stage else None) for f in Filing.objects.select_related("stage")
    }
    assert states == {
        "混合0": (Status.IN_REVIEW, 3),
        "混合1": (Status.RETURNED, None),
        "混合2": (Status.IN_REVIEW, 3),
        "混合3": (Status.IN_REVIEW, 2),  # refused: untouched
    }
    refused = Filing.objects.get(name="混合3")
    assert refused.version == seen[3].version and not refused.recommended
    assert not FlowRecord.objects.filter(filing=refused, action="approve", from_stage__order=2).exists()
    assert Quota.objects.get().used == 2


def test_a_filing_changed_since_the_confirmation_is_not_decided(client, demo):
    filing = at_stage(demo, 3)
    seen = Filing.objects.get(pk=filing.pk)
    Filing.objects.filter(pk=filing.pk).update(version=filing.version + 1)  # edited meanwhile
    client.force_login(demo.kjt_reviewer)
    html = _execute(client, [seen]).content.decode()
    assert "已被其他审核人处理" in html and Filing.objects.get(pk=filing.pk).status == Status.IN_REVIEW


def test_forged_ids_outside_the_scope_are_refused_and_not_leaked(client, demo):
    mine = at_stage(demo, 2, name="本部门平台")
    foreign = at_stage(demo, 2, owner=demo.wangwu, name="外部门秘密平台")  # 哈尔滨市科学技术局's
    client.force_login(demo.edu_reviewer)
    confirm = _confirm(client, [mine.public_id, foreign.public_id, uuid.uuid4()])
    html = confirm.content.decode()
    assert "确认批量通过以下 1 个平台备案吗？" in html and "另有 2 项" in html
    assert "外部门秘密平台" not in html and str(foreign.public_id) not in html
    result = _execute(client, [mine], extra_ids=[foreign.public_id])
    html = result.content.decode()
    assert "成功 1 项，失败 1 项" in html and "不在您的待审核范围内" in html
    assert "外部门秘密平台" not in html
    assert Filing.objects.get(pk=foreign.pk).stage.order == 2
    assert not FlowRecord.objects.filter(filing=foreign, action="approve", from_stage__order=2).exists()


def test_only_forged_ids_is_a_409_with_nothing_named(client, demo):
    foreign = at_stage(demo, 2, owner=demo.wangwu, name="外部门秘密平台")
    client.force_login(demo.edu_reviewer)
    response = _confirm(client, [foreign.public_id])
    assert response.status_code == 409 and "外部门秘密平台" not in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "approve"}, "请至少勾选一个平台"),
        ({"decision": "approve", "ids": ["not-a-uuid"]}, "编号无效"),
        ({"decision": "delete", "ids": [str(uuid.uuid4())]}, "选择一个有效的选项"),
        ({"ids": [str(uuid.uuid4())]}, "请选择“批量通过”或“批量退回”"),
    ],
)
def test_bad_bulk_requests_get_a_message_and_change_nothing(client, demo, data, message):
    client.force_login(demo.kjt_reviewer)
    response = client.post(BULK, data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_at_most_100_at_once(client, demo):
    filings = waiting_in_bulk(demo, MAX_BULK + 1)
    client.force_login(demo.kjt_reviewer)
    response = _confirm(client, [f.public_id for f in filings])
    assert (
        response.status_code == 400
        and "一次最多批量处理 100 个平台，您选择了 101 个" in response.content.decode()
    )
    assert not FlowRecord.objects.filter(action="approve").exists()


def test_select_all_on_this_page_without_javascript(client, demo):
    filings = [at_stage(demo, 3, name=f"本页{i}") for i in range(2)]
    client.force_login(demo.kjt_reviewer)
    listing = client.get(reverse("review:list")).content.decode()
    assert 'name="all_on_page"' in listing and 'form="bulk-form"' in listing
    response = client.post(
        BULK, {"all_on_page": "1", "page_ids": [str(f.public_id) for f in filings], "decision": "approve"}
    )
    assert "确认批量通过以下 2 个平台备案吗？" in response.content.decode()


@pytest.mark.parametrize("persona", ["zhangsan", "anon"])
def test_non_reviewers_cannot_bulk(client, demo, persona):
    if persona != "anon":
        client.force_login(getattr(demo, persona))
    filing = at_stage(demo, 1)
    response = client.post(BULK, {"ids": [str(filing.public_id)], "decision": "approve", "confirmed": "1"})
    assert response.status_code in (302, 403)
    assert Filing.objects.get(pk=filing.pk).stage.order == 1


def test_bulk_is_post_only(client, demo):
    client.force_login(demo.kjt_reviewer)
    assert client.get(BULK).status_code == 405


def test_no_mail_is_sent_inside_the_bulk_request(client, demo, mailoutbox):
    filings = [at_stage(demo, 2, name=f"邮件{i}") for i in range(3)]
    client.force_login(demo.edu_reviewer)
    _execute(client, filings)
    assert mailoutbox == []
    from kechuang.outbox.models import OutboxMail

    assert OutboxMail.objects.filter(sent_at__isnull=True, to="kjt_reviewer@example.com").count() >= 3
