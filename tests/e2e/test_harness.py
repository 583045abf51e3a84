"""The browser harness itself: Chromium reaches the live server, the CSP is on, and axe-core really runs."""

import pytest

from .helpers import assert_accessible


def test_home_page_loads_in_chromium_with_strict_csp(page, live_server, demo):
    response = page.goto(live_server.url + "/")
    assert response.status == 200
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert page.get_by_role("link", name="科技创新平台").first.is_visible()
    result = assert_accessible(page)
    assert result["passes"], "axe-core ran no rule at all"


def test_axe_check_catches_a_real_problem(page, live_server, demo):
    """The check must be able to fail: an image without alt text is a critical finding."""
    page.goto(live_server.url + "/")
    page.evaluate("document.body.appendChild(Object.assign(document.createElement('img'), {src: '/x.png'}))")
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)
