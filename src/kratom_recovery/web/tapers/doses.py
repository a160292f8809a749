"""What the tapers app tells other apps about doses and plans, without them importing it."""

from __future__ import annotations

from datetime import datetime

from kratom_recovery.care.timeline import Dose
from kratom_recovery.web.patients.models import Patient
from kratom_recovery.web.tapers.models import DoseTaken


def kratom_doses(patient: Patient, since: datetime, unit: str) -> list[Dose]:
    """Kratom taper doses taken after `since` in `unit`: the forecast's dose source."""
    return [
        Dose(time, float(amount))
        for time, amount in DoseTaken.objects.filter(
            patient=patient, plan__kind="kratom", taken_at__gt=since, unit=unit, amount__gt=0,
        ).values_list("taken_at", "amount")
    ]

