"""Imports every area's tables so metadata, migrations and mappers see them all."""

from portal.accounts.models import ActivationCode, User
from portal.appointments import models as appointments_models
from portal.audit.models import AuditEvent
from portal.caseload.models import Resident
from portal.learn import models as learn_models
from portal.messages import models as messages_models
from portal.ontzorgen import models as ontzorgen_models
from portal.plan import models as plan_models

__all__ = [
    "ActivationCode", "AuditEvent", "Resident", "User", "appointments_models", "learn_models", "messages_models",
    "ontzorgen_models", "plan_models",
]
