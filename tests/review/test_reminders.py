"""send_reminders (W15): one digest a day per reviewer of exactly what waits for them, resubmission reminders
3 and 1 days before the deadline, units' waiting people; idempotent, scoped, opt-out, bounded queries."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.outbox.mail import send_pending
from kechuang.outbox.models import OutboxMail
from kechuang.review import reminders, transitions
from kechuang.review.models import Notification
from kechuang.workflow import days
from kechuang.workflow.models import Season, Stage, StageDeadline

from .factories import at_stage, waiting_in_bulk


def _digest(user):
    return Notification.objects.filter(recipient=user, key__startswith="digest:").values_list(
        "text", flat=True
    )


def test_reviewers_get_one_digest_of_what_waits_for_them(demo):
    at_stage(demo, 2, name="教育厅待审平台")
    at_stage(demo, 2, owner=demo.wangwu, name="科技局待审平台")
    stage = Stage.objects.get(business=demo.business, order=2)
    StageDeadline.objects.create(
        season=Season.objects.get(business=demo.business),
        stage=stage,
        due=days.today() + datetime.timedelta(days=4),
    )
    reminders.run()
    (edu,) = _digest(demo.edu_reviewer)
    assert "您有 1 个平台备案待审核" in edu and "教育厅待审平台" in edu and "距审核截止还有 4 天" in edu
    assert "科技局待审平台" not in edu  # another department's filing is never listed
    (hrb,) = _digest(demo.hrb_reviewer)
    assert "科技局待审平台" in hrb and "教育厅待审平台" not in hrb
    assert list(_digest(demo.kjt_reviewer)) == []  # nothing waits at the province
    assert list(_digest(demo.sldx_admin)) == []


def test_every_digest_lists_only_what_the_recipient_may_act_on(demo):
    """Scope oracle: each name in a digest belongs to a filing in actionable_by(recipient)."""
    from kechuang.filings.models import Filing

    for order, owner in ((1, demo.zhangsan), (2, demo.zhangsan), (2, demo.wangwu), (3, demo.wangwu)):
        at_stage(demo, order, owner=owner, name=f"平台{order}{owner.username}")
    reminders.run()
    for note in Notification.objects.filter(key__startswith="digest:").select_related("recipient"):
        allowed = set(Filing.objects.actionable_by(note.recipient).values_list("name", flat=True))
        named = {name for name in Filing.objects.values_list("name", flat=True) if name in note.text}
        assert named and named <= allowed, (note.recipient, named, allowed)


def test_running_twice_a_day_sends_nothing_twice(demo):
    at_stage(demo, 3)
    first = reminders.run()
    assert first.digests >= 1
    second = reminders.run()
    assert (second.digests, second.resubmit, second.units) == (0, 0, 0)
    assert Notification.objects.filter(key__startswith="digest:").count() == first.digests
    send_pending()
    sent = [m for m in mail.outbox if m.subject == reminders.SUBJECT]
    assert len(sent) == first.digests
    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert OutboxMail.objects.filter(key__startswith="digest:").count() == first.digests


def test_the_next_day_sends_again(demo):
    at_stage(demo, 3)
    reminders.run()
    tomorrow = days.end_of(days.today()) + datetime.timedelta(hours=1)
    assert reminders.run(now=tomorrow).digests >= 1


def test_a_person_who_switched_reminders_off_gets_none(demo):
    at_stage(demo, 3)
    demo.kjt_reviewer.reminders_enabled = False
    demo.kjt_reviewer.save(update_fields=["reminders_enabled"])
    reminders.run()
    assert list(_digest(demo.kjt_reviewer)) == []
    assert not OutboxMail.objects.filter(recipient=demo.kjt_reviewer, key__startswith="digest:").exists()


@pytest.mark.parametrize(("left", "expected"), [(3, True), (2, False), (1, True), (0, False)])
def test_applicants_hear_three_and_one_days_before_the_resubmission_deadline(demo, left, expected):
    filing = transitions.return_(at_stage(demo, 2), demo.edu_reviewer, "请修改。")
    season = Season.objects.get(business=demo.business)
    end = days.today() + datetime.timedelta(days=left)
    Season.objects.filter(pk=season.pk).update(period_end=end)
    reminders.run()
    texts = list(
        Notification.objects.filter(recipient=demo.zhangsan, key__startswith="resubmit:").values_list(
            "text", flat=True
        )
    )
    if expected:
        assert texts == [
            f"您的平台备案“{filing.name}”已退回修改，请于 {end:%Y-%m-%d} 23:59:59 前修改并再次上报（还有 {left} 天）。"
        ]
    else:
        assert texts == []
    assert reminders.run().resubmit == 0


def test_unit_administrators_hear_of_people_waiting_for_confirmation(demo):
    from kechuang.accounts.models import Role, User

    User.objects.create_user(
        "waiting1",
        password="x",
        name="待确认人",
        role=Role.APPLICANT,
        unit=demo.zhangsan.unit,
        person_status="pending",
    )
    reminders.run()
    notes = Notification.objects.filter(recipient=demo.sldx_admin, key__startswith="persons:")
    assert [n.text for n in notes] == ["本单位有 1 名人员的注册等待您确认（单位管理 → 人员管理）。"]
    assert not Notification.objects.filter(recipient=demo.xcl_admin, key__startswith="persons:").exists()


def test_queries_do_not_grow_with_the_number_of_filings(demo):
    at_stage(demo, 3)
    with CaptureQueriesContext(connection) as few:
        reminders.run()
    Notification.objects.filter(key__isnull=False).delete()
    OutboxMail.objects.all().delete()
    waiting_in_bulk(demo, 150, order=3)
    waiting_in_bulk(demo, 150, order=2, owner=demo.wangwu)
    with CaptureQueriesContext(connection) as many:
        reminders.run()
    assert len(many) <= len(few) + 4, [q["sql"][:120] for q in many]  # +2 scopes with filings now
    assert len(many) < 40


def test_the_preferences_are_in_the_profile(client, demo):
    from django.urls import reverse

    client.force_login(demo.kjt_reviewer)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert 'name="mail_digest"' in html and 'name="reminders_enabled"' in html
    assert "接收每日提醒" in html and "待审核提醒改为每日汇总邮件" in html
