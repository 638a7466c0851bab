"""Hostile text in every free-text field a person can fill is shown as text, never as markup.

Each field is stored straight into the database (factories, no form validation), carrying its own tag and
the same payload, so a page can be checked for each field it really shows. Every page is then read as the
resident and as staff, as full page and as htmx fragment, and parsed: the payload must be there as text
(escaped in the source), and there must be no <script> with inline content, no on* attribute and no
javascript: link anywhere. The iCalendar file and the JSON download are checked in their own format.

Text-direction overrides and isolates (U+202E, U+2066) are not markup, so escaping cannot help: a stored
override turns "evil\u202eexe.pdf" into "evilfdp.exe" on screen. They are therefore refused where text comes
in: every free-text form answers 422 and stores nothing (tested below, with a control post that does store).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from flask import Flask

from portal.accounts.models import User
from portal.appointments.feedtoken import feed_url_token
from portal.appointments.services import calendar_feed_reset
from portal.caseload.models import Resident
from portal.db import db, utcnow
from portal.messages.models import Attachment
from tests.accounts.data import export_data, export_html
from tests.appointments.factories import make_appointment
from tests.conftest import World, login
from tests.messages.factories import make_message, make_settings
from tests.plan.factories import make_baseline, make_comment, make_goal, make_plan, make_step

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LINK = '<a href="javascript:alert(1)">x</a>'
BARE = "javascript:alert(1)"
PAYLOAD = f"{SCRIPT} {IMG} {LINK} {BARE}"


def hostile(tag: str) -> str:
    """The payload after a tag that says which field it is in; at most 120 characters, so it fits every column."""
    value = f"{tag} {PAYLOAD}"
    assert len(value) <= 120, tag
    return value


# Messages turn web addresses into links: addresses that try to break out of the href, and other schemes.
LINKS = ('Zie https://example.org/?q="><script>alert(2)</script> en https://x.example/"onmouseover="alert(3) '
         "of javascript://example.org/%0aalert(4) of JAVASCRIPT:alert(5) of www.example.org/'onclick='alert(6)")
ICS_LOCATION = "Marktplein 1\r\nX-INJECTED:location\r\nATTENDEE:mailto:evil@example.org"
ICS_BRING = "Paspoort\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected\nX-INJECTED:bring; a, b \\ c"
ICS_WITH_OTHER = 'Dr. X;ROLE=CHAIR:mailto:evil@example.org,"quoted"'

FIELDS = (
    "title", "reason", "baseline", "step", "comment", "reaction",
    "msg-res", "msg-staff", "file-pdf", "file-img",
    "place", "phone", "bring", "with", "change",
    "resident", "staff", "counsel",
)


@dataclass
class Hostile:
    world: World
    goal_id: int
    step_id: int
    comment_id: int
    appointment_id: int
    phone_appointment_id: int
    ics_appointment_id: int
    feed_token: str
    week: str


def build_hostile(world: World) -> Hostile:
    """Every free-text field of Amina's file, her contact person and her counsellor holds hostile text."""
    resident = db.session.get(Resident, world.amina_id)
    sanne = db.session.get(User, world.sanne_id)
    pieter = db.session.get(User, world.pieter_id)
    resident.user.name = hostile("resident")
    sanne.name = hostile("staff")
    pieter.name = hostile("counsel")

    make_plan(resident=resident)
    make_baseline(resident=resident, domain="work", text=hostile("baseline"))
    goal = make_goal(resident=resident, domain="work", title=hostile("title"), reason=hostile("reason"))
    step = make_step(goal=goal, text=hostile("step"))
    comment = make_comment(goal=goal, author=sanne, body=hostile("comment"))
    make_comment(goal=goal, author=resident.user, parent=comment, body=hostile("reaction"))

    starts_at = (utcnow() + timedelta(days=2)).replace(hour=9, minute=0, second=0, microsecond=0)
    appointment = make_appointment(resident=resident, starts_at=starts_at, location=hostile("place"),
                                   bring=hostile("bring"), with_other=hostile("with"),
                                   response="change_requested", response_at=utcnow(),
                                   change_reason=hostile("change"))
    phone = make_appointment(resident=resident, starts_at=starts_at + timedelta(hours=3), location_kind="phone",
                             location=hostile("phone"))
    # Line breaks and iCalendar syntax: "bring" may span lines (a textarea); the others only if stored directly.
    ics = make_appointment(resident=resident, starts_at=starts_at + timedelta(days=1), location=ICS_LOCATION,
                           bring=ICS_BRING, with_other=ICS_WITH_OTHER)
    feed = calendar_feed_reset(resident=resident)

    make_settings(resident, counsellor_may_read=True)
    make_message(resident, from_resident=True, body=hostile("msg-res"),
                 created_at=utcnow() - timedelta(minutes=5))
    make_message(resident, from_resident=True, body=LINKS, created_at=utcnow() - timedelta(minutes=1))
    staff_message = make_message(resident, from_resident=False, body=hostile("msg-staff"))
    db.session.add_all([
        Attachment(message_id=staff_message.id, kind="pdf", content_type="application/pdf",
                   stored_name=f"{uuid.uuid4().hex}.pdf", filename=hostile("file-pdf"), size=2048),
        Attachment(message_id=staff_message.id, kind="image", content_type="image/jpeg",
                   stored_name=f"{uuid.uuid4().hex}.jpg", preview_name=f"{uuid.uuid4().hex}.jpg",
                   filename=hostile("file-img"), size=4096, width=400, height=300),
    ])
    db.session.commit()
    year, week, _ = appointment.local_start.isocalendar()
    return Hostile(world=world, goal_id=goal.id, step_id=step.id, comment_id=comment.id,
                   appointment_id=appointment.id, phone_appointment_id=phone.id, ics_appointment_id=ics.id,
                   feed_token=feed_url_token(feed), week=f"{year}-W{week:02d}")


