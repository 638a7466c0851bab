"""Amina sends a phrase and a photo on a phone in Arabic; sanne answers from the inbox; the answer
appears on amina's phone without a reload. axe finds nothing; no console errors, no CSP violations."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from portal.db import db
from tests.browser.conftest import PHONE, LiveServer, _watched, assert_accessible
from tests.conftest import build_world, make_test_app
from tests.factories import PASSWORD
from tests.i18n_text import t
from tests.messages.factories import jpeg_with_gps

pytestmark = pytest.mark.browser

PHRASE_NL = "Ik heb een brief gekregen die ik niet begrijp."
# Counts the conversation's polls in the page, so a test waits for polls instead of for time: every tick
# (also one skipped while the page is hidden), every request sent with what triggered it ("every" for the
# timer, "messages-refresh" for a catch-up), and every answer handled (swapped in, or nothing new).
POLL_WATCH = """
window.__polls = {ticks: 0, sent: [], done: 0};
function __isPoll(event) {
  var elt = event.detail && event.detail.elt;
  return !!(elt && elt.hasAttribute && elt.hasAttribute('data-messages-poll'));
}
document.addEventListener('htmx:beforeRequest', function (e) { if (__isPoll(e)) window.__polls.ticks += 1; });
document.addEventListener('htmx:beforeSend', function (e) {
  if (!__isPoll(e)) return;
  var cause = e.detail.requestConfig && e.detail.requestConfig.triggeringEvent;
  window.__polls.sent.push(cause ? cause.type : 'every');
});
document.addEventListener('htmx:afterRequest', function (e) { if (__isPoll(e)) window.__polls.done += 1; });
"""
REPLY = "Dank je, Amina. Dit is een brief over je huurtoeslag. Ik bel je morgen."


@pytest.fixture
def messages_server(app, database_url, tmp_path) -> Iterator[str]:
    """Like live_server, with attachments in a temporary folder and a poll every second."""
    server = LiveServer(make_test_app(database_url, WTF_CSRF_ENABLED=True, UPLOAD_FOLDER=str(tmp_path / "uploads"),
                                      MESSAGES_POLL_SECONDS=1))
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def amina_phone(browser, messages_server):
    yield from _watched(browser, messages_server, viewport=PHONE, locale="ar")


@pytest.fixture
def sanne_desktop(browser, messages_server):
    yield from _watched(browser, messages_server, viewport={"width": 1280, "height": 900}, locale="nl-NL")


@pytest.fixture
def cast(app):
    with app.app_context():
        world = build_world()
        db.session.commit()
    return world


def test_phrase_and_photo_from_a_phone_answer_from_the_inbox(amina_phone, sanne_desktop, cast) -> None:
    phone = amina_phone.page
    amina_phone.sign_in("amina", PASSWORD)
    amina_phone.goto("/messages")
    assert phone.get_attribute("html", "dir") == "rtl" and phone.get_attribute("html", "lang") == "ar"
    expect(phone.locator(".contact")).to_contain_text("Sanne de Vries")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(phone)
    phone.evaluate("window.__marker = 'amina'")

    # A ready-made phrase: one tap sends it.
    phone.click("summary.phrases__summary")
    phrase_button = phone.locator("button.phrase[value=letter]")
    box = phrase_button.bounding_box()
    assert box["height"] >= 44
    phrase_button.click()
    log = phone.locator("#messages-list")
    expect(log.locator("article.msg--mine")).to_have_count(1)
    expect(log).to_contain_text(PHRASE_NL)

    # A photo of the letter (with a GPS position in it) from the files on the phone.
    phone.set_input_files("#message-file", files=[{"name": "brief.jpg", "mimeType": "image/jpeg",
                                                   "buffer": jpeg_with_gps()}])
    phone.click("#compose-form button[type=submit]")
    expect(log.locator("article.msg--mine")).to_have_count(2)
    expect(log.locator("article.msg--mine img")).to_have_count(1)
    expect(phone.locator("#message-body")).to_have_value("")
    assert phone.evaluate("window.__marker") == "amina"  # no reload
    assert_accessible(phone)

    # Sanne sees it first in her inbox, opens it in place and answers.
    desk = sanne_desktop.page
    sanne_desktop.sign_in("sanne", PASSWORD)
    sanne_desktop.goto("/staff/messages")
    first_row = desk.locator(".inbox-row").first
    expect(first_row).to_contain_text("Amina Haddad")
    expect(first_row).to_contain_text("2 nieuw")
    expect(first_row).to_contain_text("Arabisch")
    assert_accessible(desk)
    desk.evaluate("window.__marker = 'sanne'")
    first_row.locator("a").click()
    pane = desk.locator("#inbox-pane")
    expect(pane).to_contain_text(PHRASE_NL)
    expect(pane.locator("img")).to_have_count(1)
    expect(first_row).to_contain_text("Wacht op antwoord")  # read now
    desk.fill("#reply-body", REPLY)
    desk.click("#inbox-pane form.reply button[type=submit]")
    expect(pane.locator("article.msg--mine")).to_contain_text(REPLY)
    expect(first_row).to_contain_text("Beantwoord")
    assert desk.evaluate("window.__marker") == "sanne"
    assert_accessible(desk)
    sanne_desktop.assert_clean()

    # On amina's phone the answer appears by itself, and her messages show as read.
    expect(log.locator("article.msg--theirs")).to_contain_text(REPLY, timeout=10_000)
    expect(log.locator(".msg__state--read")).to_have_count(2, timeout=10_000)
    assert phone.evaluate("window.__marker") == "amina"
    assert_accessible(phone)
    amina_phone.assert_clean()


def test_a_lost_answer_keeps_the_text_and_try_again_stores_it_once(app, amina_phone, cast) -> None:
    from sqlalchemy import func, select

    from portal.messages.models import Message

    phone = amina_phone.page
    amina_phone.sign_in("amina", PASSWORD)
    phone.add_init_script(POLL_WATCH)
    amina_phone.goto("/messages")
    state = {"lost": False}

    def lose_the_first_answer(route) -> None:
        if route.request.method == "POST" and not state["lost"]:
            state["lost"] = True
            route.fetch()  # the message reaches the server, but the answer never comes back
            route.abort()
        else:
            route.continue_()

    phone.route("**/messages", lose_the_first_answer)
    phone.fill("#message-body", "Bericht vanuit de bus")
    phone.click("#compose-form button[type=submit]")
    status = phone.locator("#compose-form [data-compose-status]")
    expect(status.locator("button")).to_be_visible()
    expect(phone.locator("#message-body")).to_have_value("Bericht vanuit de bus")
    status.locator("button").click()
    expect(phone.locator("#message-body")).to_have_value("")
    log = phone.locator("#messages-list")
    expect(log.locator("article.msg--mine")).to_have_count(1)
    polls_done = phone.evaluate("window.__polls.done")
    phone.wait_for_function("n => window.__polls.done >= n", arg=polls_done + 2, timeout=10_000)
    expect(log.locator("article.msg--mine")).to_have_count(1)  # two polls later: still once
    with app.app_context():
        assert db.session.scalar(select(func.count(Message.id))) == 1

    # A file over the limit is stopped on the phone, before it costs data.
    phone.set_input_files("#message-file", files=[{"name": "groot.jpg", "mimeType": "image/jpeg",
                                                   "buffer": b"\xff\xd8" + b"\0" * (11 * 1024 * 1024)}])
    too_large = t("ar", "Dit bestand is te groot. Een bestand mag hoogstens %(mb)s MB zijn.", mb="10")
    expect(phone.locator("#compose-form [data-compose-status]")).to_contain_text(too_large)
    assert phone.evaluate("document.getElementById('message-file').files.length") == 0
    # The lost answer itself is logged by the browser and by htmx; nothing else went wrong.
    expected = ("htmx:sendError", "htmx:afterRequest", "net::ERR_FAILED")
    assert [e for e in amina_phone.console_errors if not any(x in e for x in expected)] == []
    assert amina_phone.csp_violations() == []


def test_polling_rests_while_the_page_is_hidden(amina_phone, cast) -> None:
    phone = amina_phone.page
    amina_phone.sign_in("amina", PASSWORD)
    phone.add_init_script(POLL_WATCH)
    polls: list[str] = []
    phone.on("request", lambda r: "/messages/new" in r.url and polls.append(r.url))
    amina_phone.goto("/messages")
    # Every second in this test server: wait for two polls to be answered.
    phone.wait_for_function("() => window.__polls.done >= 2", timeout=10_000)
    assert len(polls) >= 2 and set(phone.evaluate("window.__polls.sent")) == {"every"}
    ticks, sent = phone.evaluate("Object.defineProperty(document, 'hidden', {value: true, configurable: true});"
                                 "[window.__polls.ticks, window.__polls.sent.length]")
    # Two ticks while hidden send nothing...
    phone.wait_for_function("n => window.__polls.ticks >= n", arg=ticks + 2, timeout=10_000)
    assert phone.evaluate("window.__polls.sent.length") == sent
    hidden_from = len(polls)  # by now the browser has reported every request sent before hiding
    # ...nor do two more, as the network sees it.
    phone.wait_for_function("n => window.__polls.ticks >= n", arg=ticks + 4, timeout=10_000)
    assert len(polls) == hidden_from and phone.evaluate("window.__polls.sent.length") == sent
    phone.evaluate("Object.defineProperty(document, 'hidden', {value: false, configurable: true});"
                   "document.dispatchEvent(new Event('visibilitychange'))")
    phone.wait_for_function("n => window.__polls.sent.length > n", arg=sent, timeout=10_000)
    # Catching up at once: the first request after the page shows again comes from the visibility change,
    # not from the next tick of the timer.
    assert phone.evaluate(f"window.__polls.sent[{sent}]") == "messages-refresh"
    amina_phone.assert_clean()


@pytest.fixture
def amina_phone_without_js(browser, messages_server):
    yield from _watched(browser, messages_server, viewport=PHONE, locale="ar", javascript=False)


def test_messages_work_without_javascript(amina_phone_without_js, cast) -> None:
    phone = amina_phone_without_js.page
    amina_phone_without_js.sign_in("amina", PASSWORD)
    amina_phone_without_js.goto("/messages")
    phone.click("summary.phrases__summary")
    phone.click("button.phrase[value=appointment]")
    phone.wait_for_load_state()
    assert phone.url.endswith("/messages#compose")
    log = phone.locator("#messages-list")
    expect(log).to_contain_text("Ik kan niet naar mijn afspraak komen.")
    phone.fill("#message-body", "Zonder JavaScript")
    phone.set_input_files("#message-file", files=[{"name": "brief.jpg", "mimeType": "image/jpeg",
                                                   "buffer": jpeg_with_gps((800, 600), 1)}])
    phone.click("#compose-form button[type=submit]")
    phone.wait_for_load_state()
    expect(log.locator("article.msg--mine")).to_have_count(2)
    expect(log.locator("img")).to_have_count(1)
    phone.fill("#message-body", "Hallo \u202eSanne")  # a direction override: refused, shown in place
    phone.click("#compose-form button[type=submit]")
    phone.wait_for_load_state()
    expect(phone.locator("#message-body-error")).to_be_visible()
    expect(phone.locator("#message-body")).to_have_value("Hallo \u202eSanne")
    phone.click("#messages-poll a")  # the refresh link
    phone.wait_for_load_state()
    expect(log.locator("article.msg--mine")).to_have_count(2)
    # Chromium reports the refused form (422) as a failed load; nothing else went wrong.
    assert [e for e in amina_phone_without_js.console_errors if "422" not in e] == []
    assert amina_phone_without_js.failed_requests == []
