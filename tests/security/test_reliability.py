"""等保2.0 数据完整性 (W8, Q2): concurrent transitions, orphaned files after a crash, oversize requests."""

import io
import os
import threading
import time

import pytest
from django.core.management import call_command
from django.db import OperationalError, close_old_connections, connection, transaction
from django.urls import reverse

from kechuang.audit.models import EventKind, SecurityEvent
from kechuang.filings.models import Attachment, AttachmentKind, Filing
from kechuang.review import transitions
from kechuang.review.models import FlowRecord
from kechuang.workflow.models import Action

from .factories import at_stage, attach, complete_filing

THREADS = 8
ON_POSTGRESQL = connection.vendor == "postgresql"


LOCKED_RETRIES = 500


def race(worker, count=THREADS):
    """Run ``worker(i)`` in ``count`` threads released together; each thread uses its own DB connection."""
    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def run(i):
        try:
            barrier.wait()
            for _attempt in range(LOCKED_RETRIES):
                try:
                    outcomes[i] = ("ok", worker(i))
                except transitions.TransitionError as exc:
                    outcomes[i] = ("refused", exc.message)
                except OperationalError as exc:
                    # SQLite's shared-cache in-memory test database answers "database table is locked" at once
                    # where a real database file waits for the lock (busy timeout): wait and try again here.
                    outcomes[i] = ("locked", str(exc))
                    time.sleep(0.01)
                    continue
                break
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def check_outcomes(outcomes):
    assert None not in outcomes, "a thread neither finished nor failed"
    assert not [o for o in outcomes if o[0] == "locked"], outcomes
    wins = [o for o in outcomes if o[0] == "ok"]
    assert len(wins) == 1, outcomes
    return len(wins)


@pytest.mark.django_db(transaction=True)
def test_eight_simultaneous_approvals_make_exactly_one_flow_record(demo):
    filing = at_stage(demo, 1, demo.zhangsan, "并发审核平台")
    version = filing.version

    def approve(i):
        return transitions.approve(Filing.objects.get(pk=filing.pk), demo.sldx_admin, f"意见{i}", version)

    wins = check_outcomes(race(approve))
    filing.refresh_from_db()
    approvals = FlowRecord.objects.filter(filing=filing, action=Action.APPROVE)
    assert approvals.count() == wins
    assert filing.version == version + wins
    assert filing.stage.order == 2
    for outcome in race(approve, 2):
        assert outcome[0] == "refused"  # the stale version can never act again


@pytest.mark.django_db(transaction=True)
def test_approve_and_reject_racing_leave_one_consistent_outcome(demo):
    filing = at_stage(demo, 1, demo.zhangsan, "通过与不通过竞争平台")
    version = filing.version

    def act(i):
        current = Filing.objects.get(pk=filing.pk)
        if i % 2:
            return transitions.reject(current, demo.sldx_admin, "不符合条件", version)
        return transitions.approve(current, demo.sldx_admin, "", version)

    wins = check_outcomes(race(act))
    filing.refresh_from_db()
    records = list(FlowRecord.objects.filter(filing=filing).exclude(action=Action.SUBMIT))
    assert len(records) == wins == 1
    expected_status = "rejected" if records[0].action == Action.REJECT else "in_review"
    assert filing.status == expected_status


@pytest.mark.django_db(transaction=True)
def test_withdraw_racing_approval_never_both(demo):
    """W7 vs W4: the applicant's 撤销 and the unit's 通过 at once — exactly one of them happens."""
    filing = at_stage(demo, 1, demo.zhangsan, "撤销竞争平台")

    def act(i):
        current = Filing.objects.get(pk=filing.pk)
        if i % 2:
            return transitions.withdraw(current, demo.zhangsan)
        return transitions.approve(current, demo.sldx_admin)

    wins = check_outcomes(race(act, 4))
    actions = list(FlowRecord.objects.filter(filing=filing).values_list("action", flat=True))
    assert actions[0] == Action.SUBMIT
    assert len(actions) == 1 + wins


