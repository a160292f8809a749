"""Writes for the end-to-end worker tests and the benchmark, run as a separate program on
the same data folder and database as the worker (the test's own database is not shared).

    python -m tests.support.notify_worker setup N          # cleo + N patients, migrated
    python -m tests.support.notify_worker emergency I...   # emergency check-ins, queued
    python -m tests.support.notify_worker unqueued I...    # committed, never queued
    python -m tests.support.notify_worker die I            # commit, then die before queueing
"""

from __future__ import annotations

import os
import sys
import time

CALM_SOWS = [1] * 8 + [0] * 8


def emergency(index: int) -> float:
    """One emergency check-in through the real action; the time.monotonic() it started."""
    from kratom_recovery.web.patients import actions
    from kratom_recovery.web.patients.models import Patient

    patient = Patient.objects.select_related("user").get(user__username=f"p{index}")
    started = time.monotonic()
    actions.record_checkin(patient, patient.user, {"sows": CALM_SOWS, "craving": [3],
                                                   "daily-extra": [1, 1, 1, 1, 1]},
                           danger_symptoms=["chest-pain"])
    return started


def main(argv: list[str]) -> int:
    from kratom_recovery.commands import _django

    _django.setup()
    command, args = argv[0], [int(a) for a in argv[1:]]
    if command == "setup":
        from kratom_recovery.web.accounts.actions import create_staff_user
        from tests.support.personas import PASSWORD, make_patient

        _django.migrate()
        cleo = create_staff_user("cleo", PASSWORD, "clinician", "Cleo", "cleo@example.org")
        for index in range(args[0]):
            make_patient(f"p{index}", cleo)
        return 0
    from kratom_recovery.web.notify import outbox

    if command == "unqueued":
        outbox.enqueue = lambda alert_id: None
    elif command == "die":
        outbox.enqueue = lambda alert_id: os._exit(3)
    for index in args:
        print(emergency(index), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
