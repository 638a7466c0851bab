"""Real headless Chromium (Debian's package) driven by Playwright, against a live server.

Where Chromium is missing these tests skip, unless REQUIRE_BROWSER=1 (as in .ci/run): then a
missing browser fails the run.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pytest
from flask import Flask
from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from portal.db import db
from portal.demo import DEMO_TOTP_SECRET
from tests.conftest import make_test_app, totp_code

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


_RESPONSE = "tests.live_server.response"


class _Response:
    """The app's response iterable, closed once, by Werkzeug or (when the browser went away) by us."""

    def __init__(self, iterable: Iterable[bytes]) -> None:
        self.iterable = iterable
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.iterable)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            close = getattr(self.iterable, "close", None)
            if close is not None:
                close()


class _Handler(WSGIRequestHandler):
    def connection_dropped(self, error: BaseException, environ: dict | None = None) -> None:
        # When the browser leaves a page while a response is still being sent (it aborts a pending load),
        # Werkzeug stops without closing the response, and a static file stays open for the garbage
        # collector. Close it now.
        response = (environ or {}).get(_RESPONSE)
        if response is not None:
            response.close()


class _Server(ThreadedWSGIServer):
    """Werkzeug's threaded server that keeps track of the threads serving a connection, so that the
    test can wait for them (Werkzeug's own server leaves them running as daemon threads)."""

    block_on_close = False  # finish_connections() waits, with a time limit; server_close() would not

    def __init__(self, app: Flask) -> None:
        def remember_response(environ, start_response):
            response = _Response(app(environ, start_response))
            environ[_RESPONSE] = response
            return response

        super().__init__("127.0.0.1", 0, remember_response, handler=_Handler)
        self._serving: dict[threading.Thread, socket.socket] = {}
        self._lock = threading.Lock()

    def process_request(self, request, client_address) -> None:
        thread = threading.Thread(target=self.process_request_thread, args=(request, client_address), daemon=True)
        with self._lock:
            self._serving[thread] = request  # before it starts, so that shutdown() never misses it
        thread.start()

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._lock:
                del self._serving[threading.current_thread()]

    def finish_connections(self, grace: float = 5.0) -> None:
        """Wait for the connections still being served; end those that never sent a request (Chromium
        opens some ahead of time) when the grace period is over."""
        deadline = time.monotonic() + grace
        for _ in range(2):
            with self._lock:
                serving = dict(self._serving)
            for thread in serving:
                thread.join(max(0.0, deadline - time.monotonic()))
            with self._lock:
                left = dict(self._serving)
            if not left:
                return
            for connection in left.values():
                with contextlib.suppress(OSError):  # closed in the meantime
                    connection.shutdown(socket.SHUT_RDWR)
            deadline = time.monotonic() + grace
        raise RuntimeError(f"the live server still serves {len(left)} connection(s) after being stopped")


class LiveServer:
    """An app on a free port of 127.0.0.1, served in a thread of this process."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.server = _Server(app)
        self.thread = threading.Thread(target=self.server.serve_forever, name="live-server", daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def stop(self) -> None:
        """Stop cleanly: accept nothing more, let the requests in progress finish, then close the app's
        database connections, so none is left to the garbage collector (psycopg warns about those) and
        PostgreSQL has no open transaction when the next fixture empties the tables."""
        self.server.shutdown()
        self.thread.join()
        self.server.server_close()
        self.server.finish_connections()
        with self.app.app_context():
            db.session.remove()
            still_out = {name: engine.pool.checkedout() for name, engine in db.engines.items()}
            for engine in db.engines.values():
                engine.dispose()
        # Every request ended its app context, and Flask-SQLAlchemy's teardown then gave its connection back.
        assert not any(still_out.values()), f"connections still checked out after the last request: {still_out}"


@pytest.fixture
def live_server(app, database_url) -> Iterator[str]:
    """The app on a free port on 127.0.0.1, with CSRF switched on as in production."""
    server = LiveServer(make_test_app(database_url, WTF_CSRF_ENABLED=True))
    try:
        yield server.url
    finally:
        server.stop()


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
        if self.page.url.endswith("/login/code"):
            # The test world's staff have the demo secret; a code used this half-minute takes the next one.
            for at in (time.time(), time.time() + 30):
                self.page.fill("#code", totp_code(DEMO_TOTP_SECRET, at=at))
                self.page.click("#second-step-form button[type=submit]")
                self.page.wait_for_load_state("networkidle")
                if not self.page.url.endswith("/login/code"):
                    break


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
    try:
        yield watched
    finally:
        context.close()  # also when a test closes this generator itself (test_every_page)


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
