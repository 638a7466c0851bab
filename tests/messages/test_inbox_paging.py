"""Paging the staff inbox: any page number gives a page, and every row keeps its figures."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.db import utcnow
from portal.messages import queries
from tests.conftest import login
from tests.factories import make_caseworker, make_counsellor, make_resident
from tests.messages.factories import make_message, make_settings


@pytest.fixture
def inbox(ctx):
    """55 conversations: the newest first; every fifth has two unread replies, the rest were read."""
    sanne, pieter = make_caseworker(), make_counsellor()
    residents = []
    for i in range(55):
        resident = make_resident(contact_person=sanne, counsellor=pieter, username=f"bewoner{i:02d}")
        unread = i % 5 == 0
        for minutes in (2, 1):
            make_message(resident, created_at=utcnow() - timedelta(hours=i, minutes=minutes),
                         read_at=None if unread else utcnow())
        if i % 2 == 0:
            make_settings(resident, counsellor_may_read=True)
        residents.append(resident)
    return sanne, pieter, residents


def _order(residents) -> list[str]:
    unread = [r for i, r in enumerate(residents) if i % 5 == 0]
    return [r.user.username for r in unread + [r for r in residents if r not in unread]]


def test_two_pages_in_two_statements_each(inbox, count_queries) -> None:
    sanne, _, residents = inbox
    before = count_queries.count
    first, total = queries.inbox_for_staff(staff=sanne, page=1)
    assert count_queries.count - before == 2
    second, again = queries.inbox_for_staff(staff=sanne, page=2)
    assert (total, again, len(first), len(second)) == (55, 55, queries.INBOX_PAGE, 5)
    assert [row.resident.user.username for row in first + second] == _order(residents)
    rows = {row.resident.user.username: row for row in first + second}
    for i, resident in enumerate(residents):
        row = rows[resident.user.username]
        assert row.unread == (2 if i % 5 == 0 else 0) and row.status == ("new" if i % 5 == 0 else "waiting")
        assert row.counsellor_may_read is (i % 2 == 0)


@pytest.mark.parametrize(("page", "length"), [(0, 50), (-1, 50), (3, 5), (10**30, 5)])
def test_a_page_out_of_range_gives_the_nearest_page(inbox, page, length) -> None:
    sanne, _, _ = inbox
    rows, total = queries.inbox_for_staff(staff=sanne, page=page)
    assert total == 55 and len(rows) == length


def test_a_counsellor_pages_through_consented_conversations_only(inbox) -> None:
    _, pieter, _ = inbox
    rows, total = queries.inbox_for_staff(staff=pieter, page=10**9)
    assert total == 28 and len(rows) == 28 and all(row.counsellor_may_read for row in rows)


def test_the_inbox_page_takes_any_page_number(app, client, world) -> None:
    login(client, world.sanne)
    for page in ("0", "-3", "2", str(10**30), "x"):
        assert client.get(f"/staff/messages?page={page}").status_code == 200, page
