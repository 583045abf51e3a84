"""公示 in the browser: the province publishes a batch, a member of the public objects from the home page's
公示公告 tab, the province accepts the objection and sends the filing back (公示退回); and 统计分析 shows its
charts. Every page is checked with axe-core; the CSP must hold (no violations)."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from kechuang.filings.models import Filing, Status
from kechuang.review import transitions
from tests.factories import at_stage

from .helpers import assert_accessible, login

NAME = "寒地智能装备国际联合实验室"


def open_menu(page, name):
    """The personal-center menu entry ``name`` (inside the 科技创新平台管理 group, opened first if closed)."""
    menu = page.get_by_role("navigation", name="个人中心菜单")
    link = menu.get_by_role("link", name=name)
    if not link.is_visible():
        menu.get_by_text("科技创新平台管理").click()
    link.click()


def test_publish_object_and_handle(page, live_server, demo):
    filing = transitions.approve(at_stage(demo, 3, demo.zhangsan, NAME), demo.kjt_reviewer, "同意")
    today = timezone.localdate()

    # The province publishes a batch from the personal center.
    login(page, live_server, "kjt_reviewer")
    open_menu(page, "公示管理")
    page.get_by_role("link", name="发布公示").click()
    assert_accessible(page)
    page.get_by_label("公示标题").fill("2026年第二批省国际科技合作平台备案公示")
    page.get_by_label("公示期开始").fill(today.isoformat())
    page.get_by_label("公示期结束").fill((today + datetime.timedelta(days=7)).isoformat())
    page.get_by_label(re.compile(NAME)).check()
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_text("已发布")).to_be_visible()
    assert_accessible(page)

    # Anyone: the home page's 公示公告 tab → the batch → 提出异议.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="公示公告").click()
    page.get_by_role("link", name="2026年第二批省国际科技合作平台备案公示").click()
    expect(page.get_by_role("cell", name=NAME)).to_be_visible()
    expect(page.get_by_text("公示中")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="提出异议").click()
    page.get_by_label("异议平台").select_option(label=NAME)
    page.get_by_label("姓名").fill("赵六")
    page.get_by_label("联系电话").fill("13900001111")
    page.get_by_label("电子邮箱").fill("zhaoliu@example.com")
    page.get_by_label("异议内容").fill("该平台的合作协议已终止。<script>alert(1)</script>")
    assert_accessible(page)
    page.get_by_role("button", name="提交异议").click()
    expect(page.get_by_role("heading", name="异议已提交")).to_be_visible()
    number = page.locator(".confirmation-number").inner_text()
    assert re.fullmatch(r"YY\d{14}", number)
    assert "13900001111" not in page.content()
    assert_accessible(page)

    # The province accepts it, then sends the filing back with an opinion.
    login(page, live_server, "kjt_reviewer")
    open_menu(page, "公示管理")
    page.get_by_role("row").filter(has_text="2026年第二批").get_by_role(
        "link", name=re.compile("^查看")
    ).click()
    page.get_by_role("row").filter(has_text=number).get_by_role("link", name=re.compile("^处理")).click()
    expect(page.get_by_text("13900001111")).to_be_visible()
    expect(page.get_by_text("<script>alert(1)</script>")).to_be_visible()  # shown as text, never run
    assert_accessible(page)
    page.get_by_label("受理", exact=True).check()
    page.get_by_label("答复意见").fill("经核实，异议属实。")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text(f"异议 {number} 已处理")).to_be_visible()
    page.get_by_label("审核意见").fill("公示期间收到实名异议，经核实属实，请修改后重新上报。")
    page.get_by_role("button", name="公示退回").click()
    expect(page.get_by_text("已公示退回")).to_be_visible()
    assert_accessible(page)
    filing.refresh_from_db()
    assert filing.status == Status.RETURNED
    assert Filing.objects.get(pk=filing.pk).flow_records.last().get_action_display() == "公示退回"


def test_statistics_page_with_charts(page, live_server, demo):
    transitions.approve(at_stage(demo, 3, demo.zhangsan, NAME), demo.kjt_reviewer, "同意")
    login(page, live_server, "edu_reviewer")
    open_menu(page, "统计分析")
    expect(page.get_by_role("heading", level=1, name="统计分析")).to_be_visible()
    chart = page.get_by_role("img", name=re.compile("按所在地市条形图"))
    expect(chart).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth", chart.element_handle()) > 0  # the SVG loaded
    expect(
        page.get_by_role("table").filter(has_text="所在地市").get_by_role("row", name=re.compile("哈尔滨市"))
    ).to_contain_text("1")
    assert_accessible(page)
