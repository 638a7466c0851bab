"""Paging the caseload: any page number gives a page, never an error."""

from __future__ import annotations

import pytest

from portal.caseload.queries import PAGE_SIZE, caseload_list_for_staff
from tests.conftest import login
from tests.factories import make_caseworker, make_resident


@pytest.fixture
def sanne_with_55(ctx):
    sanne = make_caseworker()
    residents = [make_resident(contact_person=sanne, name=f"Persoon {i:02d}") for i in range(55)]
    return sanne, residents


def test_pages_follow_the_names_and_count_all(sanne_with_55) -> None:
    sanne, residents = sanne_with_55
    first, total = caseload_list_for_staff(staff=sanne, page=1)
    second, again = caseload_list_for_staff(staff=sanne, page=2)
    assert (total, again) == (55, 55) and first == residents[:PAGE_SIZE] and second == residents[PAGE_SIZE:]


@pytest.mark.parametrize(("page", "expected"), [(0, 1), (-7, 1), (3, 2), (10**30, 2)])
def test_a_page_out_of_range_gives_the_nearest_page(sanne_with_55, page, expected) -> None:
    sanne, residents = sanne_with_55
    found, total = caseload_list_for_staff(staff=sanne, page=page)
    assert total == 55
    assert found == (residents[:PAGE_SIZE] if expected == 1 else residents[PAGE_SIZE:])


def test_search_is_paged_too(sanne_with_55) -> None:
    sanne, residents = sanne_with_55
    found, total = caseload_list_for_staff(staff=sanne, search="PERSOON", page=10**6)
    assert total == 55 and found == residents[PAGE_SIZE:]
    assert caseload_list_for_staff(staff=sanne, search="persoon 5", page=2) == (residents[50:], 5)
    assert caseload_list_for_staff(staff=sanne, search="niemand", page=4) == ([], 0)


def test_the_caseload_page_takes_any_page_number(app, client, world) -> None:
    login(client, world.sanne)
    for page in ("0", "-3", "2", str(10**30), "x"):
        response = client.get(f"/staff/?page={page}")
        assert response.status_code == 200, page
        assert "Amina Haddad" in response.get_data(as_text=True), page
