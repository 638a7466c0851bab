"""Imports every area's tables so metadata, migrations and mappers see them all."""

from portal.accounts.models import ActivationCode, User
from portal.audit.models import AuditEvent
from portal.caseload.models import Resident

__all__ = ["ActivationCode", "AuditEvent", "Resident", "User"]
