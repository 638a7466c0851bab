"""Hypothesis sends every endpoint of the access table hostile form fields and query parameters, as a role
that may use it: never a 500, and where the answer refuses the input (400 and up) no row has changed.

Bounded and deterministic: FUZZ_EXAMPLES examples per endpoint (default 4), derandomized. FUZZ_COUNT=<file>
counts instead of failing: one JSON line per endpoint with the inputs tried and the 500s found.
"""

from __future__ import annotations

import hashlib
import json
import os
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from portal.db import db
from tests.access_table import ANONYMOUS, Row, all_rows
from tests.conftest import login

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
COUNT_TO = os.environ.get("FUZZ_COUNT")
ROLE_USER = {"resident": "amina", "caseworker": "sanne", "counsellor": "pieter", "lead": "lead", "admin": "admin"}
PREFERRED = ("resident", "caseworker", "counsellor", "lead", "admin", ANONYMOUS)
QUERY_NAMES = ("page", "before", "after", "unread_from", "q", "week", "size", "inbox", "next", "sort")
EXTRA_FIELDS = ("resident_id", "role", "amount", "user_id", "id", "sender_id", "contact_person_id", "is_admin")
# Tables that record attempts whatever their outcome, by design: the audit log, sign-in throttling, sessions.
NOT_FINGERPRINTED = ("audit", "throttle", "attempt", "session")

# The sweep: sent on every endpoint in every field at once. More odd numbers are among what Hypothesis draws.
HUGE = ["9223372036854775808", "-9223372036854775809", "2147483648", "-1", "1" * 400, "1e308", "١٢", "NaN"]
ODD = ["9223372036854775807", "0", "-0", "0x10", "1_000", " 7", "99999999999999999999.99", "-€ 1.000,00"]
NASTY = ["\x00", "\x07", "\u202e", "\u2066x\u2069", "\ufeff", "\ud7ff", "<script>alert(1)</script>", "' OR 1=1 --",
         "%00", "../../etc/passwd", "a" * 5000, "\U0001f600" * 300, "ትግርኛ", "العربية", "\r\n\r\n", "{{7*7}}"]
VALUES = st.one_of(
    st.sampled_from(HUGE + ODD + NASTY),
    st.text(max_size=60),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.lists(st.sampled_from(["1", "x", "", "9223372036854775808"]), min_size=2, max_size=3),
)

fuzz_settings = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None, print_blob=False,
                         suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _role(row: Row) -> str:
    return next(role for role in PREFERRED if role in row.allowed)


def fingerprint() -> str:
    """A checksum of every row of every table, but those that record attempts by design."""
    digest = hashlib.sha256()
    for table in db.metadata.sorted_tables:
        if any(word in table.name for word in NOT_FINGERPRINTED):
            continue
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        digest.update(f"{table.name}:{sorted(map(repr, rows))}".encode())
    return digest.hexdigest()


FUZZED = [row for row in all_rows() if not row.endpoint.startswith("static") and row.allowed]


def _signed_in(app, role: str):
    client = app.test_client()
    if role != ANONYMOUS:
        login(client, ROLE_USER[role])
    return client


@pytest.mark.parametrize("row", FUZZED, ids=lambda r: f"{r.method}-{r.endpoint}")
def test_hostile_input_never_gives_a_500_nor_changes_a_row_when_refused(app, world, row: Row) -> None:
    role = _role(row)
    tried, errors, held = [0], [], []

    def client_for():
        if not held:  # one signed-in client per endpoint; a new one after a sign-out or an expired session
            held.append(_signed_in(app, role))
        return held[0]

    def check(client, path: str, query: dict, form: dict, hx: bool) -> None:
        headers = {**row.headers, "HX-Request": "true"} if hx else row.headers
        with app.app_context():
            before = fingerprint()
        if row.method == "GET":
            response = client.get(path, query_string=query, headers=headers)
        else:
            response = client.post(path, query_string=query, data=form, headers=headers)
        response.close()
        tried[0] += 1
        if response.status_code == 401 or "/login" in response.headers.get("Location", ""):
            held.clear()
        problem = None
        if response.status_code >= 500:
            problem = f"{response.status_code} for {row.method} {path} query={query!r} form={form!r}"
        elif response.status_code >= 400:
            with app.app_context():
                if fingerprint() != before:
                    problem = f"{response.status_code} but rows changed: {row.method} {path} {query!r} {form!r}"
        if problem and COUNT_TO:
            errors.append(problem[:400])
        elif problem:
            raise AssertionError(problem)

    @fuzz_settings
    @given(data=st.data())
    def attempt(data) -> None:
        url = urlsplit(row.url(world))
        query = dict(parse_qsl(url.query))
        for name in data.draw(st.lists(st.sampled_from(sorted(set(query) | set(QUERY_NAMES))), max_size=3)):
            query[name] = data.draw(VALUES.filter(lambda v: isinstance(v, str)))
        form = dict(row.data(world)) if row.data else {}
        for name in data.draw(st.lists(st.sampled_from(sorted(form) or ["x"]), max_size=len(form) + 1)):
            form[name] = data.draw(VALUES)
        for name in data.draw(st.lists(st.sampled_from(EXTRA_FIELDS), max_size=3)):
            form[name] = data.draw(VALUES)
        check(client_for(), url.path, query, form, data.draw(st.booleans()))

    # A sweep first, so the well-known killers are sent on every endpoint whatever Hypothesis draws:
    # each huge or malformed number in every query parameter and every form field at once.
    # Every other one as htmx asks, since some endpoints answer only that (the resident's poll for replies).
    sweep = [(v, hx) for v in HUGE[:2] for hx in (False, True)] + [(v, i % 2 == 1) for i, v in enumerate(HUGE[2:])]
    for value, hx in sweep:
        url = urlsplit(row.url(world))
        query = dict.fromkeys(set(dict(parse_qsl(url.query))) | set(QUERY_NAMES), value)
        form = dict.fromkeys(set(row.data(world) if row.data else {}) | set(EXTRA_FIELDS), value)
        check(client_for(), url.path, query, form, hx)
    attempt()
    if COUNT_TO:
        with open(COUNT_TO, "a", encoding="utf-8") as out:
            out.write(json.dumps({"endpoint": f"{row.method} {row.endpoint}", "tried": tried[0],
                                  "problems": errors}) + "\n")
