"""Issue 12 in the browser: the form bar's 撤销 in both meanings (native dialogs, CSP-clean, axe-clean) and the
personal center's 科技创新平台管理 group opened by keyboard."""

from playwright.sync_api import expect

from kechuang.filings.models import Filing, Status
from tests.factories import at_stage, new_filing

from .helpers import assert_accessible, login


def test_undo_on_a_draft_asks_then_discards_the_unsaved_edits(page, live_server, demo):
    filing = new_filing(demo.zhangsan, demo.business, name="已保存名称")
    login(page, live_server, "zhangsan")
    page.goto(f"{live_server.url}/filings/{filing.public_id}/edit/basic/")
    bar = page.locator(".filing-actions")
    expect(bar.get_by_role("button").or_(bar.get_by_role("link"))).to_have_text(
        ["保存", "撤销", "上报", "预览"]
    )
    name = page.get_by_label("平台名称")
    name.fill("未保存的修改")

    bar.get_by_role("link", name="撤销").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("确定要撤销本页未保存的修改吗？本页将恢复为上次保存的内容。")
    assert_accessible(page)
    dialog.get_by_role("button", name="取消").click()
    expect(dialog).to_have_count(0)
    expect(name).to_have_value("未保存的修改")  # nothing lost on 取消

    bar.get_by_role("link", name="撤销").click()
    page.get_by_role("dialog").get_by_role("button", name="确定撤销").click()
    expect(page.get_by_label("平台名称")).to_have_value("已保存名称")  # back to the last saved version
    assert Filing.objects.get(pk=filing.pk).name == "已保存名称"


def test_undo_of_a_submitted_filing_withdraws_it_from_the_all_platforms_row(page, live_server, demo):
    filing = at_stage(demo, 1, demo.zhangsan, "浏览器测试平台")
    login(page, live_server, "zhangsan")
    page.goto(f"{live_server.url}/center/platforms/?tab=all")
    row = page.get_by_role("row", name="浏览器测试平台")
    row.get_by_role("link", name="撤销").click()
    dialog = page.locator("dialog[open]")
    expect(dialog).to_contain_text("撤销后它回到“平台：填报中”")
    assert_accessible(page)
    dialog.get_by_role("button", name="确定撤销").click()
    expect(page.get_by_text("已撤销“浏览器测试平台”")).to_be_visible()
    assert Filing.objects.get(pk=filing.pk).status == Status.DRAFT


def test_the_platform_group_opens_by_keyboard(page, live_server, demo):
    login(page, live_server, "zhangsan")
    page.goto(f"{live_server.url}/center/")
    menu = page.get_by_role("navigation", name="个人中心菜单")
    mine = menu.get_by_role("link", name="我的平台")
    expect(mine).to_be_hidden()
    summary = menu.locator("summary", has_text="科技创新平台管理")
    summary.focus()
    page.keyboard.press("Enter")
    expect(mine).to_be_visible()
    assert_accessible(page)
    mine.click()
    expect(page.get_by_role("heading", level=1, name="我的平台")).to_be_visible()
    expect(menu.get_by_role("link", name="我的平台")).to_have_attribute("aria-current", "page")  # open there
