"""Admin site: stages are editable configuration (W1); 流转记录 and 站内消息 are read-only history."""

from django.urls import reverse

from kechuang.review.models import FlowRecord, Notification
from kechuang.workflow.models import Stage

from .factories import submitted_filing


def test_W1_stage_admin_lists_and_filters_by_business(client, demo):
    client.force_login(demo.admin)
    response = client.get(
        reverse("admin:workflow_stage_changelist"), {"business__id__exact": demo.business.pk}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "申报单位审核" in html and "主管部门审核" in html and "省科技厅审核" in html
    change = client.get(reverse("admin:workflow_stage_change", args=[Stage.objects.first().pk]))
    assert "新增的阶段对尚未经过该顺序的备案立即生效" in change.content.decode()


def test_W1_admin_can_add_a_stage(client, demo):
    client.force_login(demo.admin)
    response = client.post(
        reverse("admin:workflow_stage_add"),
        {"business": demo.business.pk, "order": 4, "name": "厅领导审核", "reviewer_kind": "province"},
    )
    assert response.status_code == 302
    assert Stage.objects.filter(business=demo.business).count() == 4


def test_W1_deleting_a_stage_that_filings_wait_at_is_refused_with_a_clear_page(client, demo):
    filing = submitted_filing(demo)
    client.force_login(demo.admin)
    url = reverse("admin:workflow_stage_delete", args=[filing.stage_id])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "无法删除" in html and "受保护的相关对象" in html
    assert "平台备案“中德先进材料联合实验室”正在该阶段等待审核，或退回后将回到该阶段" in html
    assert "1 条流转记录引用了该阶段（流转记录不可删除）" in html
    assert "无权删除" not in html
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert Stage.objects.filter(pk=filing.stage_id).exists()
    # The bulk action on the list refuses the same way.
    response = client.post(
        reverse("admin:workflow_stage_changelist"),
        {"action": "delete_selected", "_selected_action": [filing.stage_id], "post": "yes"},
    )
    assert response.status_code == 200
    assert Stage.objects.filter(pk=filing.stage_id).exists()


def test_W1_an_unused_stage_can_be_deleted(client, demo):
    extra = Stage.objects.create(business=demo.business, order=9, name="临时阶段", reviewer_kind="province")
    client.force_login(demo.admin)
    response = client.post(reverse("admin:workflow_stage_delete", args=[extra.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Stage.objects.filter(pk=extra.pk).exists()


def test_W8_flow_records_and_notifications_are_read_only_in_admin(client, demo):
    filing = submitted_filing(demo)
    record = FlowRecord.objects.get(filing=filing)
    notification = Notification.objects.get(recipient=demo.sldx_admin)
    client.force_login(demo.admin)
    assert client.get(reverse("admin:review_flowrecord_changelist")).status_code == 200
    assert client.get(reverse("admin:review_notification_changelist")).status_code == 200
    view = client.get(reverse("admin:review_flowrecord_change", args=[record.pk]))
    assert view.status_code == 200 and 'name="_save"' not in view.content.decode()
    assert client.get(reverse("admin:review_flowrecord_add")).status_code == 403
    assert (
        client.post(reverse("admin:review_flowrecord_delete", args=[record.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert (
        client.post(
            reverse("admin:review_flowrecord_change", args=[record.pk]), {"opinion": "改写"}
        ).status_code
        == 403
    )
    assert client.get(reverse("admin:review_notification_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:review_notification_delete", args=[notification.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    record.refresh_from_db()
    assert record.opinion == ""
    assert FlowRecord.objects.filter(pk=record.pk).exists()
