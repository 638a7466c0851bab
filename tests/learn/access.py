"""Every learn endpoint and who may use it. Only the resident learns; only the contact person sees results
(the resident is told so before the self-check): a counsellor, the lead and the admin get 403.
Unknown results, modules and lessons here make allowed roles get a 404 or a redirect; tests/learn/test_views.py
and test_staff.py cover them with real data."""

from tests.access_table import Row

RESIDENT = frozenset({"resident"})
CONTACT = frozenset({"caseworker"})
MISSING = 999_999


def _file(rest: str = ""):
    return lambda w: f"/staff/residents/{w.amina_id}/learn{rest}"


ROWS = [
    Row("learn.index", "GET", lambda w: "/learn", RESIDENT),
    Row("learn.check", "GET", lambda w: "/learn/check", RESIDENT),
    Row("learn.check_submit", "POST", lambda w: "/learn/check", RESIDENT, data=lambda w: {}),
    Row("learn.check_result", "GET", lambda w: f"/learn/check/{MISSING}", RESIDENT, page=False),
    Row("learn.module", "GET", lambda w: "/learn/brieven", RESIDENT),
    Row("learn.certificate", "GET", lambda w: "/learn/brieven/certificate", RESIDENT, page=False),
    Row("learn.lesson", "GET", lambda w: "/learn/brieven/wie-schrijft-je", RESIDENT, page=False),
    Row("learn.screen", "GET", lambda w: "/learn/brieven/wie-schrijft-je/1", RESIDENT),
    Row("learn.screen_done", "POST", lambda w: "/learn/brieven/wie-schrijft-je/1", RESIDENT),
    Row("learn.quiz", "GET", lambda w: "/learn/brieven/wie-schrijft-je/quiz", RESIDENT, page=False),
    Row("learn.quiz_answer", "POST", lambda w: "/learn/brieven/wie-schrijft-je/quiz/none", RESIDENT,
        data=lambda w: {"answer": "a"}),
    Row("learn.quiz_retry", "POST", lambda w: "/learn/brieven/wie-schrijft-je/quiz/retry", RESIDENT),
    Row("learn.staff_panel", "GET", _file(), CONTACT),
    Row("learn.staff_assign", "POST", _file("/assign"), CONTACT, data=lambda w: {"assign-module": "none"}),
    Row("learn.staff_unassign", "POST", _file("/assign/brieven/remove"), CONTACT),
]
