"""A number in a URL that no database column can hold answers 404 (or 405), never 500: every <int:…> stops at the
largest PostgreSQL integer (portal/__init__.py, BoundedInt). Checked on every route of the access table that
has a number in its path, as a role allowed there, with 2^31 (out of range on PostgreSQL) and 2^63 (beyond SQLite)."""

from __future__ import annotations

import re

import pytest

from tests.access_table import ANONYMOUS, all_rows
from tests.conftest import login
from tests.test_access import ROLE_USER

NUMBER = re.compile(r"(?<=/)\d+(?=/|$|\.)")
ROWS = [row for row in all_rows() if row.allowed - {ANONYMOUS}]


@pytest.mark.parametrize("huge", [2**31, 2**63, 10**30])
def test_huge_numbers_in_any_path_are_404(app, world, huge: int) -> None:
    clients = {}
    checked = 0
    for row in ROWS:
        url = row.url(world)
        if not NUMBER.search(url):
            continue
        role = sorted(row.allowed - {ANONYMOUS})[0]
        if role not in clients:
            clients[role] = app.test_client()
            login(clients[role], ROLE_USER[role])
        client = clients[role]
        target = NUMBER.sub(str(huge), url)
        response = client.get(target) if row.method == "GET" else client.post(target, data={})
        # routing refuses it: no such route (404), or a route of another method matched (405)
        assert response.status_code in (404, 405), f"{row.method} {target}: {response.status_code}"
        checked += 1
    assert checked > 40  # most of the file and every id route
