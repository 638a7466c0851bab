from tests.access_table import EVERYONE, STAFF_FILE, Row

RESIDENT = frozenset({"resident"})
CASEWORKER = frozenset({"caseworker"})
MISSING = 999999  # no such appointment: allowed roles get 404, the others 403 or the sign-in page


def _file(w, rest: str = "") -> str:
    return f"/staff/residents/{w.amina_id}/appointments{rest}"


ROWS = [
    Row("appointments.index", "GET", lambda w: "/appointments", RESIDENT),
    Row("appointments.ics", "GET", lambda w: f"/appointments/{MISSING}.ics", RESIDENT, page=False),
    Row("appointments.confirm", "POST", lambda w: f"/appointments/{MISSING}/confirm", RESIDENT),
    Row("appointments.request_change", "POST", lambda w: f"/appointments/{MISSING}/change", RESIDENT,
        data=lambda w: {f"a{MISSING}-reason": "Ik heb dan les."}),
    Row("appointments.feed", "GET", lambda w: "/appointments/feed/no-such-token.ics", EVERYONE, page=False),
    Row("appointments.feed_reset", "POST", lambda w: "/account/calendar-feed", RESIDENT),
    Row("appointments.staff_list", "GET", lambda w: _file(w), STAFF_FILE),
    Row("appointments.staff_new", "GET", lambda w: _file(w, "/new"), CASEWORKER),
    Row("appointments.staff_create", "POST", lambda w: _file(w), CASEWORKER, data=lambda w: {}),
    Row("appointments.staff_appointment", "GET", lambda w: _file(w, f"/{MISSING}"), STAFF_FILE, page=False),
    Row("appointments.staff_edit", "GET", lambda w: _file(w, f"/{MISSING}/edit"), CASEWORKER, page=False),
    Row("appointments.staff_update", "POST", lambda w: _file(w, f"/{MISSING}"), CASEWORKER, data=lambda w: {}),
    Row("appointments.staff_cancel", "POST", lambda w: _file(w, f"/{MISSING}/cancel"), CASEWORKER),
    Row("appointments.staff_week", "GET", lambda w: "/staff/appointments", CASEWORKER),
]
