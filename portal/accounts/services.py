"""Writes for accounts: passwords, activation codes, language and preferences."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import select, update

from portal.accounts.models import ActivationCode, User
from portal.db import db, utcnow
from portal.domain import DomainError
from portal.i18n import STAFF_LANGUAGES, _l, languages_for
from portal.registry import credentials_reset
from portal.roles import Role

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by hand
CODE_LENGTH = 12
PASSWORD_MIN = 10
PASSWORD_MAX = 128


@cache
def common_passwords() -> frozenset[str]:
    """The most common passwords (common_passwords.txt says where the list comes from)."""
    text = (Path(__file__).with_name("common_passwords.txt")).read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def password_hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ARGON2_TIME_COST"],
        memory_cost=cfg["ARGON2_MEMORY_COST"],
        parallelism=cfg["ARGON2_PARALLELISM"],
    )


def password_hash(password: str) -> str:
    return password_hasher().hash(password)


def _check_password_rules(password: str, *, username: str) -> None:
    """For passwords people choose: long enough, not too long, not a common one; no composition rules."""
    if len(password) < PASSWORD_MIN:
        raise DomainError(_l("Kies een wachtwoord van minstens 10 tekens."), field="password")
    if len(password) > PASSWORD_MAX:
        raise DomainError(_l("Kies een wachtwoord van hoogstens 128 tekens."), field="password")
    if password.lower() in common_passwords() or password.lower() == username.lower():
        raise DomainError(_l("Dit wachtwoord is te makkelijk te raden. Kies een ander."), field="password")


def user_authenticate(*, username: str, password: str) -> User | None:
    """The active account with this name and password, or None; same work either way."""
    hasher = password_hasher()
    user = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    stored = user.password_hash if user is not None and user.active else None
    if stored is None:
        # Hash anyway so unknown names and wrong passwords take the same time.
        hasher.hash(password)
        return None
    try:
        hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if hasher.check_needs_rehash(stored):
        user.password_hash = hasher.hash(password)
    user.last_login_at = utcnow()
    return user


def user_set_password(*, user: User, current: str, new: str) -> User:
    """Change one's own password; ends every other session."""
    try:
        password_hasher().verify(user.password_hash or "", current)
    except (VerificationError, InvalidHashError):
        raise DomainError(_l("Je huidige wachtwoord klopt niet."), field="current") from None
    _check_password_rules(new, username=user.username)
    user.password_hash = password_hash(new)
    user.session_version += 1
    db.session.flush()
    return user


def user_sign_out(*, user: User) -> User:
    """End every session of this account: a copied session cookie no longer opens anything."""
    user.session_version += 1
    db.session.flush()
    return user


def user_set_language(*, user: User, language: str) -> User:
    """Store the account's language; staff choose between Dutch and English."""
    if language not in languages_for(user):
        raise DomainError(_l("Kies een taal uit de lijst."), field="language")
    user.language = language
    db.session.flush()
    return user


def user_set_email(*, user: User, email: str | None) -> User:
    """Set or clear the address for notifications."""
    email = (email or "").strip() or None
    if email is not None and (len(email) > 254 or "@" not in email):
        raise DomainError(_l("Dit is geen geldig e-mailadres."), field="email")
    user.email = email
    db.session.flush()
    return user


def user_set_preferences(*, user: User, show_dutch: bool) -> User:
    """Turn "also show Dutch" on or off."""
    user.show_dutch = bool(show_dutch)
    db.session.flush()
    return user


