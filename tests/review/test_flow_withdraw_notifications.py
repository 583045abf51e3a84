"""流转记录 (F12), 撤销 (W7) and the 站内消息 page (W10) over HTTP."""

import re

import pytest
from django.urls import reverse

from kechuang.filings.models import Filing
from kechuang.review import transitions
from kechuang.review.models import FlowRecord, Notification

from .factories import at_stage, submitted_filing


def _flow(filing):
    return reverse("review:flow", args=[filing.public_id])


def _withdraw(filing):
    return reverse("review:withdraw", args=[filing.public_id])


def test_F12_after_the_first_submission_one_record(client, demo):
    filing = submitted_filing(demo)
    client.force_login(demo.zhangsan)
    response = client.get(_flow(filing))
    assert response.status_code == 200
    html = response.content.decode()
    for label in ["时间", "流程阶段", "操作人", "操作", "审核意见"]:
        assert f'<th scope="col">{label}</th>' in html
    rows = re.findall(r"<tr>\s*<td class=\"nowrap\">(.*?)</tr>", html, re.S)
    assert len(rows) == 1
    assert re.search(r">\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}</time>", rows[0])
    assert "平台：填报中 → 平台：申报单位审核" in rows[0]
    assert "张三" in rows[0] and "示例科技大学" in rows[0] and "<td>上报</td>" in rows[0]
    assert "<html" in html and ">关闭</button>" not in html  # the plain page, no dialog controls


