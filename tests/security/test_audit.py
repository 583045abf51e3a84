"""等保2.0 安全审计: what is recorded, who may read and export it, that it cannot be changed, and retention."""

import csv
import datetime
import io

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from kechuang.audit.models import AppendOnlyError, EventKind, SecurityEvent
from kechuang.audit.recorder import record
from kechuang.filings.models import AttachmentKind
from kechuang.workflow.models import Business

from .factories import attach, complete_filing


def kinds():
    return list(SecurityEvent.objects.order_by("id").values_list("kind", flat=True))


@pytest.mark.django_db
def test_login_success_failure_and_logout_are_recorded_with_address(client, demo):
    url = reverse("accounts:login")
    client.post(url, {"username": "zhangsan", "password": "nope-Nope1"}, REMOTE_ADDR="10.1.2.3")
    client.post(url, {"username": "zhangsan", "password": "Demo@2026"}, REMOTE_ADDR="10.1.2.3")
    client.post(reverse("accounts:logout"), REMOTE_ADDR="10.1.2.3")
    events = list(SecurityEvent.objects.order_by("id"))
    assert [e.kind for e in events] == [EventKind.LOGIN_FAILED, EventKind.LOGIN, EventKind.LOGOUT]
    assert {e.username for e in events} == {"zhangsan"}
    assert {e.ip_address for e in events} == {"10.1.2.3"}
    assert events[1].user_id == demo.zhangsan.pk
    assert "nope" not in str(events[0].detail)  # never the password


@pytest.mark.django_db
def test_permission_denial_is_recorded(client, demo):
    """A non-staff person asking for the audit export gets 403, and the denial itself is logged."""
    client.force_login(demo.zhangsan)
    assert client.get(reverse("audit:export")).status_code == 403
    event = SecurityEvent.objects.get(kind=EventKind.PERMISSION_DENIED)
    assert event.username == "zhangsan"
    assert event.path == reverse("audit:export")
    assert event.detail["view"] == "audit:export"


@pytest.mark.django_db
def test_csrf_failure_is_recorded_as_a_denial(demo):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(demo.zhangsan)
    assert client.post(reverse("accounts:profile"), {"name": "x"}).status_code == 403
    assert SecurityEvent.objects.filter(kind=EventKind.PERMISSION_DENIED, username="zhangsan").exists()


@pytest.mark.django_db
def test_foreign_object_404_of_a_signed_in_user_is_a_possible_probe(client, demo):
    foreign = complete_filing(demo.zhangsan, demo.business, "探测目标平台")
    client.force_login(demo.wangwu)
    assert client.get(reverse("filings:view", args=[foreign.public_id])).status_code == 404
    event = SecurityEvent.objects.get(kind=EventKind.PROBE)
    assert event.username == "wangwu"
    assert event.detail == {"view": "filings:view", "kwargs": {"public_id": str(foreign.public_id)}}


@pytest.mark.django_db
def test_anonymous_404_is_not_a_probe(client, demo):
    client.get("/no-such-page/")
    assert not SecurityEvent.objects.exists()


