"""Browser walk-through of the manual's scenario “依托单位信息与实际有出入” (U1, S1), with axe-core checks.

法人登录 → 姓名 → 单位管理 → 修改注册信息 → 保存并提交审核; the system administrator approves in the admin site;
个人登录 → 我的平台 → 填报 → 基本信息 → 数据同步 beside 依托单位 → 同步成功 with the new name.
"""

import pytest
from playwright.sync_api import expect

from tests.accounts.unit_factories import NEW_CODE
from tests.factories import new_filing

from .admin_login import admin_login
from .helpers import assert_accessible, login

pytestmark = pytest.mark.e2e

NEW_NAME = "示例理工大学"


def test_u1_s1_unit_name_wrong_scenario(page, live_server, demo):
    draft = new_filing(demo.zhangsan, demo.business, name="寒地新材料国际联合实验室")

    # 单位管理员: 法人登录, click the name, the last menu item 单位管理.
    login(page, live_server, "sldx_admin", tab="法人登录")
    page.locator(".account").get_by_role("link", name="示例科技大学科技处").click()
    menu = page.get_by_role("navigation", name="个人中心菜单")
    expect(menu.get_by_role("link").last).to_have_text("单位管理")
    menu.get_by_role("link", name="单位管理").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("单位管理")
    assert_accessible(page)

    page.get_by_role("link", name="修改基本信息").click()
    expect(page.get_by_label("联系人")).to_have_value("赵老师")
    page.get_by_label("邮政编码").fill("1500")
    page.get_by_role("button", name="保存基本信息").click()
    expect(page.get_by_text("邮政编码应为6位数字。")).to_be_visible()
    assert_accessible(page)  # the form with its field error
    page.get_by_label("邮政编码").fill("150001")
    page.get_by_role("button", name="保存基本信息").click()
    expect(page.get_by_text("基本信息已保存，立即生效。", exact=False)).to_be_visible()

    page.get_by_role("link", name="修改注册信息").click()
    assert_accessible(page)
    page.get_by_label("单位名称").fill(NEW_NAME)
    page.get_by_label("统一社会信用代码").fill(NEW_CODE)
    page.get_by_role("button", name="保存并提交审核").click()
    expect(page.get_by_text("注册信息已提交审核", exact=False)).to_be_visible()
    pending = page.locator(".unit-pending")
    expect(pending.get_by_text("待审核", exact=True)).to_be_visible()
    expect(pending).to_contain_text(NEW_NAME)
    # Until approved the old name is still the unit's name.
    expect(page.locator(".unit-data").first).to_contain_text("示例科技大学")
    assert_accessible(page)
    page.get_by_role("button", name="退出登录").click()

    # 系统管理员: approve in the admin site (password, then the TOTP second factor).
    admin_login(page, live_server, "admin")
    page.goto(live_server.url + "/admin/accounts/unitchange/?status__exact=pending")
    row = page.locator("#result_list tbody tr", has_text=NEW_NAME)
    row.locator("input[type=checkbox]").check()
    page.locator("select[name=action]").select_option(label="通过所选变更")
    page.get_by_role("button", name="执行").click()
    expect(page.get_by_text("已通过 1 项变更", exact=False)).to_be_visible()
    page.context.clear_cookies()

    # 负责人: 个人登录 → 我的平台 → 填报 → 基本信息 → 数据同步.
    login(page, live_server, "zhangsan")
    page.goto(live_server.url + "/center/platforms/")
    page.get_by_role("link", name="填报").first.click()
    page.get_by_role("navigation", name="填报页面").get_by_role("link", name="基本信息").click()
    snapshot = page.locator(".snapshot", has_text="依托单位")
    expect(snapshot.locator(".snapshot-value")).to_have_text("示例科技大学")
    snapshot.get_by_role("button", name="数据同步").click()
    expect(page.get_by_text("同步成功")).to_be_visible()
    expect(page.locator(".snapshot-value").first).to_have_text(NEW_NAME)
    draft.refresh_from_db()
    assert draft.unit_name == NEW_NAME

    # The 单位管理 history now shows the outcome to the unit administrator.
    page.context.clear_cookies()
    login(page, live_server, "sldx_admin", tab="法人登录")
    page.goto(live_server.url + "/center/unit/")
    history = page.locator(".unit-history").first
    expect(history).to_contain_text("已通过")
    expect(page.locator(".unit-data").first).to_contain_text(NEW_NAME)
    assert_accessible(page)
