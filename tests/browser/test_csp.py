"""The Content-Security-Policy in the browser: the pages keep to it, and the check that every
browser test makes (conftest.py: `window.__cspViolations`, asserted with each axe check)
does fail when a page breaks it."""

import pytest
from playwright.sync_api import Page, Route

from tests.browser.conftest import (
    CSP_VIOLATIONS_JS,
    assert_no_csp_violations,
    csp_violations,
)

pytestmark = pytest.mark.browser

# What an attacker's markup would bring into a page: an inline script, an inline style, a style
# attribute and a script of the app's own origin that calls eval.
INJECTED = (
    "<script>window.__injected = true;</script>"
    "<style>body { color: red; }</style>"
    '<p style="color: red">injected</p>'
    '<script src="/static/csp-probe.js"></script>'
)
PROBE_JS = """
try { eval("window.__evaluated = true"); } catch (error) { window.__evalRefused = true; }
"""


def test_the_check_fails_when_a_page_breaks_the_policy(browser, live_server):
    """The login page as the server sends it (its headers, its policy) with markup injected:
    Chromium blocks each piece, the collector reports it, and the check fails."""
    context = browser.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        page.add_init_script(CSP_VIOLATIONS_JS)

        def inject(route: Route) -> None:
            response = route.fetch()
            body = response.text().replace("</main>", INJECTED + "</main>")
            route.fulfill(response=response, body=body)

        page.route("**/konto/login/", inject)
        page.route(
            "**/static/csp-probe.js",
            lambda route: route.fulfill(body=PROBE_JS, content_type="text/javascript"),
        )
        response = page.goto("/konto/login/", wait_until="load")
        assert response is not None and response.status == 200
        directives = [d.strip() for d in response.headers["content-security-policy"].split(";")]
        assert "script-src 'self'" in directives

        assert page.evaluate("window.__injected") is None
        assert page.evaluate("window.__evaluated") is None
        assert page.evaluate("window.__evalRefused") is True
        assert page.evaluate("getComputedStyle(document.body).color") != "rgb(255, 0, 0)"
        reported = {(v["directive"], v["blocked"]) for v in csp_violations(page)}
        assert {
            ("script-src-elem", "inline"),
            ("style-src-elem", "inline"),
            ("style-src-attr", "inline"),
            ("script-src", "eval"),
        } <= reported, reported
        with pytest.raises(AssertionError, match="script-src-elem blocked inline"):
            assert_no_csp_violations(page)
    finally:
        context.close()


def test_the_pages_keep_to_the_policy(page: Page, visit):
    """The login page under the policy and its headers: htmx without eval and without its
    inline indicator styles, no <style> in the page, no complaint about the headers."""
    console = []
    page.on("console", lambda message: console.append(message.text))
    response = visit("/konto/login/")  # asserts no CSP violation (with axe)
    headers = response.headers
    policy = dict(
        (part.split(" ", 1) + [""])[:2] for part in headers["content-security-policy"].split("; ")
    )
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "camera=()" in headers["permissions-policy"]
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cross-origin-opener-policy"] == "same-origin"

    assert page.evaluate("htmx.config.allowEval") is False
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    assert page.evaluate("document.querySelectorAll('style, [style]').length") == 0
    assert not [text for text in console if "Permissions-Policy" in text or "Security" in text]
