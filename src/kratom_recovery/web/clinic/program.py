"""Program-level figures for admins: a constant number of aggregate queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q

from kratom_recovery.web.patients.models import CareTeamMember, CareTeamRole, CheckIn, Patient

# Definitions (ours, documented in docs/clinic.md): "active" = a check-in in the last 14 days;
# "completed withdrawal" = 14 or more days since the last known use, which is past the acute
# phase of every profile the timeline model forecasts (docs/timeline.md); "retained at N days"
# = among patients onboarded at least N days ago, the share with a check-in on or after day N.
ACTIVE_WINDOW = timedelta(days=14)
COMPLETED_AFTER = timedelta(days=14)
RETENTION_DAYS = (30, 90)


@dataclass(frozen=True)
class Retention:
    days: int
    eligible: int
    retained: int

    @property
    def percent(self) -> float | None:
        return None if not self.eligible else round(100 * self.retained / self.eligible, 1)


@dataclass(frozen=True)
class ProgramFigures:
    patients: int
    active: int
    completed_withdrawals: int
    unassigned: int
    retention: tuple[Retention, ...]


def program_figures(now: datetime) -> ProgramFigures:
    onboarded = Patient.objects.exclude(onboarded_at=None)
    recent = CheckIn.objects.filter(patient=OuterRef("pk"),
                                    created_at__gte=now - ACTIVE_WINDOW)
    retention = []
    for days in RETENTION_DAYS:
        eligible = onboarded.filter(onboarded_at__lte=now - timedelta(days=days))
        later = CheckIn.objects.filter(
            patient=OuterRef("pk"), created_at__gte=OuterRef("onboarded_at") + timedelta(days=days)
        )
        counts = eligible.aggregate(
            eligible=Count("pk"), retained=Count("pk", filter=Q(Exists(later)))
        )
        retention.append(Retention(days, counts["eligible"], counts["retained"]))
    has_primary = CareTeamMember.objects.filter(patient=OuterRef("pk"),
                                                role=CareTeamRole.PRIMARY)
    totals = Patient.objects.aggregate(
        patients=Count("pk"),
        active=Count("pk", filter=Q(Exists(recent))),
        completed=Count("pk", filter=Q(last_use_at__lte=now - COMPLETED_AFTER)),
        unassigned=Count("pk", filter=~Q(Exists(has_primary))),
    )
    return ProgramFigures(
        patients=totals["patients"],
        active=totals["active"],
        completed_withdrawals=totals["completed"],
        unassigned=totals["unassigned"],
        retention=tuple(retention),
    )
