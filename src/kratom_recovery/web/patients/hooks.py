"""What runs after every write to a patient's records, inside the same transaction.

The safety engine registers here, so that onboarding, every check-in and every clinician
entry are evaluated without the writers knowing about it. Each hook takes
(patient, actor, now, source) where source names the action ("checkin", "onboarding", …).

Bulk seeding (the synthetic demo) may defer the hooks with `deferred()`: each patient is
then evaluated once, after their last write, instead of after every write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils.module_loading import import_string

from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.patients.models import Patient

AFTER_WRITE: list[str] = ["kratom_recovery.web.safety.engine.evaluate_patient"]

Hook = Callable[[Patient, User | None, datetime, str], None]
Pending = dict[int, tuple[Patient, User | None, datetime, str]]

_pending: ContextVar[Pending | None] = ContextVar("pending_hooks", default=None)


def run_hooks(patient: Patient, actor: User | None, now: datetime, source: str) -> None:
    for path in AFTER_WRITE:
        hook: Hook = import_string(path)
        hook(patient, actor, now, source)


def after_write(patient: Patient, actor: User | None, now: datetime, source: str) -> None:
    patient.__dict__.pop("_forecasts", None)  # patient_forecast's memo is stale after a write
    pending = _pending.get()
    if pending is not None:
        previous = pending.get(patient.pk)
        if previous is None or now >= previous[2]:
            pending[patient.pk] = (patient, actor, now, source)
        return
    run_hooks(patient, actor, now, source)


@contextmanager
def deferred() -> Iterator[None]:
    """Collect hook calls and run each patient's latest one when the block ends."""
    token = _pending.set({})
    try:
        yield
        pending = _pending.get() or {}
    finally:
        _pending.reset(token)
    for patient, actor, now, source in pending.values():
        run_hooks(patient, actor, now, source)
