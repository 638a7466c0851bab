"""Bad input on every foundation form: a clear message, status 422, nothing stored, never a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.accounts.models import ActivationCode, User
from portal.accounts.services import activation_code_issue
from portal.caseload.models import Resident
from portal.db import db
from tests.conftest import login
from tests.factories import make_resident

LONG = "a" * 10_000
BAD_TEXT = {
    "empty": "",
    "long": LONG,
    "control": "Fat\x00ima\x07",
    "bidi": "Fatima \u202eHaddad",
    "isolate": "Fatima \u2066x\u2069",
}


def _counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count(User.id))), db.session.scalar(select(func.count(Resident.id))),
                db.session.scalar(select(func.count(ActivationCode.id))))


@pytest.mark.parametrize("kind", list(BAD_TEXT))
def test_new_resident_name(app, client, world, kind) -> None:
    login(client, "sanne")
    before = _counts(app)
    response = client.post("/staff/residents/new", data={
        "name": BAD_TEXT[kind], "language": "ar", "date_of_birth": "1990-01-01", "linked_on": "2026-01-05"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "utrecht-form-field-error-message" in html
    assert _counts(app) == before


@pytest.mark.parametrize("field, value, message", [
    ("language", "xx", "Kies een optie uit de lijst."),
    ("language", "", "Kies een optie uit de lijst."),
    ("date_of_birth", "not-a-date", "Vul een geldige datum in."),
    ("date_of_birth", "2999-01-01", "Deze geboortedatum kan niet kloppen."),
    ("date_of_birth", "1850-01-01", "Deze geboortedatum kan niet kloppen."),
    ("linked_on", "31-31-2026", "Vul een geldige datum in."),
    ("linked_on", "2999-01-01", "De koppeling kan niet in de toekomst liggen."),
    ("counsellor_id", "999999", "Kies een optie uit de lijst."),
    ("counsellor_id", "abc", "Kies een optie uit de lijst."),
    ("benefit_started_on", LONG, "Vul een geldige datum in."),
])
def test_new_resident_other_fields(app, client, world, field, value, message) -> None:
    login(client, "sanne")
    before = _counts(app)
    data = {"name": "Nieuwe Bewoner", "language": "ar", "date_of_birth": "1990-01-01", "linked_on": "2026-01-05"}
    data[field] = value
    response = client.post("/staff/residents/new", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _counts(app) == before


def test_new_resident_with_good_input_gives_a_letter(app, client, world) -> None:
    login(client, "sanne")
    before = _counts(app)
    response = client.post("/staff/residents/new", data={
        "name": "Nieuwe Bewoner", "language": "ti", "date_of_birth": "1990-01-01", "linked_on": "2026-01-05",
        "counsellor_id": str(world.pieter_id)})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'lang="ti"' in html and "nieuwe.bewoner" in html
    assert _counts(app) == (before[0] + 1, before[1] + 1, before[2] + 1)
    with app.app_context():
        resident = db.session.scalars(select(Resident).join(Resident.user).where(User.name == "Nieuwe Bewoner")).one()
        assert resident.contact_person.username == "sanne" and resident.counsellor.username == "pieter"
        assert resident.user.password_hash is None


@pytest.mark.parametrize("kind", list(BAD_TEXT))
def test_login(client, world, kind) -> None:
    response = client.post("/login", data={"username": BAD_TEXT[kind], "password": BAD_TEXT[kind]})
    assert response.status_code == 422
    assert client.get("/").status_code == 302


def test_login_with_wrong_types(client, world) -> None:
    response = client.post("/login", data={"username": ["a", "b"], "password": ""}, content_type="multipart/form-data")
    assert response.status_code == 422
    response = client.post("/login", json={"username": 1, "password": 2})
    assert response.status_code == 422


@pytest.mark.parametrize("kind", list(BAD_TEXT))
def test_activation_code_form(client, kind) -> None:
    response = client.post("/activate", data={"code": BAD_TEXT[kind]})
    assert response.status_code == 422


@pytest.mark.parametrize("password", ["", LONG, "short"])
def test_activation_password(app, client, password) -> None:
    with app.app_context():
        resident = make_resident(username="nieuw", password=None)
        code = activation_code_issue(user=resident.user, issued_by=None)
        db.session.commit()
    response = client.post(f"/activate/{code}", data={"password": password, "confirm": password})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(User.password_hash).where(User.username == "nieuw")) is None


@pytest.mark.parametrize("path, data", [
    ("/account/language", {"language": "klingon"}),
    ("/account/language", {"language": ""}),
    ("/account/email", {"email": "x" * 300 + "@example.org"}),
    ("/account/email", {"email": "a@b\u202ec.nl"}),
    ("/account/password", {"current": "", "password": "", "confirm": ""}),
    ("/account/password", {"current": "demo-password", "password": LONG, "confirm": LONG}),
    ("/account/password", {"current": "demo-password", "password": "kort", "confirm": "kort"}),
])
def test_account_forms(app, client, world, path, data) -> None:
    login(client, "amina")
    with app.app_context():
        before = db.session.execute(select(User.language, User.email, User.password_hash)
                                    .where(User.username == "amina")).one()
    response = client.post(path, data=data)
    assert response.status_code == 422
    assert "utrecht-form-field-error-message" in response.get_data(as_text=True)
    with app.app_context():
        after = db.session.execute(select(User.language, User.email, User.password_hash)
                                   .where(User.username == "amina")).one()
    assert before == after


@pytest.mark.parametrize("data", [
    {},
    {"name": LONG, "username": "ok", "role": "caseworker", "language": "nl"},
    {"name": "Ok", "username": "ok\u202e", "role": "caseworker", "language": "nl"},
    {"name": "Ok", "username": "ok", "role": "emperor", "language": "nl"},
    {"name": "Ok", "username": "ok", "role": "caseworker", "language": "ar"},
    {"name": "Ok", "username": "sanne", "role": "caseworker", "language": "nl"},
])
def test_admin_staff_form(app, client, world, data) -> None:
    login(client, "admin")
    before = _counts(app)
    response = client.post("/admin/staff", data=data)
    assert response.status_code == 422
    assert _counts(app) == before


def test_caseload_search_with_junk(client, world) -> None:
    login(client, "sanne")
    assert client.get("/staff/", query_string={"q": LONG}).status_code == 422
    assert client.get("/staff/", query_string={"q": "\u202e"}).status_code == 422
    assert client.get("/staff/", query_string={"page": "abc"}).status_code == 200
    assert client.get("/staff/", query_string={"page": "-5"}).status_code == 200


HUGE_NUMBERS = ["9223372036854775808", "-9223372036854775809", "2147483648", "1" * 400, "١٢", "1e9", "-1"]


@pytest.mark.parametrize("value", HUGE_NUMBERS)
@pytest.mark.parametrize("user, path, name, htmx", [
    ("amina", "/messages", "before", False),
    ("amina", "/messages/new", "after", True),
    ("amina", "/messages/new?after=1", "unread_from", True),
    ("sanne", "/staff/", "page", False),
    ("sanne", "/staff/messages", "page", False),
])
def test_numbers_in_the_query_string_are_bounded(client, world, user, path, name, htmx, value) -> None:
    """Ids and page numbers the database cannot hold (2^63 on SQLite, 2^31 on PostgreSQL) mean "none" or the
    last page: never a 500."""
    login(client, user)
    separator = "&" if "?" in path else "?"
    response = client.get(f"{path}{separator}{name}={value}", headers={"HX-Request": "true"} if htmx else {})
    assert response.status_code in (200, 204)
