"""Appointments over HTTP: the resident's agenda, answers, calendar files and feed; staff planning and week."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from babel.dates import format_date
from icalendar import Calendar
from sqlalchemy import func, select

from portal.appointments.models import LOCAL_TZ, Appointment, CalendarFeed
from portal.audit.models import AuditEvent
from portal.caseload.models import Resident
from portal.db import db, utcnow
from tests.accounts.data import export_data
from tests.appointments.factories import make_appointment
from tests.conftest import login
from tests.factories import make_resident
from tests.i18n_text import t

LONG = "a" * 10_000
HX = {"HX-Request": "true"}

pytestmark = pytest.mark.residents_read_dutch


def _soon(days: int = 3, hour: int = 10) -> datetime:
    day = (utcnow() + timedelta(days=days)).astimezone(LOCAL_TZ).date()
    return datetime.combine(day, time(hour, 0), tzinfo=LOCAL_TZ).astimezone(UTC)


def _add(app, resident_id: int, **overrides) -> int:
    with app.app_context():
        resident = db.session.get(Resident, resident_id)
        appointment = make_appointment(resident=resident, starts_at=overrides.pop("starts_at", _soon()), **overrides)
        db.session.commit()
        return appointment.id


def _get(app, appointment_id: int) -> Appointment:
    with app.app_context():
        appointment = db.session.get(Appointment, appointment_id)
        db.session.expunge(appointment)
        return appointment


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Appointment.id)))


def _last_sunday(month: int) -> date:
    """The last Sunday of March or October that is still ahead."""
    year = utcnow().year
    while True:
        day = date(year, month, 31)
        day -= timedelta(days=(day.weekday() + 1) % 7)
        if day > utcnow().date() + timedelta(days=1):
            return day
        year += 1


@pytest.mark.residents_read_dutch(False)  # this test needs the resident's own language
# Resident side

def test_agenda_shows_what_when_where_with_whom_interpreter_and_what_to_bring(app, client, world) -> None:
    starts_at = _soon()
    _add(app, world.amina_id, kind="broad_intake", interpreter_language="ar", bring="Paspoort\nBrief van DUO",
         location="Marktplein 1, 1234 AB Wegwijk", starts_at=starts_at)
    _add(app, world.amina_id, kind="language_school", starts_at=_soon(days=-20), with_other="Docent")
    _add(app, world.bob_id, kind="map", location="Bobs straat 1")
    login(client, "amina")
    html = client.get("/appointments").get_data(as_text=True)
    assert t("ar", "Brede intake") in html and "Sanne de Vries" in html
    assert 'href="geo:0,0?q=Marktplein%201%2C%201234%20AB%20Wegwijk"' in html
    assert 'lang="ar"' in html and "العربية" in html
    assert "Paspoort\nBrief van DUO" in html
    assert t("ar", "Taalschool") in html  # in the past list
    assert "Bobs straat" not in html
    # Arabic: the date is written the Arabic way (CLDR's full date for "ar"), the day in Amsterdam.
    in_arabic = format_date(starts_at.astimezone(LOCAL_TZ).date(), "full", locale="ar")
    assert f'<time datetime="{starts_at.isoformat()}">{in_arabic}</time>' in html
    assert format_date(starts_at.astimezone(LOCAL_TZ).date(), "full", locale="nl") not in html


@pytest.mark.parametrize("month, utc_hour", [(3, 8), (10, 9)])
def test_dst_edge_shows_the_right_local_time(app, client, world, month, utc_hour) -> None:
    sunday = _last_sunday(month)
    start = datetime(sunday.year, sunday.month, sunday.day, utc_hour, 0, tzinfo=UTC)
    with app.app_context():
        resident = make_resident(username="lotte", language="nl", contact_person=db.session.get(
            Resident, world.amina_id).contact_person)
        make_appointment(resident=resident, starts_at=start, minutes=90)
        db.session.commit()
    login(client, "lotte")
    html = client.get("/appointments").get_data(as_text=True)
    assert "van 10:00 tot 11:30" in html
    assert f"zondag {sunday.day} {'maart' if month == 3 else 'oktober'} {sunday.year}" in html


def test_phone_and_video_appointments(app, client, world) -> None:
    _add(app, world.amina_id, location_kind="phone", location="030 000 12 34")
    _add(app, world.amina_id, location_kind="video", location="https://video.example/room/1", starts_at=_soon(4))
    login(client, "amina")
    html = client.get("/appointments").get_data(as_text=True)
    assert 'href="tel:0300001234"' in html
    assert 'href="https://video.example/room/1" rel="noopener noreferrer"' in html


def test_confirm_without_javascript_redirects_and_stores(app, client, world) -> None:
    appointment_id = _add(app, world.amina_id)
    login(client, "amina")
    response = client.post(f"/appointments/{appointment_id}/confirm")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/appointments#appointment-{appointment_id}")
    assert _get(app, appointment_id).response == "confirmed"
    html = client.get("/appointments").get_data(as_text=True)
    assert "Je hebt laten weten dat je komt." in html
    assert f'id="confirm-{appointment_id}"' not in html


def test_confirm_with_htmx_swaps_the_card(app, client, world) -> None:
    appointment_id = _add(app, world.amina_id)
    login(client, "amina")
    response = client.post(f"/appointments/{appointment_id}/confirm", headers=HX)
    assert response.status_code == 200
    part = response.get_data(as_text=True)
    assert part.strip().startswith(f'<article id="appointment-{appointment_id}"')
    assert "Je hebt laten weten dat je komt." in part
    assert "notice" in response.headers["HX-Trigger"]


def test_change_request_reaches_the_contact_person(app, client, world) -> None:
    appointment_id = _add(app, world.amina_id)
    login(client, "amina")
    response = client.post(f"/appointments/{appointment_id}/change",
                           data={f"a{appointment_id}-reason": "Ik heb dan taalles."})
    assert response.status_code == 303
    stored = _get(app, appointment_id)
    assert (stored.response, stored.change_reason) == ("change_requested", "Ik heb dan taalles.")
    assert "Ik heb dan taalles." in client.get("/appointments").get_data(as_text=True)
    client.post("/logout")
    login(client, "sanne")
    panel = client.get(f"/staff/residents/{world.amina_id}/appointments").get_data(as_text=True)
    assert "Wil een andere tijd" in panel and "Ik heb dan taalles." in panel
    assert "1 verzoek om een andere tijd" in panel


@pytest.mark.parametrize("reason, message", [
    ("", "Schrijf kort waarom je een andere tijd wilt."),
    ("   ", "Schrijf kort waarom je een andere tijd wilt."),
    (LONG, "Dit mag hoogstens 300 tekens zijn."),
    ("Ik kan \u202eniet", "onzichtbare of verboden tekens"),
    ("nee\x00", "onzichtbare of verboden tekens"),
])
@pytest.mark.parametrize("htmx", [False, True])
def test_change_request_with_bad_input(app, client, world, reason, message, htmx) -> None:
    appointment_id = _add(app, world.amina_id)
    login(client, "amina")
    response = client.post(f"/appointments/{appointment_id}/change", data={f"a{appointment_id}-reason": reason},
                           headers=HX if htmx else {})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and "utrecht-form-field-error-message" in html
    assert ("<html" in html) is not htmx
    assert f'<details class="appointment__change" id="change-{appointment_id}" open>' in html
    assert _get(app, appointment_id).response is None


def test_change_request_with_wrong_types(app, client, world) -> None:
    appointment_id = _add(app, world.amina_id)
    login(client, "amina")
    response = client.post(f"/appointments/{appointment_id}/change", json={f"a{appointment_id}-reason": 5})
    assert response.status_code == 422
    assert "Schrijf kort waarom je een andere tijd wilt." in response.get_data(as_text=True)
    response = client.post(f"/appointments/{appointment_id}/change", data={"reason": "no prefix"})
    assert response.status_code == 422
    assert "Schrijf kort waarom je een andere tijd wilt." in response.get_data(as_text=True)
    assert _get(app, appointment_id).response is None


def test_no_answer_to_cancelled_or_past_appointments(app, client, world) -> None:
    cancelled = _add(app, world.amina_id, status="cancelled", cancelled_at=utcnow())
    past = _add(app, world.amina_id, starts_at=_soon(days=-2))
    login(client, "amina")
    html = client.get("/appointments").get_data(as_text=True)
    assert "Deze afspraak gaat niet door." in html
    assert f'id="confirm-{cancelled}"' not in html
    response = client.post(f"/appointments/{cancelled}/confirm")
    assert response.status_code == 422
    assert "Deze afspraak is geannuleerd." in response.get_data(as_text=True)
    response = client.post(f"/appointments/{past}/change", data={f"a{past}-reason": "Later"}, headers=HX)
    assert response.status_code == 422
    assert "Deze afspraak is al begonnen of voorbij." in response.get_data(as_text=True)
    assert _get(app, cancelled).response is None and _get(app, past).response is None


def test_another_residents_appointment_is_404_everywhere(app, client, world) -> None:
    bobs = _add(app, world.bob_id)
    login(client, "amina")
    assert client.get(f"/appointments/{bobs}.ics").status_code == 404
    assert client.post(f"/appointments/{bobs}/confirm").status_code == 404
    assert client.post(f"/appointments/{bobs}/change", data={f"a{bobs}-reason": "x"}).status_code == 404
    assert _get(app, bobs).response is None


def test_single_ics_download(app, client, world) -> None:
    appointment_id = _add(app, world.amina_id, kind="pvt")
    login(client, "amina")
    response = client.get(f"/appointments/{appointment_id}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="wegwijs-afspraak-{appointment_id}.ics"'
    assert "no-store" in response.headers["Cache-Control"]
    (event,) = Calendar.from_ical(response.data).events
    assert event["UID"] == f"appointment-{appointment_id}@wegwijs"
    assert event.decoded("DTSTART") == _get(app, appointment_id).starts_at


def test_feed_token_is_made_reset_and_secret(app, client, world) -> None:
    mine = _add(app, world.amina_id)
    _add(app, world.amina_id, status="cancelled", cancelled_at=utcnow(), starts_at=_soon(5))
    _add(app, world.bob_id)
    login(client, "amina")
    assert "Maak mijn agenda-link" in client.get("/account").get_data(as_text=True)
    response = client.post("/account/calendar-feed")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/account?saved=calendar#account-calendar")
    html = client.get("/account").get_data(as_text=True)
    feed_url = re.search(r'id="calendar-feed-url" type="url" value="([^"]+)"', html).group(1)
    assert "webcal://localhost/appointments/feed/" in html
    path = feed_url.removeprefix("http://localhost")

    anonymous = app.test_client()
    response = anonymous.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(response.data).events
    assert len(events) == 2
    assert {e["STATUS"] for e in events} == {"CONFIRMED", "CANCELLED"}
    assert f"appointment-{mine}@wegwijs" in {e["UID"] for e in events}

    assert anonymous.get(path.replace(".ics", "x.ics")).status_code == 404
    assert anonymous.get("/appointments/feed/.ics").status_code == 404
    client.post("/account/calendar-feed")
    assert anonymous.get(path).status_code == 404, "a reset token stops working"
    new_html = client.get("/account").get_data(as_text=True)
    new_path = re.search(r'id="calendar-feed-url" type="url" value="([^"]+)"', new_html).group(1)
    assert anonymous.get(new_path.removeprefix("http://localhost")).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CalendarFeed)) == 1


def test_staff_account_page_has_no_calendar_feed(client, world) -> None:
    login(client, "sanne")
    assert 'id="account-calendar"' not in client.get("/account").get_data(as_text=True)


def test_home_card_shows_the_next_appointment(app, client, world) -> None:
    login(client, "amina")
    assert 'id="card-appointment"' not in client.get("/").get_data(as_text=True)
    appointment_id = _add(app, world.amina_id, kind="pip_talk")
    _add(app, world.amina_id, kind="pvt", starts_at=_soon(days=9))
    html = client.get("/").get_data(as_text=True)
    card = html[html.index('id="card-appointment"'):]
    card = card[:card.index("</section>")]
    assert "Gesprek over je plan (PIP)" in card and "Participatieverklaring" not in card
    assert f"/appointments#appointment-{appointment_id}" in card


def test_data_download_holds_the_appointments(app, client, world) -> None:
    _add(app, world.amina_id, bring="Paspoort")
    login(client, "amina")
    data = export_data(client.get("/account/data"))
    assert data["appointments"]["appointments"][0]["bring"] == "Paspoort"


# Staff side

def _form(prefix: str = "new", **overrides) -> dict:
    day = (utcnow() + timedelta(days=7)).astimezone(LOCAL_TZ).date()
    data = {"kind": "pip_talk", "day": day.isoformat(), "start": "10:00", "end": "11:00",
            "location_kind": "address", "location": "Marktplein 1, Wegwijk", "with_whom": "contact",
            "with_other": "", "interpreter_language": "ar", "bring": "Paspoort"}
    data.update(overrides)
    return {f"{prefix}-{key}": value for key, value in data.items() if value is not None}


def test_file_page_has_a_lazy_appointments_panel(client, world) -> None:
    login(client, "sanne")
    html = client.get(f"/staff/residents/{world.amina_id}").get_data(as_text=True)
    assert f'hx-get="/staff/residents/{world.amina_id}/appointments" hx-trigger="load"' in html
    assert f'href="/staff/residents/{world.amina_id}/appointments"' in html


def test_caseworker_plans_an_appointment_inline(app, client, world) -> None:
    login(client, "sanne")
    form = client.get(f"/staff/residents/{world.amina_id}/appointments/new", headers=HX)
    assert form.status_code == 200
    assert form.get_data(as_text=True).strip().startswith(f'<div id="appointment-new-{world.amina_id}"')
    response = client.post(f"/staff/residents/{world.amina_id}/appointments", data=_form(), headers=HX)
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == '{"notice": "Opgeslagen."}'
    part = response.get_data(as_text=True)
    assert part.strip().startswith(f'<div id="appointments-{world.amina_id}"')
    assert "Gesprek over je plan (PIP)" in part and "Nog geen reactie" in part
    with app.app_context():
        stored = db.session.scalars(select(Appointment)).one()
        assert stored.local_start.strftime("%H:%M") == "10:00"
        assert (stored.interpreter_language, stored.bring, stored.staff.username) == ("ar", "Paspoort", "sanne")
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.resident_id == world.amina_id)).all()
        assert "appointments.create" in actions


def test_planning_without_javascript_redirects(app, client, world) -> None:
    login(client, "sanne")
    response = client.post(f"/staff/residents/{world.amina_id}/appointments", data=_form())
    assert response.status_code == 303
    assert f"/staff/residents/{world.amina_id}/appointments#appointment-" in response.headers["Location"]
    assert _count(app) == 1
    with app.app_context():
        stored = db.session.scalars(select(Appointment)).one()
        assert (stored.resident_id, stored.kind, stored.location, stored.local_start.strftime("%H:%M"),
                stored.local_end.strftime("%H:%M")) == (world.amina_id, "pip_talk", "Marktplein 1, Wegwijk",
                                                        "10:00", "11:00")
    assert response.headers["Location"].endswith(f"#appointment-{stored.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'id="appointment-{stored.id}"' in page and "Gesprek over je plan (PIP)" in page


@pytest.mark.parametrize("overrides, message", [
    ({"end": "09:00"}, "De eindtijd moet na de begintijd liggen."),
    ({"day": "2020-01-06"}, "Deze datum en tijd zijn al voorbij."),
    ({"kind": "dinner"}, "Kies een optie uit de lijst."),
    ({"kind": None}, "Kies een optie uit de lijst."),
    ({"day": "not-a-date"}, "Vul een geldige datum in."),
    ({"day": ""}, "Vul een geldige datum in."),
    ({"start": "25:99"}, "Vul een geldige tijd in"),
    ({"end": LONG}, "Vul een geldige tijd in"),
    ({"location": ""}, "Vul het adres in."),
    ({"location": LONG}, "Dit mag hoogstens 300 tekens zijn."),
    ({"location": "Markt\u202eplein"}, "onzichtbare of verboden tekens"),
    ({"location_kind": "video", "location": "http://x.example"}, "begint met https://"),
    ({"location_kind": "moon"}, "Kies een optie uit de lijst."),
    ({"with_whom": "someone"}, "Kies een optie uit de lijst."),
    ({"with_other": "Docent\x00"}, "onzichtbare of verboden tekens"),
    ({"interpreter_language": "nl"}, "Kies een optie uit de lijst."),
    ({"bring": LONG}, "Dit mag hoogstens 500 tekens zijn."),
])
def test_planning_with_bad_input_stores_nothing(app, client, world, overrides, message) -> None:
    login(client, "sanne")
    response = client.post(f"/staff/residents/{world.amina_id}/appointments", data=_form(**overrides), headers=HX)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert "Er is niets opgeslagen." in html
    assert html.strip().startswith(f'<div id="appointments-{world.amina_id}"')
    assert _count(app) == 0


def test_planning_with_bad_input_without_javascript_is_a_full_page(app, client, world) -> None:
    login(client, "sanne")
    response = client.post(f"/staff/residents/{world.amina_id}/appointments", data=_form(end="08:00"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<html" in html
    assert "De eindtijd moet na de begintijd liggen." in html and "Er is niets opgeslagen." in html
    assert _count(app) == 0


def test_counsellor_only_when_the_resident_has_one(app, client, world) -> None:
    login(client, "sanne")
    response = client.post(f"/staff/residents/{world.yonas_id}/appointments", data=_form(with_whom="counsellor"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'id="new-with_whom-error">\s*<p>Kies een optie uit de lijst.</p>', html)
    assert _count(app) == 0


def test_bad_input_is_audited_as_a_look_but_stores_nothing(app, client, world) -> None:
    login(client, "sanne")
    client.post(f"/staff/residents/{world.amina_id}/appointments", data=_form(kind="dinner"), headers=HX)
    with app.app_context():
        details = db.session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "appointments.create")).all()
    assert details == ["(not saved)"]


def test_edit_inline_and_the_resident_sees_the_new_time(app, client, world) -> None:
    appointment_id = _add(app, world.amina_id, response="confirmed")
    login(client, "sanne")
    edit = client.get(f"/staff/residents/{world.amina_id}/appointments/{appointment_id}/edit", headers=HX)
    assert edit.status_code == 200
    assert edit.get_data(as_text=True).strip().startswith(f'<div id="appointment-{appointment_id}"')
    data = _form(f"edit{appointment_id}", start="14:00", end="15:30")
    response = client.post(f"/staff/residents/{world.amina_id}/appointments/{appointment_id}", data=data, headers=HX)
    assert response.status_code == 200
    part = response.get_data(as_text=True)
    assert part.strip().startswith(f'<article id="appointment-{appointment_id}"')
    assert "14:00–15:30" in part
    stored = _get(app, appointment_id)
    assert (stored.sequence, stored.response) == (1, None)
    assert (stored.local_start.strftime("%H:%M"), stored.local_end.strftime("%H:%M")) == ("14:00", "15:30")
    back = client.get(f"/staff/residents/{world.amina_id}/appointments/{appointment_id}", headers=HX)
    assert back.get_data(as_text=True).strip().startswith(f'<article id="appointment-{appointment_id}"')


def test_edit_with_bad_input_keeps_the_old_appointment(app, client, world) -> None:
    appointment_id = _add(app, world.amina_id)
    before = _get(app, appointment_id)
    login(client, "sanne")
    data = _form(f"edit{appointment_id}", start="16:00", end="15:00")
    response = client.post(f"/staff/residents/{world.amina_id}/appointments/{appointment_id}", data=data, headers=HX)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.strip().startswith(f'<div id="appointment-{appointment_id}"')
    assert "De eindtijd moet na de begintijd liggen." in html
    after = _get(app, appointment_id)
    assert (after.starts_at, after.sequence) == (before.starts_at, 0)


def test_cancel_inline(app, client, world) -> None:
    appointment_id = _add(app, world.amina_id)
    login(client, "sanne")
    response = client.post(f"/staff/residents/{world.amina_id}/appointments/{appointment_id}/cancel", headers=HX)
    assert response.status_code == 200
    assert "Geannuleerd" in response.get_data(as_text=True)
    assert (_get(app, appointment_id).status, _get(app, appointment_id).sequence) == ("cancelled", 1)
    again = client.post(f"/staff/residents/{world.amina_id}/appointments/{appointment_id}/cancel", headers=HX)
    assert again.status_code == 422
    assert json.loads(again.headers["HX-Trigger"]) == {"notice": "Deze afspraak is al geannuleerd."}
    assert _get(app, appointment_id).sequence == 1
    client.post("/logout")
    login(client, "amina")
    assert "Deze afspraak gaat niet door." in client.get("/appointments").get_data(as_text=True)
    (event,) = Calendar.from_ical(client.get(f"/appointments/{appointment_id}.ics").data).events
    assert (event["STATUS"], event["SEQUENCE"]) == ("CANCELLED", 1)


def test_counsellor_reads_but_cannot_plan(app, client, world) -> None:
    appointment_id = _add(app, world.amina_id)
    login(client, "pieter")
    html = client.get(f"/staff/residents/{world.amina_id}/appointments").get_data(as_text=True)
    assert f'id="appointment-{appointment_id}"' in html
    assert "Nieuwe afspraak" not in html and "Wijzigen" not in html and "Afspraak annuleren" not in html
    assert client.post(f"/staff/residents/{world.amina_id}/appointments", data=_form()).status_code == 403
    assert client.post(f"/staff/residents/{world.amina_id}/appointments/{appointment_id}/cancel").status_code == 403
    assert _count(app) == 1 and _get(app, appointment_id).status == "planned"
    # Not assigned to yonas: 404, and the attempt is logged.
    assert client.get(f"/staff/residents/{world.yonas_id}/appointments").status_code == 404


def test_other_caseworker_gets_404_and_a_logged_refusal(app, client, world) -> None:
    appointment_id = _add(app, world.amina_id)
    login(client, "ruben")
    assert client.get(f"/staff/residents/{world.amina_id}/appointments").status_code == 404
    assert client.post(f"/staff/residents/{world.amina_id}/appointments", data=_form()).status_code == 404
    response = client.post(f"/staff/residents/{world.amina_id}/appointments/{appointment_id}/cancel")
    assert response.status_code == 404
    assert _count(app) == 1 and _get(app, appointment_id).status == "planned"
    with app.app_context():
        refused = db.session.scalars(select(AuditEvent).where(AuditEvent.outcome == "refused")).all()
    assert {(e.action, e.resident_id) for e in refused} >= {("appointments.view", world.amina_id),
                                                            ("appointments.cancel", world.amina_id)}


def test_appointment_of_another_resident_through_this_file_is_404(app, client, world) -> None:
    yonas_appointment = _add(app, world.yonas_id)
    login(client, "sanne")
    base = f"/staff/residents/{world.amina_id}/appointments/{yonas_appointment}"
    assert client.get(base + "/edit").status_code == 404
    assert client.post(base, data=_form(f"edit{yonas_appointment}")).status_code == 404
    assert client.post(base + "/cancel").status_code == 404
    assert _get(app, yonas_appointment).status == "planned"


def test_lead_sees_no_individual_appointments(app, client, world) -> None:
    _add(app, world.amina_id)
    login(client, "lead")
    assert client.get(f"/staff/residents/{world.amina_id}/appointments").status_code == 403
    assert client.get("/staff/appointments").status_code == 403


def test_overlap_warnings_for_the_same_resident_and_the_same_caseworker(app, client, world) -> None:
    start = _soon(days=6, hour=10)
    first = _add(app, world.amina_id, starts_at=start)
    _add(app, world.yonas_id, starts_at=start + timedelta(minutes=30))
    login(client, "sanne")
    html = client.get(f"/staff/residents/{world.amina_id}/appointments").get_data(as_text=True)
    row = html[html.index(f'id="appointment-{first}"'):]
    assert "Let op: overlapt" in row
    assert "Sanne de Vries heeft dan al een afspraak met Yonas Tesfamariam" in row
    # Planning another one for amina at the same time warns right away.
    day = start.astimezone(LOCAL_TZ).date().isoformat()
    response = client.post(f"/staff/residents/{world.amina_id}/appointments", headers=HX,
                           data=_form(day=day, start="10:15", end="10:45", with_whom="", with_other="Docent"))
    assert response.status_code == 200
    assert "overlapt" in response.headers["HX-Trigger"]
    assert "met een andere afspraak van deze bewoner" in response.get_data(as_text=True)
    assert _count(app) == 3  # a warning, no refusal: the overlapping appointment is stored


def test_week_of_the_caseworker(app, client, world) -> None:
    start = _soon(days=1, hour=9)
    mine = _add(app, world.amina_id, starts_at=start, kind="broad_intake")
    _add(app, world.yonas_id, starts_at=start + timedelta(minutes=30), response="change_requested",
         change_reason="Ik heb school.")
    _add(app, world.bob_id, starts_at=start)
    week = f"{start.astimezone(LOCAL_TZ).isocalendar()[0]}-W{start.astimezone(LOCAL_TZ).isocalendar()[1]:02d}"
    login(client, "sanne")
    html = client.get("/staff/appointments", query_string={"week": week}).get_data(as_text=True)
    assert "Amina Haddad" in html and "Yonas Tesfamariam" in html and "Bob Mensah" not in html
    assert f'id="week-appointment-{mine}"' in html
    assert "Ik heb school." in html and "Let op: overlapt" in html
    assert "Mijn week" in html
    part = client.get("/staff/appointments", query_string={"week": week}, headers=HX).get_data(as_text=True)
    assert part.strip().startswith('<section id="week"')


@pytest.mark.parametrize("week", ["2026-W54", "2026-49", "abc", LONG, "2026-W00", "1900-W01", "\u202e2026-W01"])
def test_week_with_a_wrong_week(client, world, week) -> None:
    login(client, "sanne")
    response = client.get("/staff/appointments", query_string={"week": week})
    assert response.status_code == 422
    assert "Dit is geen week." in response.get_data(as_text=True)


def test_week_across_the_autumn_clock_change(app, client, world) -> None:
    sunday = _last_sunday(10)
    late = datetime.combine(sunday, time(23, 30), tzinfo=LOCAL_TZ).astimezone(UTC)
    appointment_id = _add(app, world.amina_id, starts_at=late, minutes=15)
    login(client, "sanne")
    year, number, _ = sunday.isocalendar()
    html = client.get("/staff/appointments", query_string={"week": f"{year}-W{number:02d}"}).get_data(as_text=True)
    assert f'id="week-appointment-{appointment_id}"' in html and "23:30–23:45" in html


def _statements(client, count_queries, path: str, **kwargs) -> int:
    count_queries.statements.clear()
    assert client.get(path, **kwargs).status_code == 200
    return count_queries.count


def test_pages_use_a_fixed_number_of_statements(app, client, world, count_queries) -> None:
    _add(app, world.amina_id)
    login(client, "amina")
    small = _statements(client, count_queries, "/appointments")
    with app.app_context():
        amina = db.session.get(Resident, world.amina_id)
        for days in range(-40, 40, 2):
            make_appointment(resident=amina, starts_at=_soon(days=days), staff_id=None if days % 4 else
                             amina.contact_person_id, with_other="Docent")
        db.session.commit()
    assert _statements(client, count_queries, "/appointments") == small
    client.post("/logout")
    login(client, "sanne")
    panel = f"/staff/residents/{world.amina_id}/appointments"
    _statements(client, count_queries, panel, headers=HX)  # the first look of a visit is logged, later ones not
    file_page = _statements(client, count_queries, panel, headers=HX)
    week = _statements(client, count_queries, "/staff/appointments")
    _add(app, world.yonas_id, starts_at=_soon(days=1))
    assert _statements(client, count_queries, panel, headers=HX) == file_page
    assert _statements(client, count_queries, "/staff/appointments") == week
    assert small <= 6 and file_page <= 8 and week <= 5, (small, file_page, week)


@pytest.mark.parametrize("rest", ["", "/edit"])
def test_one_appointment_as_page_and_as_fragment(app, client, world, rest) -> None:
    appointment_id = _add(app, world.amina_id)
    login(client, "sanne")
    url = f"/staff/residents/{world.amina_id}/appointments/{appointment_id}{rest}"
    page = client.get(url)
    part = client.get(url, headers=HX)
    assert page.status_code == part.status_code == 200
    assert "HX-Request" in page.headers["Vary"] and "HX-Request" in part.headers["Vary"]
    html, fragment = page.get_data(as_text=True), part.get_data(as_text=True)
    assert html.lstrip().startswith("<!doctype html>") and "<html" not in fragment
    assert f'id="appointment-{appointment_id}"' in fragment and fragment.strip()[:60] in html
