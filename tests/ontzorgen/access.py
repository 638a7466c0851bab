"""Every ontzorgen endpoint and who may use it. Money data is for the contact person only: a counsellor,
the lead and residents other than the owner get 403. Ids here do not exist (allowed roles get a 404 or
a refused form); tests/ontzorgen/test_staff.py covers them with real data."""

from tests.access_table import Row

RESIDENT = frozenset({"resident"})
CASEWORKER = frozenset({"caseworker"})
MISSING = 999_999


def _file(rest: str = ""):
    return lambda w: f"/staff/residents/{w.amina_id}/ontzorgen{rest}"


ROWS = [
    Row("ontzorgen.index", "GET", lambda w: "/ontzorgen", RESIDENT),
    Row("ontzorgen.staff_panel", "GET", _file(), CASEWORKER),
    Row("ontzorgen.staff_start", "POST", _file("/start"), CASEWORKER, data=lambda w: {"start-starts_on": "bad"}),
    Row("ontzorgen.staff_extend", "POST", _file("/extend"), CASEWORKER, data=lambda w: {}),
    Row("ontzorgen.staff_cost_add", "POST", _file("/costs"), CASEWORKER, data=lambda w: {}),
    Row("ontzorgen.staff_cost_edit", "GET", _file(f"/costs/{MISSING}/edit"), CASEWORKER, page=False),
    Row("ontzorgen.staff_cost_save", "POST", _file(f"/costs/{MISSING}"), CASEWORKER, data=lambda w: {}),
    Row("ontzorgen.staff_cost_end", "POST", _file(f"/costs/{MISSING}/end"), CASEWORKER),
    Row("ontzorgen.staff_payment_add", "POST", _file("/payments"), CASEWORKER, data=lambda w: {}),
    Row("ontzorgen.staff_payment_return", "POST", _file(f"/payments/{MISSING}/return"), CASEWORKER,
        data=lambda w: {}),
    Row("ontzorgen.staff_payment_solve", "POST", _file(f"/payments/{MISSING}/solve"), CASEWORKER),
    Row("ontzorgen.staff_handover", "POST", _file("/handover/zorgtoeslag"), CASEWORKER, data=lambda w: {"done": "1"}),
    Row("ontzorgen.import_page", "GET", lambda w: "/staff/ontzorgen/import", CASEWORKER),
    Row("ontzorgen.import_payments", "POST", lambda w: "/staff/ontzorgen/import/payments", CASEWORKER,
        data=lambda w: {}),
    Row("ontzorgen.import_payments_confirm", "POST", lambda w: f"/staff/ontzorgen/import/payments/{MISSING}",
        CASEWORKER),
    Row("ontzorgen.import_statement", "POST", lambda w: "/staff/ontzorgen/import/statement", CASEWORKER,
        data=lambda w: {}),
    Row("ontzorgen.import_statement_confirm", "POST", lambda w: f"/staff/ontzorgen/import/statement/{MISSING}",
        CASEWORKER),
    Row("ontzorgen.sample", "GET", lambda w: "/staff/ontzorgen/samples/none.csv", CASEWORKER, page=False),
]
