"""The whole review path in the browser (W2–W7, F10, F12, F13), as the manual tells it:
zhangsan 上报 → sldx_admin (法人登录) 通过 → edu_reviewer 通过 → kjt_reviewer 退回 with an opinion →
zhangsan resubmits from 待上报平台 → it arrives directly at 省科技厅审核 → kjt_reviewer 通过 → 平台：完成,
and 流转记录 lists all six steps. The complete filing is created in the database: tests/e2e/test_filing.py
fills the form itself."""

import re

from playwright.sync_api import expect

from tests.factories import complete_filing

from .helpers import assert_accessible, login

NAME = "寒地新材料国际联合实验室"


def switch_user(page, live_server, username, tab="个人登录"):
    page.context.clear_cookies()
    login(page, live_server, username, tab=tab)
    expect(page.get_by_text("欢迎您：")).to_be_visible()


def open_review_list(page):
    menu = page.get_by_role("navigation", name="个人中心菜单")
    if not menu.get_by_role("link", name="平台审核、查询").is_visible():
        menu.get_by_text("科技创新平台管理").click()  # the group opens, as the manual shows
    menu.get_by_role("link", name="平台审核、查询").click()
    expect(page.get_by_role("heading", level=1, name="平台审核、查询")).to_be_visible()


def row(page):
    return page.get_by_role("row").filter(has_text=NAME)


def decide(page, decision, opinion=""):
    row(page).get_by_role("link", name=re.compile("^审核")).click()
    expect(page.get_by_role("heading", level=1, name=f"审核：{NAME}")).to_be_visible()
    page.get_by_label(decision, exact=True).check()
    if opinion:
        page.get_by_label("审核意见").fill(opinion)
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text(f"已审核“{NAME}”")).to_be_visible()


def test_W2_to_W6_the_whole_review_path(page, live_server, demo):
    complete_filing(demo.zhangsan, demo.business, name=NAME)

    # zhangsan 上报 from 待上报平台 (F10)
    switch_user(page, live_server, "zhangsan")
    page.goto(f"{live_server.url}/center/platforms/")
    row(page).get_by_role("button", name=re.compile("^上报")).click()
    expect(row(page).get_by_role("cell", name="平台：申报单位审核")).to_be_visible()

    # sldx_admin (法人登录): 备案：待审核 1 on the center page (W2) → 审核 → 通过
    switch_user(page, live_server, "sldx_admin", tab="法人登录")
    page.get_by_role("link", name=re.compile("备案：待审核")).click()
    tabs = page.get_by_role("navigation", name="平台列表")
    expect(tabs.get_by_role("link", name=re.compile("待审核平台"))).to_have_text(
        re.compile(r"待审核平台\s*1")
    )
    expect(row(page).get_by_role("cell", name="平台：申报单位审核")).to_be_visible()
    for label in ["审核", "查看", "流转记录", "直接不通过"]:
        expect(row(page).get_by_role("link", name=re.compile(f"^{label}"))).to_be_visible()
    assert_accessible(page)
    row(page).get_by_role("link", name=re.compile("^审核")).click()
    expect(page.get_by_text("导航栏")).to_be_visible()
    expect(page.get_by_role("link", name="返回顶部")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("通过", exact=True).check()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text(f"已审核“{NAME}”，流程阶段：平台：主管部门审核。")).to_be_visible()

    # edu_reviewer 通过
    switch_user(page, live_server, "edu_reviewer")
    open_review_list(page)
    decide(page, "通过")

    # kjt_reviewer 退回 with an opinion; first without one: the form says what is missing (W4)
    switch_user(page, live_server, "kjt_reviewer")
    open_review_list(page)
    row(page).get_by_role("link", name=re.compile("^审核")).click()
    page.get_by_label("退回", exact=True).check()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("请填写审核意见。")).to_be_visible()
    page.get_by_label("退回", exact=True).check()
    page.get_by_label("审核意见").fill("合作协议缺少双方签字页，请补充后再次上报。")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text(f"已审核“{NAME}”，流程阶段：平台：退回修改。")).to_be_visible()

    # zhangsan finds it again in 待上报平台 (W6) and resubmits
    switch_user(page, live_server, "zhangsan")
    page.goto(f"{live_server.url}/center/platforms/")
    expect(row(page).get_by_role("cell", name="平台：退回修改")).to_be_visible()
    row(page).get_by_role("button", name=re.compile("^上报")).click()
    # straight back to the stage that returned it: the unit and department do not review again
    expect(row(page).get_by_role("cell", name="平台：省科技厅审核")).to_be_visible()

    switch_user(page, live_server, "sldx_admin", tab="法人登录")
    open_review_list(page)
    expect(page.get_by_text("暂无待审核的平台。")).to_be_visible()

    # kjt_reviewer 通过 → 完成
    switch_user(page, live_server, "kjt_reviewer")
    open_review_list(page)
    expect(row(page).get_by_role("cell", name="平台：省科技厅审核")).to_be_visible()
    decide(page, "通过", "同意备案。")

    # zhangsan sees 平台：完成 in 所有平台, and 流转记录 in a dialog with all six steps (F12, F13)
    switch_user(page, live_server, "zhangsan")
    page.goto(f"{live_server.url}/center/platforms/?tab=all")
    expect(row(page).get_by_role("cell", name="平台：完成")).to_be_visible()
    row(page).get_by_role("link", name=re.compile("^流转记录")).click()
    dialog = page.get_by_role("dialog", name=f"流转记录：{NAME}")
    expect(dialog).to_be_visible()
    steps = dialog.locator("tbody tr")
    expect(steps).to_have_count(6)
    expect(steps.nth(0)).to_contain_text("平台：填报中 → 平台：申报单位审核")
    expect(steps.nth(1)).to_contain_text("示例科技大学科技处")
    expect(steps.nth(3)).to_contain_text("合作协议缺少双方签字页")
    expect(steps.nth(4)).to_contain_text("平台：退回修改 → 平台：省科技厅审核")
    expect(steps.nth(5)).to_contain_text("平台：省科技厅审核 → 平台：完成")
    expect(steps.nth(0).locator("time")).to_have_text(re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"))
    assert_accessible(page)
    dialog.get_by_role("button", name="关闭").click()
    expect(dialog).to_be_hidden()

    # The same records as a plain page (no JavaScript needed)
    page.goto(row(page).get_by_role("link", name=re.compile("^流转记录")).get_attribute("href"))
    expect(page.get_by_role("heading", level=1, name=f"流转记录：{NAME}")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(6)
    assert_accessible(page)


def test_W5_direct_rejection_with_confirmation(page, live_server, demo):
    from kechuang.review import transitions

    transitions.submit(complete_filing(demo.zhangsan, demo.business, name=NAME), demo.zhangsan)
    switch_user(page, live_server, "sldx_admin", tab="法人登录")
    open_review_list(page)
    row(page).get_by_role("link", name=re.compile("^直接不通过")).click()
    expect(page.get_by_text(f"确认将平台备案“{NAME}”")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="确认直接不通过").click()
    expect(page.get_by_text("请填写审核意见。")).to_be_visible()
    page.get_by_label("审核意见").fill("不属于国际科技合作平台。")
    page.get_by_role("button", name="确认直接不通过").click()
    expect(page.get_by_text(f"“{NAME}”已直接不通过。")).to_be_visible()
    page.get_by_role("link", name=re.compile("所有平台")).click()
    expect(row(page).get_by_role("cell", name="平台：不通过")).to_be_visible()
