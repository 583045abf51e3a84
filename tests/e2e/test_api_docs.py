"""The API docs page in Chromium: Swagger UI renders every operation from the bundled files, under the strict
CSP (the page fixture fails on any violation), without a request to another origin, and axe-core clean."""

from .helpers import assert_accessible


def test_api_docs_render_without_csp_violations_or_outside_requests(page, live_server, db):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=15_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert {path.replace("\u200b", "").strip() for path in paths} == {
        "/api/v1/businesses",
        "/api/v1/statistics",
        "/api/v1/filings",
        "/api/v1/filings/{filing_id}",
        "/api/v1/filings/{filing_id}/attachments/{attachment_id}",
        "/api/v1/filings/{filing_id}/flow",
    }
    page.get_by_role("button", name="Authorize").first.wait_for()
    assert_accessible(page)
    outside = [url for url in requests if not url.startswith(live_server.url) and not url.startswith("data:")]
    assert not outside, outside
