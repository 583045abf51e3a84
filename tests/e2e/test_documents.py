"""Documents in the browser (issue 13): the buttons on 查看 and the review list download the PDFs, 导出Excel
downloads the list, the 验真 page and the 推荐汇总表 page are axe-clean under the CSP."""

from playwright.sync_api import expect

from kechuang.documents import pdf
from kechuang.documents.verification import verification_path
from kechuang.filings.models import Filing
from tests.factories import at_stage, submitted_filing

from .helpers import assert_accessible, login


def test_download_buttons_and_export(page, live_server, demo):
    filing = submitted_filing(demo, name="浏览器文书平台")
    # Rendered before: the browser test is about the buttons, the rendering's time is bench/documents.py's
    pdf.cached_form(pdf.load_filing(Filing.objects.all(), filing.public_id), live_server.url)
    login(page, live_server, "sldx_admin", tab="法人登录")
    page.goto(f"{live_server.url}/center/review/")
    expect(page.get_by_role("link", name="下载备案表 ：浏览器文书平台")).to_be_visible()
    expect(page.get_by_role("link", name="下载完整材料 ：浏览器文书平台")).to_be_visible()
    assert_accessible(page)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("link", name="下载备案表 ：浏览器文书平台").click(no_wait_after=True)
    assert download.value.suggested_filename.endswith("备案表.pdf")
    assert filing.number in download.value.suggested_filename
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("link", name="导出Excel").click(no_wait_after=True)
    assert download.value.suggested_filename.endswith(".xlsx")

    page.goto(f"{live_server.url}/filings/{filing.public_id}/")
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("link", name="下载完整材料").click(no_wait_after=True)
    assert download.value.suggested_filename.endswith("完整备案材料.pdf")
    assert_accessible(page)


def test_verify_and_summary_pages(page, live_server, demo):
    filing = at_stage(demo, 3, name="浏览器推荐平台")
    page.goto(live_server.url + verification_path(Filing.objects.get(pk=filing.pk)))
    expect(page.get_by_text("内容与系统记录一致")).to_be_visible()
    expect(page.get_by_text(filing.number)).to_be_visible()
    assert_accessible(page)

    login(page, live_server, "edu_reviewer")
    page.goto(f"{live_server.url}/center/review/")
    page.get_by_role("link", name="推荐汇总表").click()
    expect(page.get_by_role("rowheader", name="浏览器推荐平台")).to_be_visible()
    assert_accessible(page)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("link", name="导出PDF").click(no_wait_after=True)
    assert download.value.suggested_filename.endswith(".pdf")
