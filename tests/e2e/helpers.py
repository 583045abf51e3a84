"""Steps shared by browser tests: logging in as a person would, and the axe-core accessibility check."""

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def login(page, live_server, username, tab="个人登录", password="Demo@2026"):
    """Log in through the login page's tab (个人登录 or 法人登录), finding fields by their labels."""
    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name=tab).click()
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def assert_accessible(page):
    """Run axe-core (WCAG 2.1 A/AA rules) on the current page; fail on any serious or critical finding."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, so the page's strict CSP stays on for everything else.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
    )
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    details = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}" for v in bad
    ]
    assert not bad, f"axe-core found {len(bad)} serious/critical problems on {page.url}:\n" + "\n".join(
        details
    )
    return result
