"""Account services without HTTP: passwords, activation codes, language, staff accounts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.accounts import services
from portal.accounts.models import ActivationCode, User
from portal.db import db, utcnow
from portal.domain import DomainError
from portal.roles import Role
from tests.factories import PASSWORD, make_caseworker, make_resident

# The services' messages (Dutch source text, as str() of the DomainError gives it outside a request).
CODE_DOES_NOT_WORK = "Deze code werkt niet (meer). Vraag je contactpersoon om een nieuwe code."
TOO_EASY = "Dit wachtwoord is te makkelijk te raden. Kies een ander."
CHOOSE_LANGUAGE = "Kies een taal uit de lijst."


def refusal(error: DomainError) -> tuple[str | None, str]:
    return error.field, str(error)


def test_authenticate_accepts_the_right_password_only(ctx) -> None:
    user = make_caseworker(username="sanne")
    assert services.user_authenticate(username="sanne", password=PASSWORD) is user
    assert services.user_authenticate(username="SANNE ", password=PASSWORD) is user
    assert services.user_authenticate(username="sanne", password="wrong") is None
    assert services.user_authenticate(username="nobody", password=PASSWORD) is None
    assert user.last_login_at is not None


def test_inactive_or_unactivated_accounts_cannot_sign_in(ctx) -> None:
    make_caseworker(username="gone", active=False)
    make_resident(username="new", password=None)
    assert services.user_authenticate(username="gone", password=PASSWORD) is None
    assert services.user_authenticate(username="new", password="") is None


def test_activation_code_sets_password_once(ctx) -> None:
    resident = make_resident(username="fatima", password=None)
    code = services.activation_code_issue(user=resident.user, issued_by=resident.contact_person)
    assert len(code) == 14 and code.count("-") == 2
    stored = db.session.scalars(select(ActivationCode)).one()
    assert code.replace("-", "") not in stored.code_hash  # only a hash is kept
    user = services.activation_code_redeem(code=code.lower(), password="zomer-2026-fiets")
    assert user.has_password
    assert services.user_authenticate(username="fatima", password="zomer-2026-fiets") is user
    with pytest.raises(DomainError) as error:
        services.activation_code_redeem(code=code, password="another-password-1")
    assert refusal(error.value) == ("code", CODE_DOES_NOT_WORK)
    assert services.user_authenticate(username="fatima", password="another-password-1") is None


def test_activation_code_expires_after_fourteen_days(ctx) -> None:
    resident = make_resident(password=None)
    issued = utcnow() - timedelta(days=14, minutes=1)
    code = services.activation_code_issue(user=resident.user, issued_by=None, now=issued)
    assert services.activation_code_find(code, now=issued + timedelta(days=13)) is not None
    assert services.activation_code_find(code) is None
    with pytest.raises(DomainError) as error:
        services.activation_code_redeem(code=code, password="zomer-2026-fiets")
    assert refusal(error.value) == ("code", CODE_DOES_NOT_WORK)
    assert not resident.user.has_password


def test_new_code_revokes_the_old_one_and_ends_sessions(ctx) -> None:
    resident = make_resident()
    version = resident.user.session_version
    first = services.activation_code_issue(user=resident.user, issued_by=None)
    second = services.activation_code_issue(user=resident.user, issued_by=None)
    assert services.activation_code_find(first) is None
    assert services.activation_code_find(second) is not None
    assert resident.user.session_version == version + 2


def test_new_code_ends_the_old_password_at_once(ctx) -> None:
    resident = make_resident(username="lost.phone")
    assert services.user_authenticate(username="lost.phone", password=PASSWORD) is resident.user
    services.activation_code_issue(user=resident.user, issued_by=resident.contact_person)
    assert not resident.user.has_password
    assert services.user_authenticate(username="lost.phone", password=PASSWORD) is None


def test_new_code_renews_an_existing_calendar_feed(ctx) -> None:
    from portal.appointments.feedtoken import feed_url_token
    from portal.appointments.queries import calendar_feed_by_token
    from portal.appointments.services import calendar_feed_reset

    resident = make_resident()
    old = feed_url_token(calendar_feed_reset(resident=resident, now=utcnow() - timedelta(days=3)))
    assert calendar_feed_by_token(old) is not None
    services.activation_code_issue(user=resident.user, issued_by=None)
    assert calendar_feed_by_token(old) is None, "the old feed URL stops working"
    other = make_resident()  # without a feed: none is made for them
    services.activation_code_issue(user=other.user, issued_by=None)
    from portal.appointments.models import CalendarFeed
    assert db.session.get(CalendarFeed, other.id) is None


def test_sign_out_raises_the_session_version(ctx) -> None:
    user = make_caseworker()
    version = user.session_version
    services.user_sign_out(user=user)
    assert user.session_version == version + 1


def test_common_password_list_is_shipped_whole() -> None:
    common = services.common_passwords()
    assert len(common) >= 10_000
    assert {"123456", "password", "1234567890", "qwertyuiop", "wachtwoord"} <= common


@pytest.mark.parametrize("password, message", [
    ("short", "Kies een wachtwoord van minstens 10 tekens."),
    ("negen-9ab", "Kies een wachtwoord van minstens 10 tekens."),
    ("1234567890", TOO_EASY),
    ("qwertyuiop", TOO_EASY),
    ("Password123", TOO_EASY),  # from the list, whatever the capitals
    ("x" * 129, "Kies een wachtwoord van hoogstens 128 tekens."),
])
def test_weak_passwords_are_refused(ctx, password, message) -> None:
    resident = make_resident(username="weak", password=None)
    code = services.activation_code_issue(user=resident.user, issued_by=None)
    with pytest.raises(DomainError) as error:
        services.activation_code_redeem(code=code, password=password)
    assert refusal(error.value) == ("password", message)
    assert services.activation_code_find(code) is not None  # the code still works
    assert not resident.user.has_password


@pytest.mark.parametrize("password", ["tien-tekens", "a" * 10, "x" * 128, "blauwe fiets"])
def test_long_enough_uncommon_passwords_need_no_composition_rules(ctx, password) -> None:
    resident = make_resident(username="free", password=None)
    code = services.activation_code_issue(user=resident.user, issued_by=None)
    assert services.activation_code_redeem(code=code, password=password).has_password


def test_password_equal_to_username_is_refused(ctx) -> None:
    resident = make_resident(username="mohammed.ali", password=None)
    code = services.activation_code_issue(user=resident.user, issued_by=None)
    with pytest.raises(DomainError) as error:
        services.activation_code_redeem(code=code, password="Mohammed.Ali")
    assert refusal(error.value) == ("password", TOO_EASY)
    assert not resident.user.has_password


def test_change_password_needs_the_current_one(ctx) -> None:
    user = make_caseworker()
    version = user.session_version
    with pytest.raises(DomainError) as error:
        services.user_set_password(user=user, current="wrong", new="a-much-better-one")
    assert refusal(error.value) == ("current", "Je huidige wachtwoord klopt niet.")
    assert user.session_version == version
    services.user_set_password(user=user, current=PASSWORD, new="a-much-better-one")
    assert user.session_version == version + 1
    assert services.user_authenticate(username=user.username, password="a-much-better-one") is user


def test_staff_may_only_choose_dutch_or_english(ctx) -> None:
    staff = make_caseworker()
    resident = make_resident()
    with pytest.raises(DomainError) as error:
        services.user_set_language(user=staff, language="ar")
    assert refusal(error.value) == ("language", CHOOSE_LANGUAGE)
    assert staff.language == "nl"
    services.user_set_language(user=staff, language="en")
    services.user_set_language(user=resident.user, language="ti")
    assert (staff.language, resident.user.language) == ("en", "ti")
    with pytest.raises(DomainError) as error:
        services.user_set_language(user=resident.user, language="xx")
    assert refusal(error.value) == ("language", CHOOSE_LANGUAGE)
    assert resident.user.language == "ti"


def test_staff_create_checks_names(ctx) -> None:
    user = services.staff_create(username="Nieuw.Iemand", name="Nieuw Iemand", role=Role.CASEWORKER)
    assert user.username == "nieuw.iemand" and not user.has_password
    with pytest.raises(DomainError) as error:
        services.staff_create(username="nieuw.iemand", name="Dubbel", role=Role.CASEWORKER)
    assert refusal(error.value) == ("username", "Deze gebruikersnaam bestaat al.")
    with pytest.raises(DomainError) as error:
        services.staff_create(username="bad name!", name="X", role=Role.LEAD)
    assert refusal(error.value) == (
        "username", "Gebruik voor de gebruikersnaam alleen letters, cijfers, punt, streepje.")
    with pytest.raises(DomainError) as error:
        services.staff_create(username="res", name="X", role=Role.RESIDENT)
    assert refusal(error.value) == ("role", "Maak bewoners aan via de caseload.")
    assert db.session.scalar(select(User).where(User.username == "res")) is None
    assert db.session.scalars(select(User.name).where(User.username == "nieuw.iemand")).all() == ["Nieuw Iemand"]


def test_username_suggestions_are_readable_and_free(ctx) -> None:
    make_resident(username="fatima.haddad")
    assert services.username_suggest("Fatima Haddad") == "fatima.haddad2"
    assert services.username_suggest("Ayşe  Yılmaz") == "ayse.yilmaz"
    assert services.username_suggest("يوسف") == "bewoner"
