"""The whole review path of test_review_flow.py in English (issue 12 item 7), fields and buttons found by their
English labels, with axe-core on the English pages: each person chooses English with the header's switch
(English | 中文) before signing in and once signed in; later logins from a fresh browser follow the account.
zhangsan Submit → sldx_admin (Legal entity login) Approve → edu_reviewer Approve → kjt_reviewer Return with
comments → zhangsan resubmits → straight to Provincial review → kjt_reviewer Approve → Platform: Completed, with
six rows of Workflow history. Heavy (a browser, four people), so it runs in the PostgreSQL pass (marker once)."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import complete_filing

from .helpers import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.once]

NAME = "寒地新材料国际联合实验室"  # as typed: shown in Chinese on English pages
CHOSEN = set()


def sign_in(page, live_server, username, tab="Personal login"):
    """A fresh browser; the first time, the person picks English on the login page and again once signed in
    (kept on the account); after that the account alone makes the pages English."""
    if username in CHOSEN:
        fresh_login_is_english(page, live_server, username, tab)
        return
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name=tab).click()
    page.get_by_label("Account").fill(username)
    page.get_by_label("Password").fill("Demo@2026")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Welcome:")).to_be_visible()
    page.get_by_role("button", name="English").click()  # signed in: remembered on the account
    CHOSEN.add(username)
    expect(page.locator("html")).to_have_attribute("lang", "en")


def fresh_login_is_english(page, live_server, username, tab="Personal login"):
    """No switch: a fresh browser is Chinese until the account is known, then English."""
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    page.get_by_role("link", name="个人登录" if tab == "Personal login" else "法人登录").click()
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill("Demo@2026")
    page.get_by_role("button", name="登录").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("Welcome:")).to_be_visible()


def open_review_list(page):
    menu = page.get_by_role("navigation", name="Personal center menu")
    if not menu.get_by_role("link", name="Platform review and search").is_visible():
        menu.get_by_text("S&T innovation platform management").click()
    menu.get_by_role("link", name="Platform review and search").click()
    expect(page.get_by_role("heading", level=1, name="Platform review and search")).to_be_visible()


def row(page):
    return page.get_by_role("row").filter(has_text=NAME)


def decide(page, decision, opinion=""):
    row(page).get_by_role("link", name=re.compile("^Review")).click()
    expect(page.get_by_role("heading", level=1, name=f"Review: {NAME}")).to_be_visible()
    page.get_by_label(decision, exact=True).check()
    if opinion:
        page.get_by_label("Review comments").fill(opinion)
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text(f"Reviewed “{NAME}”")).to_be_visible()


def test_the_whole_review_path_in_english(page, live_server, demo):
    CHOSEN.clear()
    complete_filing(demo.zhangsan, demo.business, name=NAME)

    sign_in(page, live_server, "zhangsan")
    page.goto(f"{live_server.url}/center/platforms/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("My platforms"))
    assert_accessible(page)
    row(page).get_by_role("button", name=re.compile("^Submit")).click()
    expect(row(page).get_by_role("cell", name="Platform: Host unit review")).to_be_visible()
    expect(page.get_by_text("上报")).to_have_count(0)

    sign_in(page, live_server, "sldx_admin", tab="Legal entity login")
    page.get_by_role("link", name=re.compile("Filings: awaiting review")).click()
    tabs = page.get_by_role("navigation", name="Platform list")
    expect(tabs.get_by_role("link", name=re.compile("Platforms awaiting review"))).to_have_text(
        re.compile(r"Platforms awaiting review\s*1")
    )
    for label in ["Review", "View", "Workflow history", "Reject directly"]:
        expect(row(page).get_by_role("link", name=re.compile(f"^{label}"))).to_be_visible()
    assert_accessible(page)
    row(page).get_by_role("link", name=re.compile("^Review")).click()
    expect(page.get_by_text("Navigation", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Back to top")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Approve", exact=True).check()
    page.get_by_role("button", name="Submit").click()
    expect(
        page.get_by_text(f"Reviewed “{NAME}”; workflow stage: Platform: Competent department review.")
    ).to_be_visible()

    sign_in(page, live_server, "edu_reviewer")
    open_review_list(page)
    decide(page, "Approve")

    sign_in(page, live_server, "kjt_reviewer")
    open_review_list(page)
    row(page).get_by_role("link", name=re.compile("^Review")).click()
    page.get_by_label("Return", exact=True).check()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("Please write the review comments.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Return", exact=True).check()
    page.get_by_label("Review comments").fill("合作协议缺少双方签字页，请补充后再次上报。")
    page.get_by_role("button", name="Submit").click()
    expect(
        page.get_by_text(f"Reviewed “{NAME}”; workflow stage: Platform: Returned for revision.")
    ).to_be_visible()

    # the account remembers: a fresh browser, no switch, English after login
    fresh_login_is_english(page, live_server, "zhangsan")
    page.goto(f"{live_server.url}/center/platforms/")
    expect(row(page).get_by_role("cell", name="Platform: Returned for revision")).to_be_visible()
    row(page).get_by_role("button", name=re.compile("^Submit")).click()
    expect(row(page).get_by_role("cell", name="Platform: Provincial review")).to_be_visible()

    fresh_login_is_english(page, live_server, "sldx_admin", tab="Legal entity login")
    open_review_list(page)
    expect(page.get_by_text("No platforms awaiting review.")).to_be_visible()

    sign_in(page, live_server, "kjt_reviewer")
    open_review_list(page)
    decide(page, "Approve", "同意备案。")

    sign_in(page, live_server, "zhangsan")
    page.goto(f"{live_server.url}/center/platforms/?tab=all")
    expect(row(page).get_by_role("cell", name="Platform: Completed")).to_be_visible()
    row(page).get_by_role("link", name=re.compile("^Workflow history")).click()
    dialog = page.get_by_role("dialog", name=f"Workflow history: {NAME}")
    expect(dialog).to_be_visible()
    steps = dialog.locator("tbody tr")
    expect(steps).to_have_count(6)
    expect(steps.nth(0)).to_contain_text("Platform: Being filled in → Platform: Host unit review")
    expect(steps.nth(0)).to_contain_text("Submit")
    expect(steps.nth(1)).to_contain_text("示例科技大学科技处")  # a unit's name, as registered
    expect(steps.nth(3)).to_contain_text("合作协议缺少双方签字页")  # the comments, as typed
    expect(steps.nth(4)).to_contain_text("Platform: Returned for revision → Platform: Provincial review")
    expect(steps.nth(5)).to_contain_text("Platform: Provincial review → Platform: Completed")
    expect(steps.nth(0).locator("time")).to_have_text(
        re.compile(r"^\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2}$")
    )
    expect(dialog).not_to_contain_text("平台：")
    assert_accessible(page)
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()

    # switching back to Chinese works signed in, and the Chinese labels are exactly the spec's
    page.get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(row(page).get_by_role("cell", name="平台：完成")).to_be_visible()
    assert_accessible(page)
