"""Real headless Chromium (Debian's package) driven by Playwright, against a live server.

Where Chromium is missing these tests skip, unless REQUIRE_BROWSER=1 (as in .ci/run): then a
missing browser fails the run.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from werkzeug.serving import make_server

from portal.db import db
from tests.conftest import make_test_app

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 360, "height": 740}

CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("REQUIRE_BROWSER=1 but no chromium executable was found")
        pytest.skip("chromium is not installed; browser tests skipped (CI sets REQUIRE_BROWSER=1)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app, database_url) -> Iterator[str]:
    """The app on a free port on 127.0.0.1, with CSRF switched on as in production."""
    served = make_test_app(database_url, WTF_CSRF_ENABLED=True)
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    with served.app_context():
        db.engine.dispose()  # PostgreSQL: give the connections back before the next test empties tables


@dataclass
class Watched:
    """A page plus what went wrong in it: console errors, failed requests, CSP violations."""

    page: object
    base: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    javascript: bool = True

    def goto(self, path: str):
        return self.page.goto(self.base + path)

    def csp_violations(self) -> list[str]:
        if not self.javascript:
            return []  # without JavaScript nothing runs that could be blocked
        return self.page.evaluate("window.__cspViolations || []")

    def assert_clean(self) -> None:
        assert self.console_errors == [], self.console_errors
        assert self.failed_requests == [], self.failed_requests
        assert self.foreign_requests == [], "nothing may be loaded from another host"
        assert self.csp_violations() == []

    def sign_in(self, username: str, password: str) -> None:
        self.goto("/login")
        self.page.fill("#username", username)
        self.page.fill("#password", password)
        self.page.click("#login-form button[type=submit]")
        self.page.wait_for_load_state("networkidle")


def _watched(browser, live_server: str, *, viewport: dict, locale: str,
             javascript: bool = True) -> Iterator[Watched]:
    context = browser.new_context(viewport=viewport, locale=locale, is_mobile=viewport == PHONE,
                                  has_touch=viewport == PHONE, java_script_enabled=javascript)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    watched = Watched(page=page, base=live_server, javascript=javascript)

    def only_this_host(route) -> None:
        if route.request.url.startswith(live_server) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            watched.foreign_requests.append(route.request.url)
            route.abort()

    context.route("**/*", only_this_host)
    def on_console(message) -> None:
        # A 422 is how a form answers bad input (htmx swaps it in); Chromium logs every 4xx as an error.
        if message.type == "error" and "status of 422" not in message.text:
            watched.console_errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda e: watched.console_errors.append(str(e)))
    def on_failed(request) -> None:
        # Leaving a page aborts what it was still loading (an icon, say): that is not a failure.
        if request.failure != "net::ERR_ABORTED":
            watched.failed_requests.append(f"{request.method} {request.url} {request.failure}")

    page.on("requestfailed", on_failed)
    yield watched
    context.close()


@pytest.fixture
def phone(browser, live_server) -> Iterator[Watched]:
    """A 360×740 touch phone."""
    yield from _watched(browser, live_server, viewport=PHONE, locale="nl-NL")


@pytest.fixture
def phone_ar(browser, live_server) -> Iterator[Watched]:
    """A 360×740 touch phone whose browser asks for Arabic."""
    yield from _watched(browser, live_server, viewport=PHONE, locale="ar")


@pytest.fixture
def phone_without_js(browser, live_server) -> Iterator[Watched]:
    """A 360×740 phone with JavaScript switched off: the resident side must still work."""
    yield from _watched(browser, live_server, viewport=PHONE, locale="nl-NL", javascript=False)


@pytest.fixture
def desktop(browser, live_server) -> Iterator[Watched]:
    yield from _watched(browser, live_server, viewport={"width": 1280, "height": 900}, locale="nl-NL")


def assert_accessible(page) -> None:
    """axe-core (WCAG 2.1 A and AA rules) finds no violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a",
                                                                               "wcag21aa"]}})
    assert results.violations_count == 0, results.generate_report()