@pytest.mark.django_db
def test_attachment_download_is_recorded(client, demo):
    filing = complete_filing(demo.zhangsan, demo.business, "下载审计平台")
    attachment = attach(filing, AttachmentKind.OTHER, demo.zhangsan)
    client.force_login(demo.zhangsan)
    response = client.get(reverse("filings:attachment", args=[filing.public_id, attachment.public_id]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    event = SecurityEvent.objects.get(kind=EventKind.DOWNLOAD)
    assert event.username == "zhangsan"
    assert str(attachment.public_id) in str(event.detail)


@pytest.mark.django_db
def test_admin_changes_of_businesses_are_recorded(client, demo):
    client.force_login(demo.admin)
    business = demo.business
    LogEntry.objects.log_actions(
        user_id=demo.admin.pk,
        queryset=[business],
        action_flag=CHANGE,
        change_message="修改 申报期",
        single_object=True,
    )
    event = SecurityEvent.objects.get(kind=EventKind.ADMIN_CHANGE)
    assert event.user_id == demo.admin.pk
    assert event.detail["model"] == "workflow.business"
    assert event.detail["action"] == "修改"
    assert event.detail["object_repr"] == str(business)
    assert ContentType.objects.get_for_model(Business).model == "business"


@pytest.mark.django_db
def test_admin_site_edit_of_a_stage_is_recorded_with_address(client, demo):
    stage = demo.business.stages.get(order=1)
    client.force_login(demo.admin)
    url = reverse("admin:workflow_stage_change", args=[stage.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"name": "申报单位初审", "business": demo.business.pk, "order": 1})
    response = client.post(url, data, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 302, response.content.decode()[:2000]
    event = SecurityEvent.objects.get(kind=EventKind.ADMIN_CHANGE)
    assert event.detail["model"] == "workflow.stage"
    assert event.ip_address == "10.9.9.9"
    assert event.username == "admin"


@pytest.mark.django_db
def test_rows_are_append_only():
    event = record(EventKind.LOGIN, username="zhangsan")
    event.username = "someone-else"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert SecurityEvent.objects.get().username == "zhangsan"


@pytest.mark.django_db
def test_admin_is_read_only(client, demo):
    event = record(EventKind.LOGIN, username="zhangsan")
    client.force_login(demo.auditadmin)  # 三员分立: the audit log is the 审计管理员's
    listing = client.get(reverse("admin:audit_securityevent_changelist"), {"q": "zhangsan"})
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "zhangsan" in body and reverse("audit:export") in body
    assert "action-select" not in body  # no bulk delete
    assert client.get(reverse("admin:audit_securityevent_add")).status_code == 403
    assert client.get(reverse("admin:audit_securityevent_delete", args=[event.pk])).status_code == 403
    detail = client.post(reverse("admin:audit_securityevent_change", args=[event.pk]), {"username": "x"})
    assert detail.status_code == 403
    assert SecurityEvent.objects.get(pk=event.pk).username == "zhangsan"


@pytest.mark.django_db
def test_export_is_for_the_audit_administrator_only(client, demo):
    assert client.get(reverse("audit:export")).status_code == 302  # anonymous → login
    # 三员分立: neither the 系统管理员 nor the 安全管理员 reads the audit log.
    for person in (demo.zhangsan, demo.sldx_admin, demo.kjt_reviewer, demo.admin, demo.secadmin):
        client.force_login(person)
        assert client.get(reverse("audit:export")).status_code == 403
        assert client.get(reverse("admin:audit_securityevent_changelist")).status_code in (302, 403)
    client.force_login(demo.auditadmin)
    assert client.post(reverse("audit:export")).status_code == 405


@pytest.mark.django_db
def test_export_streams_csv_with_filters_and_neutralised_formulas(client, demo):
    record(EventKind.LOGIN_FAILED, username='=HYPERLINK("http://evil")')
    record(EventKind.LOGIN, username="lisi")
    client.force_login(demo.auditadmin)
    response = client.get(reverse("audit:export"), {"kind": EventKind.LOGIN_FAILED})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Disposition"].startswith("attachment;")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["时间", "事件类型", "账号", "IP地址", "请求方法", "访问路径", "详情"]
    assert len(rows) == 2
    assert rows[1][1] == "登录失败"
    assert rows[1][2] == '\'=HYPERLINK("http://evil")'
    # The export itself is an audited event, and it is not counted as an attachment download.
    assert SecurityEvent.objects.filter(kind=EventKind.EXPORT, username="auditadmin").count() == 1
    assert not SecurityEvent.objects.filter(kind=EventKind.DOWNLOAD).exists()


@pytest.mark.django_db
def test_export_refuses_bad_filters_with_400(client, demo):
    client.force_login(demo.auditadmin)
    assert client.get(reverse("audit:export"), {"since": "not-a-date"}).status_code == 400
    response = client.get(reverse("audit:export"), {"since": "2026-02-01", "until": "2026-01-01"})
    assert response.status_code == 400
    assert "开始日期不能晚于结束日期" in response.content.decode()


@pytest.mark.django_db
def test_purge_deletes_only_rows_older_than_the_retention(settings):
    settings.AUDIT_RETENTION_DAYS = 200
    old = record(EventKind.LOGIN, username="old")
    edge = record(EventKind.LOGIN, username="edge")
    new = record(EventKind.LOGIN, username="new")
    now = timezone.now()
    SecurityEvent.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(days=201))
    SecurityEvent.objects.filter(pk=edge.pk).update(created_at=now - datetime.timedelta(days=199))
    SecurityEvent.objects.filter(pk=new.pk).update(created_at=now - datetime.timedelta(days=1))
    out = io.StringIO()
    call_command("purge_audit", "--dry-run", stdout=out)
    assert "将删除 1 条" in out.getvalue()
    assert SecurityEvent.objects.count() == 3
    call_command("purge_audit", stdout=out)
    remaining = set(SecurityEvent.objects.values_list("username", flat=True))
    assert remaining == {"edge", "new", "manage.py"}
    purge = SecurityEvent.objects.get(kind=EventKind.PURGE)
    assert purge.detail["deleted"] == 1 and purge.detail["days"] == 200


@pytest.mark.django_db
def test_purge_refuses_a_retention_below_six_months():
    with pytest.raises(CommandError, match="不得少于 180 天"):
        call_command("purge_audit", "--days", "30")


@pytest.mark.django_db
def test_approving_a_unit_registration_change_in_the_admin_is_recorded(client, demo):
    """U1: the admin action writes no LogEntry, so the audit app listens to the decision itself."""
    from kechuang.accounts import services
    from kechuang.accounts.models import UnitChange

    unit = demo.sldx_admin.unit
    services.request_registration_change(
        unit,
        demo.sldx_admin,
        {"name": "示例科技大学（新）", "credit_code": unit.credit_code, "unit_type": unit.unit_type},
    )
    change = UnitChange.objects.get(unit=unit)
    client.force_login(demo.admin)
    response = client.post(
        reverse("admin:accounts_unitchange_changelist"),
        {"action": "approve_selected", "_selected_action": [change.pk]},
        REMOTE_ADDR="10.8.8.8",
    )
    assert response.status_code == 302
    event = SecurityEvent.objects.get(kind=EventKind.ADMIN_CHANGE)
    assert event.username == "admin" and event.ip_address == "10.8.8.8"
    assert event.detail["model"] == "accounts.unitchange"
    assert event.detail["action"] == "已通过"
    assert "示例科技大学（新）" in event.detail["object_repr"]
