"""make_<thing>(**overrides): test data with sensible defaults. Call inside an app context."""

from __future__ import annotations

import itertools
from datetime import date

from portal.accounts.models import User
from portal.accounts.services import password_hash
from portal.caseload.models import Resident
from portal.db import db
from portal.roles import Role

PASSWORD = "demo-password"
_seq = itertools.count(1)
_hash_cache: dict[str, str] = {}


def _hashed(password: str) -> str:
    if password not in _hash_cache:
        _hash_cache[password] = password_hash(password)
    return _hash_cache[password]


def make_user(*, role: Role = Role.CASEWORKER, username: str | None = None, password: str | None = PASSWORD,
              **overrides) -> User:
    n = next(_seq)
    user = User(
        username=username or f"{role.value}{n}",
        name=overrides.pop("name", f"{role.value.title()} Test{n}"),
        role=role.value,
        language=overrides.pop("language", "nl"),
        password_hash=_hashed(password) if password else None,
        **overrides,
    )
    db.session.add(user)
    db.session.flush()
    return user


def make_caseworker(**overrides) -> User:
    return make_user(role=Role.CASEWORKER, **overrides)


def make_counsellor(**overrides) -> User:
    return make_user(role=Role.COUNSELLOR, **overrides)


def make_resident(*, contact_person: User | None = None, counsellor: User | None = None,
                  username: str | None = None, language: str = "ar", password: str | None = PASSWORD,
                  name: str | None = None, **overrides) -> Resident:
    contact_person = contact_person or make_caseworker()
    user = make_user(role=Role.RESIDENT, username=username, language=language, password=password,
                     **({"name": name} if name else {}))
    resident = Resident(
        user=user,
        contact_person=contact_person,
        counsellor=counsellor,
        client_number=overrides.pop("client_number", f"W{user.id:06d}"),
        date_of_birth=overrides.pop("date_of_birth", date(1990, 5, 17)),
        linked_on=overrides.pop("linked_on", date(2026, 6, 1)),
        benefit_started_on=overrides.pop("benefit_started_on", date(2026, 9, 1)),
        **overrides,
    )
    db.session.add(resident)
    db.session.flush()
    return resident
