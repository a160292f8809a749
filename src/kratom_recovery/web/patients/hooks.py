"""What runs after every write to a patient's records, inside the same transaction.

The safety engine registers here, so that onboarding, every check-in and every clinician
entry are evaluated without the writers knowing about it. Each hook takes
(patient, actor, now, source) where source names the action ("checkin", "onboarding", …).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.utils.module_loading import import_string

from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.patients.models import Patient

AFTER_WRITE: list[str] = [
    "kratom_recovery.web.safety.engine.evaluate_patient",
]

Hook = Callable[[Patient, User | None, datetime, str], None]


def after_write(patient: Patient, actor: User | None, now: datetime, source: str) -> None:
    for path in AFTER_WRITE:
        hook: Hook = import_string(path)
        hook(patient, actor, now, source)
