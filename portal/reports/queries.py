"""Aggregates over all residents."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from portal.accounts.models import User
from portal.caseload.models import Resident
from portal.db import db


@dataclass
class Overview:
    residents: int
    activated: int
    caseworkers: int
    by_language: list[tuple[str, int]]


def overview() -> Overview:
    """Counts only: residents in guidance, accounts in use, spread over languages and caseworkers."""
    residents, activated, caseworkers = db.session.execute(
        select(
            func.count(Resident.id),
            func.count(User.password_hash),
            func.count(func.distinct(Resident.contact_person_id)),
        ).join(User, User.id == Resident.user_id)
    ).one()
    by_language = db.session.execute(
        select(User.language, func.count())
        .join(Resident, Resident.user_id == User.id)
        .group_by(User.language)
        .order_by(func.count().desc(), User.language)
    ).all()
    return Overview(residents, activated, caseworkers, [tuple(row) for row in by_language])