@pytest.fixture
def stored(app: Flask, world: World) -> Hostile:
    with app.app_context():
        built = build_hostile(world)
    viewer = app.test_client()
    login(viewer, "sanne")  # a look at the file: the resident's account page lists who looked
    assert viewer.get(f"/staff/residents/{world.amina_id}").status_code == 200
    return built


# -- reading a page --------------------------------------------------------------------------------------------

class Page(HTMLParser):
    """Text and attributes as a browser's parser sees them, and everything that could run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.values: list[str] = []
        self.live: list[str] = []
        self._script: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = value or ""
            self.values.append(value)
            if name.startswith("on") or name.startswith("hx-on") or name.startswith("x-on"):
                self.live.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction", "xlink:href", "data", "hx-get", "hx-post"):
                scheme = re.sub(r"[\x00-\x20]", "", value).lower()
                if scheme.startswith(("javascript:", "vbscript:", "data:text")):
                    self.live.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            self._script = []
            if not dict(attrs).get("src"):
                self.live.append("<script> without src")
        if tag in ("iframe", "object", "embed", "base"):
            self.live.append(f"<{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            if "".join(self._script).strip():
                self.live.append(f"<script> with inline content {''.join(self._script)[:40]!r}")
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)
        else:
            self.text.append(data)


def read(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def shown_fields(page: Page) -> set[str]:
    """The fields whose whole hostile value is on the page as text or as an attribute value."""
    text = " ".join(" ".join(page.text).split())
    values = [" ".join(value.split()) for value in page.values]
    return {tag for tag in FIELDS if hostile(tag) in text or any(hostile(tag) in value for value in values)}


def assert_inert(html: str, where: str) -> Page:
    """Nothing of the payload is live: the raw markup is absent and the parser finds nothing that runs."""
    assert SCRIPT not in html, f"{where}: raw <script>"
    assert "<img src=x onerror" not in html, f"{where}: raw <img onerror>"
    assert 'href="javascript:' not in html.lower(), f"{where}: javascript: link"
    page = read(html)
    assert page.live == [], f"{where}: {page.live}"
    return page


# -- filling in a form as a browser would -----------------------------------------------------------------------

class Forms(HTMLParser):
    """Every form on a page: where it posts (action or hx-post) and what a browser would send unchanged."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict[str, str], str]] = []  # (target, fields, enctype)
        self._fields: dict[str, str] | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._fields = {}
            self.forms.append((a.get("hx-post") or a.get("action", ""), self._fields, a.get("enctype", "")))
        elif self._fields is None:
            return
        elif tag == "option" and self._select:
            if self._select not in self._fields or "selected" in a:
                self._fields[self._select] = a.get("value", "")
        elif "name" not in a or "disabled" in a:
            return
        elif tag == "input" and a.get("type", "text") not in ("submit", "button", "file", "image", "reset"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self._fields[a["name"]] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self._fields[a["name"]] = ""
        elif tag == "select":
            self._select = a["name"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._fields = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self._fields is not None:
            first = not self._fields[self._textarea]
            # A browser drops one line break right after <textarea>.
            self._fields[self._textarea] += data.removeprefix("\r\n").removeprefix("\n") if first else data


def form_on(html: str, target: str, field: str) -> tuple[dict[str, str], str]:
    """The fields of the form that posts to `target` and has `field`, and its enctype."""
    parser = Forms()
    parser.feed(html)
    found = [(fields, enctype) for action, fields, enctype in parser.forms if action == target and field in fields]
    assert found, f"no form with {field} posting to {target}: {[(a, list(f)) for a, f, _ in parser.forms]}"
    return dict(found[0][0]), found[0][1]


# -- every page that shows the text ---------------------------------------------------------------------------

PLAN = {"title", "reason", "baseline", "step", "comment", "reaction"}
GOAL = {"title", "reason", "step", "comment", "reaction"}
APPOINTMENTS = {"place", "phone", "bring", "with", "change"}
MESSAGES = {"msg-res", "msg-staff", "file-pdf", "file-img"}
NAMES = {"resident", "staff"}
SAME = "as the page"


@dataclass(frozen=True)
class Read:
    """A page as one user reads it: the fields it shows as full page, and as htmx fragment (None: not asked)."""

    name: str
    user: str
    url: Callable[[Hostile], str]
    page: set[str] | None
    fragment: set[str] | str | None = SAME

    @property
    def shows(self) -> dict[str, set[str]]:
        fragment = self.page if self.fragment == SAME else self.fragment
        return {kind: fields for kind, fields in (("page", self.page), ("fragment", fragment)) if fields is not None}

    def __str__(self) -> str:
        return f"{self.user}-{self.name}"


def _file(h: Hostile, rest: str = "") -> str:
    return f"/staff/residents/{h.world.amina_id}{rest}"


def _goal(h: Hostile, rest: str = "") -> str:
    return _file(h, f"/plan/goals/{h.goal_id}{rest}")


READS = [
    Read("home", "amina", lambda h: "/", {"title", "staff"}),
    Read("plan", "amina", lambda h: "/plan", {"title", "baseline"}),
    Read("goal", "amina", lambda h: f"/plan/goals/{h.goal_id}", GOAL | {"staff"}, GOAL - {"title"} | {"staff"}),
    Read("appointments", "amina", lambda h: "/appointments", APPOINTMENTS | {"staff"}),
    Read("messages", "amina", lambda h: "/messages", MESSAGES | {"staff"}),
    Read("account", "amina", lambda h: "/account", {"staff", "counsel"}),
    Read("caseload", "sanne", lambda h: "/staff/", NAMES),
    Read("file", "sanne", _file, NAMES | {"counsel"}, {"staff", "counsel"}),
    Read("plan", "sanne", lambda h: _file(h, "/plan"), PLAN | NAMES),
    Read("plan", "pieter", lambda h: _file(h, "/plan"), PLAN | NAMES | {"counsel"}, PLAN | NAMES),
    Read("plan-print", "sanne", lambda h: _file(h, "/plan/print"), {"title", "reason", "baseline"} | NAMES),
    Read("goal", "sanne", _goal, GOAL | NAMES),
    Read("goal-edit", "sanne", lambda h: _goal(h, "/edit"), {"title", "reason"} | NAMES, {"title", "reason"}),
    Read("step-edit", "sanne", lambda h: _goal(h, f"/steps/{h.step_id}/edit"), GOAL | NAMES),
    Read("comment", "sanne", lambda h: _goal(h, f"/comments/{h.comment_id}"), {"comment", "reaction"} | NAMES),
    Read("comment-edit", "sanne", lambda h: _goal(h, f"/comments/{h.comment_id}/edit"),
         {"comment", "reaction"} | NAMES, {"comment", "reaction", "resident"}),
    Read("baseline", "sanne", lambda h: _file(h, "/plan/domains/work/baseline"), {"baseline"} | NAMES, {"baseline"}),
    Read("baseline-edit", "sanne", lambda h: _file(h, "/plan/domains/work/baseline/edit"), {"baseline"} | NAMES,
         {"baseline"}),
    Read("domain-goals", "sanne", lambda h: _file(h, "/plan/domains/work/goals"), GOAL | NAMES),
    Read("appointments", "sanne", lambda h: _file(h, "/appointments"), APPOINTMENTS | NAMES,
         APPOINTMENTS | {"staff"}),
    Read("appointment", "sanne", lambda h: _file(h, f"/appointments/{h.appointment_id}"),
         APPOINTMENTS - {"phone"} | NAMES, APPOINTMENTS - {"phone"} | {"staff"}),
    # The "with whom" options name the staff: a lazy _l() string would count as safe markup there.
    Read("appointment-edit", "sanne", lambda h: _file(h, f"/appointments/{h.appointment_id}/edit"),
         {"place", "bring", "with"} | NAMES, {"place", "bring", "with"}),
    Read("appointment-new", "sanne", lambda h: _file(h, "/appointments/new"), NAMES, None),
    Read("week", "sanne", lambda h: f"/staff/appointments?week={h.week}", {"place", "change"} | NAMES,
         {"place", "change", "resident"}),
    Read("inbox", "sanne", lambda h: "/staff/messages", NAMES, {"resident"}),
    Read("conversation", "sanne", lambda h: f"/staff/messages/{h.world.amina_id}", MESSAGES | NAMES | {"counsel"},
         MESSAGES | {"resident", "counsel"}),
    Read("conversation-panel", "sanne", lambda h: f"/staff/messages/{h.world.amina_id}/panel", None,
         MESSAGES | {"resident", "counsel"}),
    Read("conversation", "pieter", lambda h: f"/staff/messages/{h.world.amina_id}", MESSAGES | NAMES | {"counsel"}),
    Read("staff", "admin", lambda h: "/admin/", {"staff", "counsel"}),
]


@pytest.mark.parametrize("read_as", READS, ids=str)
def test_page_shows_hostile_text_only_as_text(app: Flask, stored: Hostile, read_as: Read) -> None:
    client = app.test_client()
    login(client, read_as.user)
    url = read_as.url(stored)
    for kind, expected in read_as.shows.items():
        response = client.get(url, headers={"HX-Request": "true"} if kind == "fragment" else {})
        where = f"{url} as {read_as.user}, {kind}"
        assert response.status_code == 200, f"{where}: {response.status_code}"
        html = response.get_data(as_text=True)
        page = assert_inert(html, where)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, f"{where}: the escaped payload is not there"
        missing = expected - shown_fields(page)
        assert not missing, f"{where}: these fields are not shown as text: {sorted(missing)}"


def test_activation_letter_shows_the_names_only_as_text(app: Flask, stored: Hostile) -> None:
    client = app.test_client()
    login(client, "sanne")
    response = client.post(_file(stored, "/activation"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = assert_inert(html, "activation letter")
    assert shown_fields(page) >= NAMES


def test_every_field_is_read_by_the_resident_and_by_staff() -> None:
    """The table above claims each field on at least one resident page and one staff page."""
    reads = [r.values[0] if hasattr(r, "values") else r for r in READS]
    for side, users in (("resident", {"amina"}), ("staff", {"sanne", "pieter", "admin"})):
        claimed = set().union(*(fields for r in reads if r.user in users for fields in r.shows.values()))
        expected = set(FIELDS) - ({"resident", "counsel"} if side == "resident" else set())
        assert expected <= claimed, f"{side}: no page checks {sorted(expected - claimed)}"


# -- the iCalendar file, the feed and the JSON download -------------------------------------------------------

def _unfolded(body: str) -> list[str]:
    return body.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")


def assert_one_clean_event(body: str, where: str) -> None:
    """Every content line is NAME[;params]:value, exactly one event, and no line a stored text made up."""
    lines = [line for line in _unfolded(body) if line]
    bad = [line for line in lines if not re.match(r"^[A-Z][A-Z0-9-]*[;:]", line)]
    assert bad == [], f"{where}: lines that are no iCalendar property: {bad}"
    names = [re.split(r"[;:]", line, maxsplit=1)[0] for line in lines]
    assert "X-INJECTED" not in names and "ATTENDEE" not in names, where


def test_ics_keeps_every_text_inside_its_property(app: Flask, stored: Hostile) -> None:
    from icalendar import Calendar

    client = app.test_client()
    login(client, "amina")
    for appointment_id in (stored.appointment_id, stored.ics_appointment_id):
        response = client.get(f"/appointments/{appointment_id}.ics")
        assert response.status_code == 200
        assert response.mimetype == "text/calendar"
        body = response.get_data(as_text=True)
        assert_one_clean_event(body, f"appointment {appointment_id}")
        lines = _unfolded(body)
        assert lines.count("BEGIN:VEVENT") == 1 and lines.count("END:VEVENT") == 1
        events = Calendar.from_ical(body).walk("VEVENT")
        assert len(events) == 1
        event = events[0]
        location, description = str(event["LOCATION"]), str(event["DESCRIPTION"])
        if appointment_id == stored.ics_appointment_id:
            # What was stored comes back unchanged (a line break as a line break), as the value of one property.
            assert location == ICS_LOCATION.replace("\r\n", "\n")
            assert ICS_BRING.replace("\r\n", "\n") in description
            assert ICS_WITH_OTHER in description
        else:
            assert location == hostile("place")
            for tag in ("bring", "with", "staff"):
                assert hostile(tag) in description


def test_calendar_feed_keeps_every_text_inside_its_property(app: Flask, stored: Hostile) -> None:
    response = app.test_client().get(f"/appointments/feed/{stored.feed_token}.ics")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    lines = [line for line in _unfolded(body) if line]
    assert [line for line in lines if not re.match(r"^[A-Z][A-Z0-9-]*[;:]", line)] == []
    assert not any(re.match(r"^(X-INJECTED|ATTENDEE)[;:]", line) for line in lines)
    assert lines.count("BEGIN:VEVENT") == 3  # the three appointments, and not one more


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def test_data_download_holds_the_text_as_data_and_escaped_in_the_overview(app: Flask, stored: Hostile) -> None:
    client = app.test_client()
    login(client, "amina")
    response = client.get("/account/data")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["X-Content-Type-Options"] == "nosniff"  # never sniffed as HTML
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = export_data(response)
    strings = _strings(data)
    exported = {tag for tag in FIELDS if hostile(tag) in strings}
    assert PLAN | {"resident", "staff", "counsel", "place", "bring"} <= exported
    assert data["account"]["name"] == hostile("resident")
    html = export_html(response)
    assert hostile("resident").split(" ", 1)[0] in html
    for raw in (SCRIPT, IMG, LINK):
        assert raw not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# -- text-direction overrides: refused where text comes in ------------------------------------------------------

BIDI = ("Tekst \u202eevil.exe", "Tekst \u2066x\u2069 na")


@dataclass(frozen=True)
class Fill:
    """One free-text field of one form: the page that shows the form, where it posts, and what else it needs."""

    name: str
    user: str
    page: object  # Hostile -> path
    target: object  # Hostile -> path
    field: object  # Hostile -> field name
    extra: dict = None  # field name -> value, for the other required fields

    def __str__(self) -> str:
        return self.name


def _day(days: int) -> str:
    return (utcnow() + timedelta(days=days)).date().isoformat()


NEW_APPOINTMENT = {"new-day": None, "new-start": "14:00", "new-end": "15:00", "new-location": "Stadskantoor"}
FILLS = [
    Fill("goal-new-title", "sanne", lambda h: _file(h, "/plan/domains/work/goals/new"),
         lambda h: _file(h, "/plan/domains/work/goals"), lambda h: "new-work-title"),
    Fill("goal-new-reason", "sanne", lambda h: _file(h, "/plan/domains/work/goals/new"),
         lambda h: _file(h, "/plan/domains/work/goals"), lambda h: "new-work-reason", {"new-work-title": "Werk"}),
    Fill("goal-edit-title", "sanne", lambda h: _file(h, f"/plan/goals/{h.goal_id}/edit"),
         lambda h: _file(h, f"/plan/goals/{h.goal_id}"), lambda h: f"goal{h.goal_id}-title"),
    Fill("goal-edit-reason", "sanne", lambda h: _file(h, f"/plan/goals/{h.goal_id}/edit"),
         lambda h: _file(h, f"/plan/goals/{h.goal_id}"), lambda h: f"goal{h.goal_id}-reason"),
    Fill("baseline-text", "sanne", lambda h: _file(h, "/plan/domains/work/baseline/edit"),
         lambda h: _file(h, "/plan/domains/work/baseline"), lambda h: "baseline-work-text"),
    Fill("step-new", "sanne", lambda h: _file(h, f"/plan/goals/{h.goal_id}"),
         lambda h: _file(h, f"/plan/goals/{h.goal_id}/steps"), lambda h: f"goal{h.goal_id}-step-text"),
    Fill("step-edit", "sanne", lambda h: _file(h, f"/plan/goals/{h.goal_id}/steps/{h.step_id}/edit"),
         lambda h: _file(h, f"/plan/goals/{h.goal_id}/steps/{h.step_id}"), lambda h: f"step{h.step_id}-text"),
    Fill("comment-new", "sanne", lambda h: _file(h, f"/plan/goals/{h.goal_id}"),
         lambda h: _file(h, f"/plan/goals/{h.goal_id}/comments"), lambda h: f"goal{h.goal_id}-comment-body"),
    Fill("comment-edit", "sanne", lambda h: _file(h, f"/plan/goals/{h.goal_id}/comments/{h.comment_id}/edit"),
         lambda h: _file(h, f"/plan/goals/{h.goal_id}/comments/{h.comment_id}"),
         lambda h: f"comment{h.comment_id}-body"),
    Fill("reaction", "amina", lambda h: f"/plan/goals/{h.goal_id}",
         lambda h: f"/plan/goals/{h.goal_id}/comments/{h.comment_id}/reactions", lambda h: f"reply{h.comment_id}-body"),
    Fill("message-resident", "amina", lambda h: "/messages", lambda h: "/messages", lambda h: "body"),
    Fill("message-staff", "sanne", lambda h: f"/staff/messages/{h.world.amina_id}",
         lambda h: f"/staff/messages/{h.world.amina_id}", lambda h: "body"),
    Fill("appt-change-reason", "amina", lambda h: "/appointments",
         lambda h: f"/appointments/{h.phone_appointment_id}/change", lambda h: f"a{h.phone_appointment_id}-reason"),
    *(Fill(f"appt-new-{name}", "sanne", lambda h: _file(h, "/appointments/new"), lambda h: _file(h, "/appointments"),
           lambda h, name=name: f"new-{name}", NEW_APPOINTMENT) for name in ("location", "with_other", "bring")),
    *(Fill(f"appt-edit-{name}", "sanne", lambda h: _file(h, f"/appointments/{h.appointment_id}/edit"),
           lambda h: _file(h, f"/appointments/{h.appointment_id}"),
           lambda h, name=name: f"edit{h.appointment_id}-{name}") for name in ("location", "with_other", "bring")),
    Fill("resident-name", "sanne", lambda h: "/staff/residents/new", lambda h: "/staff/residents/new",
         lambda h: "name", {"date_of_birth": "1990-01-01", "linked_on": "2026-01-05"}),
    Fill("staff-name", "admin", lambda h: "/admin/", lambda h: "/admin/staff", lambda h: "name",
         {"username": "nieuw.lid"}),
]


def _stored_rows(app: Flask) -> dict:
    """Every table but the audit log (looking at a file is logged; that is no stored text)."""
    from tests.test_csrf import snapshot

    rows = snapshot(app)
    rows.pop("audit_events", None)
    rows.pop("audit_chain_head", None)  # moves with every audit line
    return rows


def _post(client, target: str, fields: dict[str, str], enctype: str):
    if enctype == "multipart/form-data":
        return client.post(target, data=fields, content_type="multipart/form-data")
    return client.post(target, data=fields)


@pytest.mark.parametrize("fill", FILLS, ids=str)
def test_text_direction_overrides_are_refused_and_nothing_is_stored(app: Flask, stored: Hostile, fill: Fill) -> None:
    """A bidi override could make "evil.exe" read as "exe.live" or turn the rest of a sentence around;
    every free-text field refuses it (422, nothing stored). The control post shows the form was complete."""
    client = app.test_client()
    login(client, fill.user)
    page, target, field = fill.page(stored), fill.target(stored), fill.field(stored)
    html = client.get(page).get_data(as_text=True)
    fields, enctype = form_on(html, target, field)
    extra = {name: value or _day(10) for name, value in (fill.extra or {}).items()}
    before = _stored_rows(app)
    for value in BIDI:
        response = _post(client, target, {**fields, **extra, field: value}, enctype)
        assert response.status_code == 422, f"{fill}: {value!r} gave {response.status_code}"
        assert _stored_rows(app) == before, f"{fill}: {value!r} was stored"
    control = _post(client, target, {**fields, **extra, field: f"Gewone tekst {fill.name}"}, enctype)
    assert control.status_code < 400, f"{fill}: the control post gave {control.status_code}"
    assert _stored_rows(app) != before, f"{fill}: the control post stored nothing"


def test_every_free_text_field_is_filled_in() -> None:
    """Each stored field above has its form here; file names are cleaned to letters and digits on upload."""
    form_of = {"title": "goal-new-title", "reason": "goal-new-reason", "baseline": "baseline-text",
               "step": "step-new", "comment": "comment-new", "reaction": "reaction", "msg-res": "message-resident",
               "msg-staff": "message-staff", "place": "appt-new-location", "phone": "appt-edit-location",
               "bring": "appt-new-bring", "with": "appt-new-with_other", "change": "appt-change-reason",
               "resident": "resident-name", "staff": "staff-name", "counsel": "staff-name"}
    assert set(FIELDS) - set(form_of) == {"file-pdf", "file-img"}
    assert set(form_of.values()) <= {str(fill) for fill in FILLS}


def test_web_addresses_in_messages_become_safe_links(app: Flask, stored: Hostile) -> None:
    client = app.test_client()
    login(client, "amina")
    html = client.get("/messages").get_data(as_text=True)
    page = assert_inert(html, "/messages")
    assert "<script>alert(2)" not in html
    links = re.findall(r'<a [^>]*href="([^"]*)"[^>]*rel="nofollow noopener noreferrer"', html)
    assert links, "the web addresses are links"
    assert all(link.startswith(("http://", "https://")) for link in links), links
    assert all('"' not in link and "<" not in link and "'" not in link for link in links), links
    assert "JAVASCRIPT:alert(5)" in " ".join(page.text)  # shown, as text


# -- a video link is a web address -------------------------------------------------------------------------------

def test_a_video_link_that_is_not_https_is_refused(app: Flask, stored: Hostile) -> None:
    client = app.test_client()
    login(client, "sanne")
    html = client.get(_file(stored, "/appointments/new")).get_data(as_text=True)
    fields, _ = form_on(html, _file(stored, "/appointments"), "new-location")
    fields.update({"new-day": _day(10), "new-start": "14:00", "new-end": "15:00", "new-location_kind": "video"})
    before = _stored_rows(app)
    for link in ("javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>",
                 "http://meet.example/abc", "//meet.example/abc"):
        response = client.post(_file(stored, "/appointments"), data={**fields, "new-location": link})
        assert response.status_code == 422, f"{link}: {response.status_code}"
        assert _stored_rows(app) == before, link
    control = client.post(_file(stored, "/appointments"), data={**fields, "new-location": "https://meet.example/abc"})
    assert control.status_code < 400 and _stored_rows(app) != before


def test_a_stored_video_link_is_never_a_javascript_link(app: Flask, stored: Hostile) -> None:
    with app.app_context():
        make_appointment(resident=db.session.get(Resident, stored.world.amina_id), location_kind="video",
                         location="javascript:alert(1)", starts_at=utcnow().replace(microsecond=0) + timedelta(days=4))
        db.session.commit()
    for user, url in (("amina", "/appointments"), ("sanne", _file(stored, "/appointments"))):
        client = app.test_client()
        login(client, user)
        assert_inert(client.get(url).get_data(as_text=True), f"{url} as {user}")
