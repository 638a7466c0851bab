"""The five roles. No model imports here, so every layer (web/ included) may use it."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    RESIDENT = "resident"
    CASEWORKER = "caseworker"
    COUNSELLOR = "counsellor"
    LEAD = "lead"
    ADMIN = "admin"


STAFF_ROLES = frozenset({Role.CASEWORKER, Role.COUNSELLOR, Role.LEAD, Role.ADMIN})