@pytest.mark.django_db(transaction=True)
def test_a_committed_move_is_reported_done_when_the_work_after_its_commit_fails(demo, monkeypatch):
    """A failure after the commit (the task runner's queue or the statistics cache unreachable, SQLite's
    "table is locked") must not turn a committed 不通过 into "moved by someone else": the reviewer would act
    again on a filing that has already moved. (The race above failed this way once in CI.)"""
    from kechuang.outbox import tasks
    from kechuang.outbox.models import OutboxMail

    filing = at_stage(demo, 1, demo.zhangsan, "提交后失败平台")
    demo.zhangsan.email = "zhangsan@example.cn"
    demo.zhangsan.save(update_fields=["email"])

    class Unreachable:
        def enqueue(self):
            raise OperationalError("database table is locked")

    def broken_receiver(**kwargs):
        raise OperationalError("database table is locked")

    monkeypatch.setattr(tasks, "send_outbox", Unreachable())
    transitions.filing_moved.connect(broken_receiver, dispatch_uid="test_broken_receiver")
    try:
        moved = transitions.reject(
            Filing.objects.get(pk=filing.pk), demo.sldx_admin, "不符合条件", filing.version
        )
    finally:
        transitions.filing_moved.disconnect(dispatch_uid="test_broken_receiver")
    assert moved.status == "rejected"
    filing.refresh_from_db()
    assert filing.status == "rejected"
    assert FlowRecord.objects.filter(filing=filing, action=Action.REJECT).count() == 1
    # The mail is queued for the next wake-up or the every-minute send_outbox, not lost.
    assert OutboxMail.objects.filter(to="zhangsan@example.cn", sent_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_crash_after_storing_a_file_leaves_no_visible_row_and_cleanup_finds_the_file(demo, settings):
    filing = complete_filing(demo.zhangsan, demo.business, "孤立文件平台")
    kept = set(Attachment.objects.values_list("file", flat=True))
    with pytest.raises(RuntimeError), transaction.atomic():
        orphan = attach(filing, AttachmentKind.OTHER, demo.zhangsan, name="崩溃前上传.pdf")
        stored = orphan.file.name
        raise RuntimeError("the request died before commit")
    path = settings.MEDIA_ROOT / stored
    assert path.is_file()  # the bytes are on disk …
    assert not Attachment.objects.filter(file=stored).exists()  # … but no row: nobody can reach them
    assert filing.attachments.count() == 3

    out = io.StringIO()
    call_command("cleanup_orphans", stdout=out)  # default: only files older than 60 minutes
    assert "找到 0 个孤立文件" in out.getvalue()

    old = time.time() - 2 * 3600
    os.utime(path, (old, old))
    out = io.StringIO()
    call_command("cleanup_orphans", stdout=out)
    assert stored in out.getvalue() and "找到 1 个孤立文件" in out.getvalue()
    assert path.is_file()  # listing never deletes

    call_command("cleanup_orphans", "--delete", stdout=io.StringIO())
    assert not path.exists()
    for name in kept:
        assert (settings.MEDIA_ROOT / name).is_file()  # referenced files untouched


@pytest.mark.django_db
def test_cleanup_on_an_empty_store_finds_nothing():
    out = io.StringIO()
    call_command("cleanup_orphans", "--older-than", "0", stdout=out)
    assert "找到 0 个孤立文件" in out.getvalue()


@pytest.mark.django_db
def test_declared_two_gigabyte_body_is_refused_before_reading(client, demo):
    """The body is 10 bytes but claims 2 GB: RequestSizeLimitMiddleware answers 413 without touching it
    (the test client's FakePayload would raise if anything tried to read past the 10 bytes)."""
    client.force_login(demo.zhangsan)
    started = time.monotonic()
    response = client.generic(
        "POST",
        reverse("accounts:profile"),
        b"name=x&a=1",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(2 * 1024**3),
    )
    assert response.status_code == 413
    assert time.monotonic() - started < 2
    assert "请求已被拒绝" in response.content.decode()
    assert response["Connection"] == "close"
    event = SecurityEvent.objects.get(kind=EventKind.REQUEST_TOO_LARGE)
    assert event.detail["declared_bytes"] == 2 * 1024**3
    demo.zhangsan.refresh_from_db()
    assert demo.zhangsan.name == "张三"


@pytest.mark.django_db
def test_deleted_attachment_leaves_no_file_behind(client, demo, settings, django_capture_on_commit_callbacks):
    """剩余信息保护: 删除 removes the stored bytes too, once the deletion is committed."""
    filing = complete_filing(demo.zhangsan, demo.business, "删除附件平台")
    attachment = attach(filing, AttachmentKind.OTHER, demo.zhangsan)
    path = settings.MEDIA_ROOT / attachment.file.name
    assert path.is_file()
    client.force_login(demo.zhangsan)
    filing.refresh_from_db()
    url = reverse("filings:attachment_delete", args=[filing.public_id, attachment.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"version": filing.version})
    assert response.status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not path.exists()
