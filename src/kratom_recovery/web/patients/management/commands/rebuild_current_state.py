"""`kratom-recovery manage rebuild_current_state`: rebuild every patient's current-state row.

Not needed in normal running (a missing or invalidated row is rebuilt by the patient's next
check-in); for after a restore or a change made to the tables outside the app's actions.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kratom_recovery.web.patients.state import rebuild_all


class Command(BaseCommand):
    help = "Rebuild every patient's current-state row (patients/state.py) from the tables."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"rebuilt {rebuild_all()} patients")
