"""Every page answers as a full page and, for htmx, as its fragment; both vary on HX-Request."""

from __future__ import annotations

import pytest

from tests.access_table import ANONYMOUS, all_rows
from tests.conftest import login

PAGES = [row for row in all_rows() if row.method == "GET" and row.page]
ROLE_USER = {"resident": "amina", "caseworker": "sanne", "counsellor": "pieter", "lead": "lead", "admin": "admin"}


def _role_for(row) -> str:
    for role in (ANONYMOUS, "resident", "caseworker", "counsellor", "lead", "admin"):
        if role in row.allowed:
            return role
    raise AssertionError(row)


@pytest.mark.parametrize("row", PAGES, ids=lambda r: r.endpoint)
def test_page_and_fragment(client, world, row) -> None:
    role = _role_for(row)
    if role != ANONYMOUS:
        login(client, ROLE_USER[role])
    url = row.url(world)
    full = client.get(url)
    assert full.status_code == 200
    assert "HX-Request" in full.headers.get("Vary", "")
    html = full.get_data(as_text=True)
    assert html.lstrip().startswith("<!doctype html>")
    assert '<main id="main"' in html

    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "HX-Request" in fragment.headers.get("Vary", "")
    part = fragment.get_data(as_text=True)
    assert "<html" not in part and "<main" not in part
    assert part.strip(), "the fragment must not be empty"
    # The fragment is the same markup the page includes.
    assert part.strip()[:60] in html

    boosted = client.get(url, headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in boosted.get_data(as_text=True)
    restore = client.get(url, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.get_data(as_text=True)
