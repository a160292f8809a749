"""What runs after every write to a patient's records, inside the same transaction.

The safety app registers its evaluation here from `SafetyConfig.ready()` (safety imports
patients, never the other way round), so that onboarding, every check-in and every
clinician entry are evaluated without the writers knowing about it. A write with no hook
registered raises, and a system check fails at start-up: safety is never skipped silently.
Each hook takes (patient, actor, now, source) where source names the action ("checkin",
"onboarding", …).

Bulk seeding (the synthetic demo) may defer the hooks with `deferred()`: each patient is
then evaluated once, after their last write, instead of after every write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.core.checks import CheckMessage, Error
from django.core.exceptions import ImproperlyConfigured

from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.common import write_batch
from kratom_recovery.web.patients import state
from kratom_recovery.web.patients.models import Patient

Hook = Callable[[Patient, User | None, datetime, str], None]
Pending = dict[int, tuple[Patient, User | None, datetime, str]]

AFTER_WRITE: list[Hook] = []
NO_HOOK = "no after-write hook is registered: writes would skip the safety evaluation"

_pending: ContextVar[Pending | None] = ContextVar("pending_hooks", default=None)


def register_after_write(hook: Hook) -> None:
    """Run `hook` after every write (once, however often an app's ready() runs)."""
    if hook not in AFTER_WRITE:
        AFTER_WRITE.append(hook)


def check_hooks_registered(**kwargs: object) -> list[CheckMessage]:
    """System check: the project is misconfigured if nothing evaluates the writes."""
    if AFTER_WRITE:
        return []
    return [Error(NO_HOOK, hint="install kratom_recovery.web.safety", id="patients.E001")]


def run_hooks(patient: Patient, actor: User | None, now: datetime, source: str) -> None:
    if not AFTER_WRITE:
        raise ImproperlyConfigured(NO_HOOK)
    # What the hooks store (the evaluation, the caseload triage, the current-state row) is
    # read by nothing after it in the hooks: sent as one statement (common/write_batch.py).
    with write_batch.collected():
        for hook in AFTER_WRITE:
            hook(patient, actor, now, source)
        state.save_kept(patient)  # a check-in's current-state row, after the hooks read it


def after_write(patient: Patient, actor: User | None, now: datetime, source: str) -> None:
    patient.__dict__.pop("_forecasts", None)  # patient_forecast's memo is stale after a write
    state.after_write(patient)  # kept by a check-in, or marked for a rebuild
    pending = _pending.get()
    if pending is not None:
        # Saved now for the next write of the block; the deferred hooks read the tables (a
        # later write may have changed them through another instance of this patient).
        state.save_kept(patient)
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
