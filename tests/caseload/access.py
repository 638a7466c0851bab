from tests.access_table import STAFF_FILE, Row

ROWS = [
    Row("caseload.index", "GET", lambda w: "/staff/", STAFF_FILE),
    Row("caseload.resident_new", "GET", lambda w: "/staff/residents/new", frozenset({"caseworker"})),
    Row("caseload.resident", "GET", lambda w: f"/staff/residents/{w.amina_id}", STAFF_FILE),
    Row("caseload.resident_activation", "POST", lambda w: f"/staff/residents/{w.amina_id}/activation",
        frozenset({"caseworker"})),
]
