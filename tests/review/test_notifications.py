"""W10: in-site messages and emails — the applicant on 退回/不通过/完成, reviewers when a filing arrives.
Emails are written to the outbox in the step's transaction and leave only when the outbox is sent (send_outbox /
the task runner), never inside the request."""

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from kechuang.outbox.mail import send_pending
from kechuang.outbox.models import OutboxMail
from kechuang.review import transitions
from kechuang.review.models import Notification

from .factories import at_stage, complete_filing, submitted_filing


def _sent():
    """What the outbox sends when its worker runs."""
    send_pending()
    return mail.outbox


def _setup_mail_sent():
    """The mails of the test's setup (earlier arrivals) count as sent, so a test sees only its step's."""
    OutboxMail.objects.update(sent_at=timezone.now())


def _texts(user):
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("text", flat=True))


def test_arrival_notifies_the_stage_reviewers_after_commit(demo, django_capture_on_commit_callbacks):
    filing = complete_filing(demo.zhangsan, demo.business)
    with django_capture_on_commit_callbacks() as callbacks:
        transitions.submit(filing, demo.zhangsan)
        assert mail.outbox == []  # nothing leaves inside the step
    assert _texts(demo.sldx_admin) == ["平台备案“中德先进材料联合实验室”已到达“申报单位审核”，等待您审核。"]
    assert _texts(demo.xcl_admin) == [] and _texts(demo.edu_reviewer) == []
    for callback in callbacks:
        callback()
    assert mail.outbox == []  # nor after the commit: the outbox's worker sends it
    assert [(m.to, m.body) for m in _sent()] == [(["sldx_admin@example.com"], _texts(demo.sldx_admin)[0])]
    assert mail.outbox[0].subject == "【黑龙江省科技创新服务平台】平台备案状态通知"


@pytest.mark.parametrize(
    ("order", "recipient"), [(1, "edu_reviewer"), (2, "kjt_reviewer")], ids=["to-department", "to-province"]
)
def test_approval_notifies_the_next_stage(demo, django_capture_on_commit_callbacks, order, recipient):
    filing = at_stage(demo, order)
    _setup_mail_sent()
    reviewer = [demo.sldx_admin, demo.edu_reviewer][order - 1]
    with django_capture_on_commit_callbacks(execute=True):
        transitions.approve(filing, reviewer)
    assert [m.to for m in _sent()] == [[f"{recipient}@example.com"]]
    assert "等待您审核" in _texts(getattr(demo, recipient))[-1]


@pytest.mark.parametrize(
    ("verb", "label", "opinion"),
    [
        ("approve", "平台：完成", ""),
        ("return_", "平台：退回修改", "请补充附件。"),
        ("reject", "平台：不通过", "不符合备案条件。"),
    ],
)
def test_applicant_hears_of_done_return_and_reject(
    demo, django_capture_on_commit_callbacks, verb, label, opinion
):
    filing = at_stage(demo, 3)
    _setup_mail_sent()
    with django_capture_on_commit_callbacks(execute=True):
        getattr(transitions, verb)(filing, demo.kjt_reviewer, opinion)
    expected = f"您的平台备案“中德先进材料联合实验室”状态已变为“{label}”。"
    if opinion:
        expected += f"审核意见：{opinion}"
    assert _texts(demo.zhangsan) == [expected]
    assert [(m.to, m.body) for m in _sent()] == [(["zhangsan@example.com"], expected)]


def test_withdraw_notifies_nobody(demo, django_capture_on_commit_callbacks):
    filing = submitted_filing(demo)
    _setup_mail_sent()
    before = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        transitions.withdraw(filing, demo.zhangsan)
    assert Notification.objects.count() == before
    assert _sent() == []


def test_a_rolled_back_transition_sends_nothing(demo, django_capture_on_commit_callbacks):
    filing = complete_filing(demo.zhangsan, demo.business)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        transitions.submit(filing, demo.zhangsan)
        raise RuntimeError("the surrounding request failed")
    assert not OutboxMail.objects.exists()
    assert _sent() == []
    assert Notification.objects.count() == 0


def test_reviewers_without_email_get_the_in_site_message_only(demo, django_capture_on_commit_callbacks):
    demo.sldx_admin.email = ""
    demo.sldx_admin.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        submitted_filing(demo)
    assert len(_texts(demo.sldx_admin)) == 1
    assert _sent() == []


def test_a_mail_server_failure_does_not_break_the_step(demo, django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens on the discard port
    with django_capture_on_commit_callbacks(execute=True):
        filing = submitted_filing(demo)
    assert filing.stage_label == "平台：申报单位审核"
    assert len(_texts(demo.sldx_admin)) == 1
    # The mail stays queued: counted as a failed attempt, retried by the next run.
    assert send_pending() == (0, 1)
    queued = OutboxMail.objects.get()
    assert queued.sent_at is None and queued.attempts == 1 and queued.last_error


def test_a_reviewer_who_chose_the_daily_digest_gets_no_mail_per_arrival(demo):
    demo.sldx_admin.mail_digest = True
    demo.sldx_admin.save(update_fields=["mail_digest"])
    submitted_filing(demo)
    assert len(_texts(demo.sldx_admin)) == 1  # the in-site message as always
    assert _sent() == []


def test_the_outbox_sends_each_mail_once(demo):
    submitted_filing(demo)
    assert len(_sent()) == 1
    assert send_pending() == (0, 0)
    assert len(mail.outbox) == 1
