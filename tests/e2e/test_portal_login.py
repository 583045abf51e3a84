"""Browser walk-through of the portal and both login tabs (P2, P4, A2, A3), with axe-core checks."""

from playwright.sync_api import expect

from .helpers import assert_accessible, login


def test_p4_home_to_platforms_shows_online_button(page, live_server, demo):
    page.goto(live_server.url + "/")
    assert_accessible(page)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="科技创新平台").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("科技创新平台申报")
    row = page.locator("li.business", has_text="省国际科技合作平台备案")
    expect(row.get_by_text("申报期：")).to_be_visible()
    expect(row.get_by_role("link", name="在线办理")).to_be_visible()
    closed = page.locator("li.business", has_text="省级重点实验室备案")
    expect(closed.get_by_role("button", name="在线办理")).to_be_disabled()
    expect(closed.get_by_text("不在申报期内")).to_be_visible()
    assert_accessible(page)


def test_a3_personal_login_greets_by_name(page, live_server, demo):
    page.goto(live_server.url + "/login/")
    assert_accessible(page)
    login(page, live_server, "zhangsan")
    expect(page.locator(".account")).to_contain_text("欢迎您：张三")
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()
    assert_accessible(page)  # the personal center
    page.get_by_role("link", name="个人信息").click()
    # 证件号码 is shown, not editable: identity changes go through 申请修改身份信息 (issue 11).
    expect(page.locator(".facts")).to_contain_text(demo.zhangsan.id_number)
    expect(page.get_by_role("textbox", name="证件号码")).to_have_count(0)
    expect(page.get_by_role("link", name="申请修改身份信息")).to_be_visible()
    assert_accessible(page)


def test_a3_unit_admin_refused_on_personal_tab_then_logs_in_as_legal_person(page, live_server, demo):
    login(page, live_server, "sldx_admin", tab="个人登录")
    expect(page.get_by_text("单位管理员账号请在“法人登录”中登录。")).to_be_visible()
    expect(page.locator(".account")).not_to_contain_text("欢迎您")
    assert_accessible(page)  # the refusal, with its error message
    login(page, live_server, "sldx_admin", tab="法人登录")
    expect(page.locator(".account")).to_contain_text("欢迎您：示例科技大学科技处")
    menu = page.get_by_role("navigation", name="个人中心菜单")
    # 科技创新平台管理 is a group that opens on a click, as the manual shows (issue 12).
    expect(menu.get_by_role("link")).to_have_text(["个人信息", "站内消息", "单位管理"])
    menu.get_by_text("科技创新平台管理").click()
    expect(menu.get_by_role("link")).to_have_text(
        ["个人信息", "平台审核、查询", "统计分析", "站内消息", "单位管理"]
    )


def test_profile_bad_input_shows_the_field_message(page, live_server, demo):
    login(page, live_server, "zhangsan")
    page.goto(live_server.url + "/center/profile/")
    page.get_by_label("手机").fill("123")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("请输入11位手机号码。")).to_be_visible()
    expect(page.get_by_label("手机")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