def test_F12_dialog_fragment_for_htmx(client, demo):
    filing = transitions.return_(at_stage(demo, 2), demo.edu_reviewer, "请补充\n合作协议。")
    client.force_login(demo.zhangsan)
    response = client.get(_flow(filing), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    html = response.content.decode()
    assert "<html" not in html
    assert '<h2 id="flow-dialog-title">流转记录：中德先进材料联合实验室</h2>' in html
    assert '<form method="dialog"' in html and ">关闭</button>" in html
    assert html.count('<td class="nowrap">') == 3
    assert "平台：主管部门审核 → 平台：退回修改" in html
    assert "教育厅审核员" in html and "黑龙江省教育厅" in html and "<td>退回</td>" in html
    assert "请补充<br>合作协议。" in html


def test_F12_draft_has_no_records_yet(client, demo):
    from .factories import complete_filing

    filing = complete_filing(demo.zhangsan, demo.business)
    client.force_login(demo.zhangsan)
    assert "暂无流转记录" in client.get(_flow(filing)).content.decode()


@pytest.mark.parametrize("username", ["zhangsan", "sldx_admin", "edu_reviewer", "kjt_reviewer"])
def test_F12_everyone_who_can_see_the_filing_sees_its_records(client, demo, username):
    filing = at_stage(demo, 2)
    client.force_login(getattr(demo, username))
    assert client.get(_flow(filing)).status_code == 200


@pytest.mark.parametrize("username", ["lisi", "wangwu", "xcl_admin", "hrb_reviewer"])
def test_F12_W9_others_get_404(client, demo, username):
    filing = at_stage(demo, 2)
    client.force_login(getattr(demo, username))
    assert client.get(_flow(filing)).status_code == 404


def test_F12_is_get_only(client, demo):
    filing = submitted_filing(demo)
    client.force_login(demo.zhangsan)
    assert client.post(_flow(filing)).status_code == 405


def test_W7_withdraw_button_then_withdraw(client, demo):
    filing = submitted_filing(demo)
    client.force_login(demo.zhangsan)
    view = client.get(reverse("filings:view", args=[filing.public_id])).content.decode()
    assert f'href="{_withdraw(filing)}"' in view and ">撤销</a>" in view  # to the confirmation

    confirm = client.get(_withdraw(filing)).content.decode()
    assert f'action="{_withdraw(filing)}"' in confirm and ">确定撤销</button>" in confirm
    response = client.post(_withdraw(filing), {"version": filing.version})
    assert response.status_code == 302 and response.url == reverse("filings:mine")
    filing.refresh_from_db()
    assert filing.stage_label == "平台：填报中"
    assert FlowRecord.objects.filter(filing=filing).latest("id").action == "withdraw"
    view = client.get(reverse("filings:view", args=[filing.public_id])).content.decode()
    assert _withdraw(filing) not in view


def test_W7_withdraw_refused_after_the_stage_acted(client, demo):
    filing = transitions.approve(submitted_filing(demo), demo.sldx_admin)
    client.force_login(demo.zhangsan)
    view = client.get(reverse("filings:view", args=[filing.public_id])).content.decode()
    assert _withdraw(filing) not in view
    response = client.post(_withdraw(filing), {"version": filing.version})
    assert response.status_code == 409
    assert "审核部门已处理该平台备案，不能撤销。" in response.content.decode()
    assert Filing.objects.select_related("stage").get(pk=filing.pk).stage_label == "平台：主管部门审核"


def test_W7_withdraw_bad_version_is_400(client, demo):
    filing = submitted_filing(demo)
    client.force_login(demo.zhangsan)
    assert client.post(_withdraw(filing), {"version": "x"}).status_code == 400
    assert Filing.objects.get(pk=filing.pk).status == "in_review"


@pytest.mark.parametrize("username", ["lisi", "sldx_admin", "kjt_reviewer", "wangwu"])
def test_W7_W9_only_the_owner_can_withdraw(client, demo, username):
    filing = submitted_filing(demo)
    client.force_login(getattr(demo, username))
    assert client.post(_withdraw(filing), {"version": filing.version}).status_code == 404
    assert Filing.objects.get(pk=filing.pk).status == "in_review"


def test_W7_withdraw_get_only_asks_for_confirmation(client, demo):
    filing = submitted_filing(demo)
    client.force_login(demo.zhangsan)
    assert client.get(_withdraw(filing)).status_code == 200
    assert Filing.objects.get(pk=filing.pk).status == "in_review"
    assert client.put(_withdraw(filing)).status_code == 405


def test_W10_notifications_page_and_mark_as_read(client, demo):
    filing = submitted_filing(demo)
    transitions.return_(filing, demo.sldx_admin, "请修改。")
    transitions.reject(transitions.submit(filing, demo.zhangsan), demo.sldx_admin, "不通过。")
    client.force_login(demo.zhangsan)
    html = client.get(reverse("review:notifications")).content.decode()
    assert "状态已变为“平台：退回修改”。审核意见：请修改。" in html
    assert "状态已变为“平台：不通过”。审核意见：不通过。" in html
    assert html.count('<span class="tag">未读</span>') == 2
    assert reverse("filings:view", args=[filing.public_id]) in html

    first = Notification.objects.filter(recipient=demo.zhangsan).earliest("id")
    response = client.post(reverse("review:notification_read", args=[first.public_id]))
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=demo.zhangsan, read_at__isnull=True).count() == 1
    client.post(reverse("review:notifications_read"))
    assert not Notification.objects.filter(recipient=demo.zhangsan, read_at__isnull=True).exists()
    assert '<span class="tag">未读</span>' not in client.get(reverse("review:notifications")).content.decode()


def test_W10_notifications_are_private(client, demo):
    submitted_filing(demo)
    theirs = Notification.objects.get(recipient=demo.sldx_admin)
    client.force_login(demo.xcl_admin)
    assert "已到达" not in client.get(reverse("review:notifications")).content.decode()
    assert client.post(reverse("review:notification_read", args=[theirs.public_id])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.get(reverse("review:notification_read", args=[theirs.public_id])).status_code == 405
    assert client.get(reverse("review:notifications_read")).status_code == 405


def test_W10_notifications_page_is_paginated_and_empty_state(client, demo, settings):
    settings.PAGE_SIZE = 2
    client.force_login(demo.sldx_admin)
    assert "暂无消息。" in client.get(reverse("review:notifications")).content.decode()
    for i in range(3):
        submitted_filing(demo, name=f"平台{i}")
    response = client.get(reverse("review:notifications"))
    assert len(response.context["page"].object_list) == 2
    assert "第 1 页，共 2 页" in response.content.decode()


def test_W10_mark_read_returns_to_a_local_next_page_only(client, demo):
    submitted_filing(demo)
    client.force_login(demo.sldx_admin)
    response = client.post(reverse("review:notifications_read"), {"next": "/center/"})
    assert response.status_code == 302 and response.url == "/center/"
    response = client.post(reverse("review:notifications_read"), {"next": "https://evil.example/"})
    assert response.url == reverse("review:notifications")
