"""国别（地区） in the browser (issue 12 item 3): type to filter the long select, Enter picks the first match; the
page stays axe-clean and CSP-clean; without JavaScript the plain select is all there is."""

from playwright.sync_api import expect

from tests.factories import new_filing

from .helpers import assert_accessible, login


def visible_labels(page):
    return page.eval_on_selector_all(
        "#id_partners-country option", "(os) => os.filter((o) => !o.hidden && o.value).map((o) => o.text)"
    )


def test_type_to_filter_the_country_select(page, live_server, demo):
    filing = new_filing(demo.zhangsan, demo.business, name="国别测试平台")
    login(page, live_server, "zhangsan")
    page.goto(f"{live_server.url}/filings/{filing.public_id}/edit/cooperation/")
    select = page.get_by_role("combobox", name="国别（地区）", exact=True)
    expect(select).to_be_visible()
    box = page.get_by_role("searchbox", name="输入名称或代码筛选")
    expect(box).to_be_visible()
    assert_accessible(page)

    box.fill("萨摩")
    assert visible_labels(page) == ["美属萨摩亚", "萨摩亚"]  # pinyin order: mei… before sa…
    box.fill("ws")
    assert visible_labels(page) == ["萨摩亚"]  # the ISO code
    box.press("Enter")  # picks the first match, never submits the form
    expect(select).to_have_value("WS")
    expect(page.get_by_role("heading", level=2, name="合作情况(近二年)")).to_be_visible()

    box.fill("中国")
    assert visible_labels(page) == ["萨摩亚", "中国香港", "中国澳门", "中国台湾"]  # the chosen one stays
    assert page.locator("#id_partners-country optgroup[label='地区']").count() == 1
    box.fill("")
    assert len(visible_labels(page)) == 248
    assert_accessible(page)


def test_without_javascript_the_plain_select_works(browser, live_server, demo, settings):
    settings.ALLOWED_HOSTS = ["*"]
    filing = new_filing(demo.zhangsan, demo.business, name="无脚本平台")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    try:
        login(page, live_server, "zhangsan")
        page.goto(f"{live_server.url}/filings/{filing.public_id}/edit/cooperation/")
        assert page.get_by_role("searchbox", name="输入名称或代码筛选").count() == 0
        page.get_by_role("combobox", name="国别（地区）", exact=True).select_option(label="萨摩亚")
        page.get_by_label("合作伙伴名称（中文）").fill("萨摩亚国立大学")
        page.get_by_label("合作伙伴类型").select_option(label="大学")
        page.get_by_label("合作起始时间").fill("2024-03-01")
        page.get_by_label("合作内容").fill("联合研究")
        page.get_by_role("button", name="添加海外合作伙伴").click()
        expect(page.get_by_text("已添加海外合作伙伴。")).to_be_visible()
        expect(page.get_by_role("cell", name="萨摩亚", exact=True)).to_be_visible()
    finally:
        context.close()
