"""Reads of accounts."""

from __future__ import annotations

from sqlalchemy import select

from portal.accounts.models import User
from portal.db import db
from portal.roles import Role


def staff_accounts_list() -> list[User]:
    """Every staff account (active or not), by name."""
    return list(db.session.scalars(select(User).where(User.role != Role.RESIDENT.value).order_by(User.name)))


def staff_account_get(user_id: int) -> User | None:
    """A staff account by id; None for a resident's account or an unknown id."""
    user = db.session.get(User, user_id)
    return user if user is not None and user.role != Role.RESIDENT.value else None


def user_id_by_username(username: str) -> int | None:
    """The id of the account with this sign-in name, or None."""
    return db.session.scalar(select(User.id).where(User.username == username.strip().lower()[:64]))


def user_get(user_id: object) -> User | None:
    """An account by id (any role); None for an unknown or malformed id."""
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not 0 < user_id < 2**31:
        return None
    return db.session.get(User, user_id)