def normalise_code(raw: str) -> str:
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _code_digest(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def activation_code_issue(*, user: User, issued_by: User | None, now: datetime | None = None) -> str:
    """A new single-use code for 14 days; earlier codes and the old password stop working, sessions end."""
    now = now or utcnow()
    db.session.execute(
        update(ActivationCode)
        .where(ActivationCode.user_id == user.id, ActivationCode.used_at.is_(None),
               ActivationCode.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    db.session.add(
        ActivationCode(
            user_id=user.id,
            code_hash=_code_digest(code),
            created_by_id=issued_by.id if issued_by else None,
            created_at=now,
            expires_at=now + timedelta(days=current_app.config["ACTIVATION_DAYS"]),
        )
    )
    # A new code is handed out because the old way in may be lost (a phone, a letter): the old
    # password ends now, and so does what it gave access to (the calendar feed).
    user.password_hash = None
    user.session_version += 1
    db.session.flush()
    credentials_reset(user)
    return format_code(code)


def activation_code_find(code: str, *, now: datetime | None = None) -> ActivationCode | None:
    """The usable code record for this code, or None when unknown, used, revoked or expired."""
    if len(normalise_code(code)) != CODE_LENGTH:
        return None
    record = db.session.scalar(select(ActivationCode).where(ActivationCode.code_hash == _code_digest(code)))
    if record is None or not record.usable(now or utcnow()) or not record.user.active:
        return None
    return record


def activation_code_redeem(*, code: str, password: str, now: datetime | None = None) -> User:
    """Use a code once to set a password; the account's other sessions end."""
    now = now or utcnow()
    record = activation_code_find(code, now=now)
    if record is None:
        raise DomainError(
            _l("Deze code werkt niet (meer). Vraag je contactpersoon om een nieuwe code."), field="code"
        )
    user = record.user
    _check_password_rules(password, username=user.username)
    # Claim the code in one statement so two simultaneous submits cannot both use it.
    claimed = db.session.execute(
        update(ActivationCode)
        .where(ActivationCode.id == record.id, ActivationCode.used_at.is_(None))
        .values(used_at=now)
    ).rowcount
    if claimed != 1:
        raise DomainError(
            _l("Deze code werkt niet (meer). Vraag je contactpersoon om een nieuwe code."), field="code"
        )
    user.password_hash = password_hash(password)
    user.session_version += 1
    user.last_login_at = now
    db.session.flush()
    return user


def username_suggest(name: str) -> str:
    """A free, readable sign-in name from a person's name: 'Fatima Haddad' -> 'fatima.haddad'."""
    import unicodedata

    name = name.translate(str.maketrans({"ı": "i", "ß": "ss", "ø": "o", "æ": "ae", "đ": "d", "ł": "l"}))
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    parts = ["".join(ch for ch in part.lower() if ch.isalnum()) for part in ascii_name.split()]
    parts = [p for p in parts if p]
    base = ".".join(parts[:1] + parts[-1:]) if len(parts) > 1 else (parts[0] if parts else "bewoner")
    base = base[:40]
    candidate, n = base, 1
    while db.session.scalar(select(User.id).where(User.username == candidate)) is not None:
        n += 1
        candidate = f"{base}{n}"
    return candidate


def staff_create(*, username: str, name: str, role: Role, language: str = "nl",
                 password: str | None = None) -> User:
    """A staff account; without a password it is activated with a code."""
    if role == Role.RESIDENT:
        raise DomainError(_l("Maak bewoners aan via de caseload."), field="role")
    username = username.strip().lower()
    if not username or len(username) > 64 or not all(ch.isalnum() or ch in "._-" for ch in username):
        raise DomainError(_l("Gebruik voor de gebruikersnaam alleen letters, cijfers, punt, streepje."),
                          field="username")
    if db.session.scalar(select(User.id).where(User.username == username)) is not None:
        raise DomainError(_l("Deze gebruikersnaam bestaat al."), field="username")
    if language not in STAFF_LANGUAGES:
        raise DomainError(_l("Kies een taal uit de lijst."), field="language")
    user = User(username=username, name=name.strip(), role=role.value, language=language)
    if password is not None:
        _check_password_rules(password, username=username)
        user.password_hash = password_hash(password)
    db.session.add(user)
    db.session.flush()
    return user


def staff_set_active(*, user: User, active: bool) -> User:
    """Switch a staff account off or on; switching off ends its sessions."""
    if user.role == Role.RESIDENT:
        raise DomainError(_l("Dit is geen medewerker."))
    user.active = active
    user.session_version += 1
    db.session.flush()
    return user
