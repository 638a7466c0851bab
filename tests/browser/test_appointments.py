"""Appointments in a real browser: yonas answers on a phone in Tigrinya; sanne plans and sees her week."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.appointments.models import LOCAL_TZ, Appointment
from portal.appointments.queries import working_week
from portal.caseload.models import Resident
from portal.db import db, utcnow
from tests.appointments.factories import make_appointment
from tests.browser.conftest import PHONE, _watched, assert_accessible
from tests.conftest import build_world
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def phone_ti(browser, live_server):
    """A 360×740 touch phone whose browser asks for Tigrinya."""
    yield from _watched(browser, live_server, viewport=PHONE, locale="ti")


def _at(days: int, hour: int) -> datetime:
    day = (utcnow() + timedelta(days=days)).astimezone(LOCAL_TZ).date()
    return datetime.combine(day, time(hour, 0), tzinfo=LOCAL_TZ).astimezone(UTC)


@pytest.fixture
def agenda(app):
    """The world, with two upcoming appointments for yonas and a busy, overlapping week for sanne."""
    with app.app_context():
        world = build_world()
        yonas = db.session.get(Resident, world.yonas_id)
        amina = db.session.get(Resident, world.amina_id)
        first = make_appointment(resident=yonas, starts_at=_at(2, 10), kind="broad_intake",
                                 interpreter_language="ti", bring="Paspoort")
        second = make_appointment(resident=yonas, starts_at=_at(4, 14), kind="language_school",
                                  location="Schoolstraat 5, Wegwijk", staff_id=None, with_other="Docent")
        overlap = make_appointment(resident=amina, starts_at=_at(2, 10) + timedelta(minutes=30), kind="pip_talk",
                                   response="change_requested", change_reason="Ik heb dan les.")
        make_appointment(resident=amina, starts_at=_at(9, 11), kind="pvt", location_kind="phone", location="")
        db.session.commit()
        return world, first.id, second.id, overlap.id


def _week(day) -> str:
    year, number, _ = day.isocalendar()
    return f"{year}-W{number:02d}"


def _go(watched, path: str) -> None:
    """Navigate once the current page is quiet, so no late request (the icon) is cut off."""
    watched.page.wait_for_load_state("networkidle")
    watched.goto(path)


def _response(app, appointment_id: int) -> tuple[str | None, str]:
    with app.app_context():
        appointment = db.session.get(Appointment, appointment_id)
        return appointment.response, appointment.change_reason


def test_yonas_confirms_and_asks_for_another_time_on_a_phone_in_tigrinya(app, phone_ti, agenda) -> None:
    _world, first, second, _ = agenda
    page = phone_ti.page
    phone_ti.sign_in("yonas", PASSWORD)
    _go(phone_ti, "/appointments")
    assert page.get_attribute("html", "lang") == "ti"
    assert page.get_attribute("html", "dir") == "ltr"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    expect(page.locator(f"#appointment-{first}")).to_be_visible()
    assert_accessible(page)
    page.evaluate("window.__marker = 'same page'")

    page.click(f"#confirm-{first}")
    expect(page.locator(f"#appointment-{first} .appointment__status--ok")).to_be_visible()
    expect(page.locator(f"#confirm-{first}")).to_have_count(0)

    page.click(f"#change-{second} summary")
    page.fill(f"#a{second}-reason", "ትምህርቲ ኣለኒ። Ik heb dan school.")
    page.click(f"#change-{second} button[type=submit]")
    status = page.locator(f"#appointment-{second} .appointment__status--asked")
    expect(status).to_contain_text("Ik heb dan school.")
    expect(status).to_contain_text("ትምህርቲ ኣለኒ።")
    assert page.evaluate("window.__marker") == "same page", "htmx swapped the cards, no reload"
    assert_accessible(page)

    assert _response(app, first) == ("confirmed", "")
    assert _response(app, second) == ("change_requested", "ትምህርቲ ኣለኒ። Ik heb dan school.")
    page.wait_for_load_state("networkidle")
    page.reload()
    expect(page.locator(f"#appointment-{first} .appointment__status--ok")).to_be_visible()
    expect(page.locator(f"#appointment-{second} .appointment__status--asked")).to_be_visible()
    # Touch targets of at least 44 px.
    for selector in (f"#change-{second} summary", f"#appointment-{second} a[download]"):
        assert page.locator(selector).bounding_box()["height"] >= 44
    phone_ti.assert_clean()


def test_a_bad_change_request_shows_the_message_in_place(app, phone_ti, agenda) -> None:
    _world, _first, second, _ = agenda
    page = phone_ti.page
    phone_ti.sign_in("yonas", PASSWORD)
    _go(phone_ti, "/appointments")
    page.click(f"#change-{second} summary")
    page.click(f"#change-{second} button[type=submit]")
    expect(page.locator(f"#a{second}-reason-error")).to_be_visible()
    expect(page.locator(f"#a{second}-reason")).to_have_attribute("aria-invalid", "true")
    assert _response(app, second) == (None, "")
    assert_accessible(page)
    phone_ti.assert_clean()


def test_resident_confirms_without_javascript(app, phone_without_js, agenda) -> None:
    _world, first, _second, _ = agenda
    page = phone_without_js.page
    phone_without_js.sign_in("yonas", PASSWORD)
    _go(phone_without_js, "/appointments")
    page.click(f"#confirm-{first}")
    page.wait_for_load_state()
    assert page.url.endswith(f"/appointments#appointment-{first}")
    expect(page.locator(f"#appointment-{first} .appointment__status--ok")).to_be_visible()
    assert _response(app, first) == ("confirmed", "")
    phone_without_js.assert_clean()


def test_staff_week_is_accessible_and_pages_without_reload(desktop, agenda) -> None:
    _world, first, _second, overlap = agenda
    page = desktop.page
    desktop.sign_in("sanne", PASSWORD)
    page.wait_for_load_state("networkidle")
    page.click("text=Mijn week")
    page.wait_for_load_state()
    assert_accessible(page)
    page.evaluate("window.__marker = 'same page'")
    shown = working_week(utcnow().astimezone(LOCAL_TZ).date())
    target = _week(_at(2, 10).astimezone(LOCAL_TZ).date())
    page.click("#week nav a >> text=Volgende week")
    expect(page).to_have_url(re.compile(f"week={_week(shown + timedelta(days=7))}$"))
    page.click("#week nav a >> text=Deze week")
    expect(page).to_have_url(re.compile(f"week={_week(shown)}$"))
    if target != _week(shown):
        page.click("#week nav a >> text=Volgende week")
        expect(page).to_have_url(re.compile(f"week={target}$"))
    expect(page.locator(f"#week-appointment-{first}")).to_be_visible()
    expect(page.locator(f"#week-appointment-{overlap}")).to_contain_text("Let op: overlapt")
    expect(page.locator(f"#week-appointment-{overlap}")).to_contain_text("Ik heb dan les.")
    assert page.evaluate("window.__marker") == "same page"
    assert_accessible(page)
    desktop.assert_clean()


def test_staff_plans_edits_and_cancels_inline(app, desktop, agenda) -> None:
    world = agenda[0]
    page = desktop.page
    page.on("dialog", lambda dialog: dialog.accept())
    desktop.sign_in("sanne", PASSWORD)
    _go(desktop, f"/staff/residents/{world.amina_id}")
    panel = page.locator(f"#appointments-{world.amina_id}")
    expect(panel).to_be_visible()  # loaded lazily into the file
    assert_accessible(page)
    page.evaluate("window.__marker = 'same page'")

    page.click(f"#appointment-new-{world.amina_id} a")
    form = page.locator(f"#appointment-new-{world.amina_id} form")
    expect(form).to_be_visible()
    day = (utcnow() + timedelta(days=10)).astimezone(LOCAL_TZ).date()
    form.locator("#new-kind").select_option("map")
    form.locator("#new-day").fill(day.isoformat())
    form.locator("#new-start").fill("09:00")
    form.locator("#new-end").fill("08:00")
    form.locator("button[type=submit]").click()
    expect(page.locator("#new-end-error")).to_be_visible()
    assert_accessible(page)
    page.locator("#new-end").fill("10:30")
    page.locator("#new-location").fill("Industrieweg 40, Wegwijk")
    page.locator("#new-interpreter_language").select_option("ar")
    page.locator(f"#appointment-new-{world.amina_id} button[type=submit]").click()
    expect(page.locator(f"#appointment-new-{world.amina_id} form")).to_have_count(0)
    expect(panel.locator("article h4").filter(has_text="Arbeidsmarkt en participatie (MAP)")).to_have_count(1)
    with app.app_context():
        created = db.session.scalars(select(Appointment).where(Appointment.kind == "map")).one()
        created_id = created.id
        assert created.local_start.strftime("%H:%M") == "09:00"

    row = page.locator(f"#appointment-{created_id}")
    row.locator("text=Wijzigen").click()
    edit = page.locator(f"#appointment-{created_id} form")
    expect(edit).to_be_visible()
    edit.locator(f"#edit{created_id}-start").fill("13:00")
    edit.locator(f"#edit{created_id}-end").fill("14:00")
    edit.locator("button[type=submit]").click()
    expect(page.locator(f"#appointment-{created_id}")).to_contain_text("13:00–14:00")

    page.locator(f"#appointment-{created_id} button[type=submit]").click()
    expect(page.locator(f"#appointment-{created_id}")).to_contain_text("Geannuleerd")
    assert page.evaluate("window.__marker") == "same page"
    with app.app_context():
        stored = db.session.get(Appointment, created_id)
        assert (stored.status, stored.sequence) == ("cancelled", 2)
    desktop.assert_clean()
