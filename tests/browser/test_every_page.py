"""axe-core (WCAG 2.1 AA) on every page of the access table, as every role that may see it,
on a phone for residents and on a desktop for staff; no console errors, no CSP violations."""

from __future__ import annotations

import pytest

from portal.caseload.models import Resident
from portal.db import db
from tests.access_table import ANONYMOUS, all_rows
from tests.browser.conftest import PHONE, _watched, assert_accessible
from tests.conftest import build_world
from tests.factories import PASSWORD
from tests.messages.factories import make_settings

pytestmark = pytest.mark.browser

ROLE_USER = {"resident": "amina", "caseworker": "sanne", "counsellor": "pieter", "lead": "lead", "admin": "admin"}
PAGES = [row for row in all_rows() if row.method == "GET" and row.page]


@pytest.mark.parametrize("role", [ANONYMOUS, "resident", "caseworker", "counsellor", "lead", "admin"])
def test_every_page_is_accessible(app, browser, live_server, role) -> None:
    # Pages for everyone (sign-in, activation) are checked once, signed out.
    rows = [row for row in PAGES if role in row.allowed and (role == ANONYMOUS or ANONYMOUS not in row.allowed)]
    assert rows
    with app.app_context():
        world = build_world()
        # amina lets her counsellor read her messages, so pieter's message pages exist too.
        make_settings(db.session.get(Resident, world.amina_id), counsellor_may_read=True)
        db.session.commit()
    viewport = PHONE if role in (ANONYMOUS, "resident") else {"width": 1280, "height": 900}
    watcher = _watched(browser, live_server, viewport=viewport, locale="ar" if role == "resident" else "nl-NL")
    watched = next(watcher)
    try:
        if role != ANONYMOUS:
            watched.sign_in(ROLE_USER[role], PASSWORD)
        for row in rows:
            response = watched.goto(row.url(world))
            assert response.status == 200, row.endpoint
            watched.page.wait_for_load_state("networkidle")  # lazy panels have loaded
            assert_accessible(watched.page)
        watched.assert_clean()
    finally:
        watcher.close()
