"""Header and personal center per role (A2, W2): greeting, menu, 备案：待审核 N, in-site messages."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from kechuang.filings.models import Status
from kechuang.review.models import Notification
from kechuang.workflow.models import Stage
from tests.portal.builders import filings

CENTER = reverse("portal:center")


def menu(html):
    """The personal center's left menu entries, in order."""
    nav = html.split('<nav class="center-menu"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r">([^<>]+)</(?:a|span|summary)>", nav)


def waiting_at(demo, order, owner, count):
    """``count`` filings of ``owner`` waiting at the stage with this order (test setup, see builders)."""
    stage = Stage.objects.get(business=demo.business, order=order)
    return filings(owner, demo.business, count, Status.IN_REVIEW, stage=stage)


def test_a2_center_requires_login(client, demo):
    response = client.get(CENTER)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={CENTER}"


def test_a2_header_greets_by_name_with_logout(client, demo):
    client.force_login(demo.zhangsan)
    html = client.get(CENTER).content.decode()
    assert f'欢迎您：<a href="{CENTER}" class="user-name">张三</a>' in html
    assert '<button type="submit" class="link">退出登录</button>' in html
    assert "张三，您好！" in html


def test_a2_applicant_menu(client, demo):
    client.force_login(demo.zhangsan)
    assert menu(client.get(CENTER).content.decode()) == [
        "个人信息",
        "科技创新平台管理",
        "我的平台",
        "站内消息",
    ]


def test_a2_unit_admin_menu_has_review_and_unit_management_last(client, demo):
    client.force_login(demo.sldx_admin)
    assert menu(client.get(CENTER).content.decode()) == [
        "个人信息",
        "科技创新平台管理",
        "平台审核、查询",
        "统计分析",
        "站内消息",
        "单位管理",
    ]


@pytest.mark.parametrize(
    ("username", "own"),
    [("edu_reviewer", ["站内消息", "单位注册审核"]), ("kjt_reviewer", ["公示管理", "站内消息"])],
)
def test_a2_department_and_province_reviewers_menu(client, demo, username, own):
    client.force_login(getattr(demo, username))
    assert menu(client.get(CENTER).content.decode()) == [
        "个人信息",
        "科技创新平台管理",
        "平台审核、查询",
        "统计分析",
        *own,
    ]


def test_w2_reviewer_sees_pending_count_linking_to_review_list(client, demo):
    waiting_at(demo, 1, demo.zhangsan, 2)  # 示例科技大学, at 申报单位审核
    waiting_at(demo, 1, demo.wangwu, 1)  # another unit
    waiting_at(demo, 2, demo.lisi, 1)  # already past the unit
    client.force_login(demo.sldx_admin)
    html = client.get(CENTER).content.decode()
    assert '<h2 id="platforms-heading">科技创新平台</h2>' in html
    assert f'<a href="{reverse("review:list")}">备案：待审核 <span class="badge-count">2</span></a>' in html


def test_w2_department_reviewer_counts_its_units_at_its_stage(client, demo):
    waiting_at(demo, 2, demo.zhangsan, 3)
    waiting_at(demo, 2, demo.wangwu, 1)  # 哈尔滨市科学技术局's unit
    waiting_at(demo, 1, demo.lisi, 1)
    client.force_login(demo.edu_reviewer)
    assert '备案：待审核 <span class="badge-count">3</span>' in client.get(CENTER).content.decode()


def test_a2_applicant_sees_my_platforms_with_counts(client, demo):
    filings(demo.zhangsan, demo.business, 2)
    filings(demo.zhangsan, demo.business, 1, Status.RETURNED)
    filings(demo.zhangsan, demo.business, 3, Status.DONE)
    filings(demo.lisi, demo.business, 4)  # someone else's
    client.force_login(demo.zhangsan)
    html = client.get(CENTER).content.decode()
    assert f'<a href="{reverse("filings:mine")}">我的平台</a>' in html
    assert "待上报 3 项，共 6 项" in html
    assert "备案：待审核" not in html


def test_w10_latest_five_messages_newest_first_and_unread_count(client, demo):
    [filing] = filings(demo.zhangsan, demo.business, 1)
    for i in range(7):
        Notification.objects.create(recipient=demo.zhangsan, filing=filing, text=f"消息{i}")
    Notification.objects.create(recipient=demo.lisi, filing=filing, text="别人的消息")
    Notification.objects.filter(text="消息0").update(read_at=timezone.now())
    client.force_login(demo.zhangsan)
    html = client.get(CENTER).content.decode()
    shown = re.findall(r"(消息\d)</span>", html)
    assert shown == ["消息6", "消息5", "消息4", "消息3", "消息2"]
    assert "别人的消息" not in html
    assert '<span class="badge-count" title="未读消息">6</span>' in html
    assert "全部标为已读" in html


def test_w10_mark_all_read_button_posts_to_the_message_action(client, demo):
    [filing] = filings(demo.zhangsan, demo.business, 1)
    for i in range(3):
        Notification.objects.create(recipient=demo.zhangsan, filing=filing, text=f"消息{i}")
    other = Notification.objects.create(recipient=demo.lisi, filing=filing, text="别人的消息")
    client.force_login(demo.zhangsan)
    html = client.get(CENTER).content.decode()
    action = reverse("review:notifications_read")
    assert f'<form method="post" action="{action}">' in html
    assert f'<a href="{reverse("review:notifications")}">全部消息</a>' in html
    client.post(action)
    assert not Notification.objects.filter(recipient=demo.zhangsan, read_at=None).exists()
    other.refresh_from_db()
    assert other.read_at is None
    assert "全部标为已读" not in client.get(CENTER).content.decode()


@pytest.mark.parametrize(
    ("username", "queries"),
    [
        # session, user, 我的平台 counts (one aggregate), 5 messages, unread count, the unit named in the
        # greeting
        ("zhangsan", 6),
        # session, user, 待审核 count, 5 messages, unread count, unit or department; a unit administrator also
        # counts people, 转入申请 and identity changes waiting for them (人员：待确认), a department reviewer the
        # unit registrations waiting for them (单位注册：待审核)
        ("sldx_admin", 9),
        ("edu_reviewer", 7),
    ],
)
def test_q4_center_query_count_does_not_grow(client, demo, django_assert_num_queries, username, queries):
    user = getattr(demo, username)
    client.force_login(user)
    with django_assert_num_queries(queries):
        assert client.get(CENTER).status_code == 200
    waiting_at(demo, 1, demo.zhangsan, 20)
    waiting_at(demo, 2, demo.zhangsan, 20)
    filings(demo.zhangsan, demo.business, 20)
    [filing] = filings(demo.zhangsan, demo.business, 1)
    Notification.objects.bulk_create(
        Notification(recipient=user, filing=filing, text=f"消息{i}") for i in range(30)
    )
    with django_assert_num_queries(queries):
        html = client.get(CENTER).content.decode()
    assert html.count("消息") >= 5
