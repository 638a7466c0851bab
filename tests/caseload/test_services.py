"""Creating residents and reading the caseload, without HTTP."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.caseload.models import Resident
from portal.caseload.queries import caseload_list_for_staff, resident_get_for_staff
from portal.caseload.services import resident_create
from portal.db import db
from portal.domain import DomainError
from portal.roles import Role
from tests.factories import make_caseworker, make_counsellor, make_resident, make_user


def test_resident_create_makes_an_account_without_password(ctx) -> None:
    sanne = make_caseworker()
    pieter = make_counsellor()
    resident = resident_create(name="  Selam Haile ", language="ti", contact_person=sanne, counsellor=pieter,
                               date_of_birth=date(2005, 2, 1), linked_on=date(2026, 10, 1))
    assert resident.user.name == "Selam Haile" and resident.user.username == "selam.haile"
    assert resident.user.role == "resident" and resident.user.password_hash is None
    assert resident.client_number == f"W{resident.user_id:06d}"
    assert (resident.contact_person, resident.counsellor) == (sanne, pieter)


BAD_NAME = "Vul een geldige naam in."


@pytest.mark.parametrize("overrides, field, message", [
    ({"name": ""}, "name", BAD_NAME),
    ({"name": "x" * 121}, "name", BAD_NAME),
    ({"name": "Evil \u202eName"}, "name", BAD_NAME),
    ({"language": "de"}, "language", "Kies een taal uit de lijst."),
    ({"date_of_birth": date(3000, 1, 1)}, "date_of_birth", "Deze geboortedatum kan niet kloppen."),
    ({"linked_on": date(3000, 1, 1)}, "linked_on", "De koppeling kan niet in de toekomst liggen."),
])
def test_resident_create_refuses_bad_input(ctx, overrides, field, message) -> None:
    args = {"name": "Selam Haile", "language": "ti", "contact_person": make_caseworker()}
    args.update(overrides)
    with pytest.raises(DomainError) as error:
        resident_create(**args)
    assert (error.value.field, str(error.value)) == (field, message)
    assert db.session.scalar(select(func.count()).select_from(Resident)) == 0


def test_only_caseworkers_are_contact_persons_and_only_counsellors_counsellors(ctx) -> None:
    with pytest.raises(DomainError) as error:
        resident_create(name="A B", language="ar", contact_person=make_counsellor())
    assert (error.value.field, str(error.value)) == (None, "Een contactpersoon moet een regievoerder zijn.")
    with pytest.raises(DomainError) as error:
        resident_create(name="A B", language="ar", contact_person=make_caseworker(), counsellor=make_caseworker())
    assert (error.value.field, str(error.value)) == (
        "counsellor_id", "Kies een maatschappelijk begeleider uit de lijst.")
    assert db.session.scalar(select(func.count()).select_from(Resident)) == 0


def test_caseload_is_limited_to_own_residents_and_searchable(ctx) -> None:
    sanne, ruben = make_caseworker(), make_caseworker()
    pieter = make_counsellor()
    mine = [make_resident(contact_person=sanne, name=f"Amal Test{i}") for i in range(3)]
    make_resident(contact_person=ruben, name="Amal Other")
    counselled = make_resident(contact_person=ruben, counsellor=pieter, name="Counselled One")
    residents, total = caseload_list_for_staff(staff=sanne)
    assert total == 3 and set(residents) == set(mine)
    found, total = caseload_list_for_staff(staff=sanne, search="test1")
    assert total == 1 and found == [mine[1]]
    by_number, _ = caseload_list_for_staff(staff=sanne, search=mine[2].client_number.lower())
    assert by_number == [mine[2]]
    assert caseload_list_for_staff(staff=pieter)[0] == [counselled]
    assert resident_get_for_staff(staff=sanne, resident_id=counselled.id) is None
    assert resident_get_for_staff(staff=pieter, resident_id=counselled.id) is counselled
    lead = make_user(role=Role.LEAD)
    assert caseload_list_for_staff(staff=lead) == ([], 0)


def test_caseload_pages(ctx) -> None:
    sanne = make_caseworker()
    for i in range(55):
        make_resident(contact_person=sanne, name=f"Person {i:02d}")
    first, total = caseload_list_for_staff(staff=sanne, page=1)
    second, _ = caseload_list_for_staff(staff=sanne, page=2)
    assert total == 55 and len(first) == 50 and len(second) == 5
    assert not set(first) & set(second)
