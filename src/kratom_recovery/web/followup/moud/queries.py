"""Read side of MOUD and naloxone: the status in force, the histories, the MOUD check-ins
the follow-up schedule shows, and the records as export data."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db.models import OuterRef, Subquery

from kratom_recovery.care.fhir_moud import ExportMoud, ExportNaloxone
from kratom_recovery.care.moud import checkins_by_followup
from kratom_recovery.web.followup.models import MoudCheckin, MoudRecord, NaloxoneRecord
from kratom_recovery.web.patients.models import Patient

# Statuses after which the schedule asks for MOUD check-ins: the person is on it or on the
# way to it.
CHECKIN_STATUSES = ("referred", "started", "continuing")


CACHE = "_moud_current"  # the status in force, kept on the loaded patient for one request
HAS_MOUD = "has_moud"  # a page's annotation: whether the patient has any MOUD record


def current_moud(patient: Patient) -> MoudRecord | None:
    """The latest MOUD status, read once per loaded patient: the chart's MOUD card and its
    follow-up schedule both ask. record_moud replaces it on the instance."""
    if CACHE not in patient.__dict__ and patient.__dict__.get(HAS_MOUD) is False:
        patient.__dict__[CACHE] = None  # the page read with the patient that there is none
    if CACHE not in patient.__dict__:
        patient.__dict__[CACHE] = (MoudRecord.objects.filter(patient=patient)
                                   .order_by("-recorded_at", "-pk").first())
    found: MoudRecord | None = patient.__dict__[CACHE]
    return found


def remember(patient: Patient, row: MoudRecord) -> None:
    patient.__dict__[CACHE] = row


def moud_history(patient: Patient, limit: int = 20) -> list[MoudRecord]:
    return list(MoudRecord.objects.filter(patient=patient)
                .select_related("recorded_by").order_by("-recorded_at", "-pk")[:limit])


def naloxone_history(patient: Patient, limit: int = 20) -> list[NaloxoneRecord]:
    return list(NaloxoneRecord.objects.filter(patient=patient).order_by("-on", "-pk")[:limit])


def checkin_history(patient: Patient, limit: int = 20) -> list[MoudCheckin]:
    return list(MoudCheckin.objects.filter(patient=patient).order_by("-on", "-pk")[:limit])


def schedule_checkins(patient: Patient, windows: Sequence[tuple[int, date, date]]
                      ) -> dict[int, date | None] | None:
    """Per follow-up day, the MOUD check-in done in its window (None: not yet); None for the
    whole schedule when the patient is not on MOUD or referred to it (two queries)."""
    if not windows:
        return None
    current = current_moud(patient)
    if current is None or current.status not in CHECKIN_STATUSES:
        return None
    dates = list(MoudCheckin.objects.filter(
        patient=patient, on__gte=min(w[1] for w in windows),
        on__lte=max(w[2] for w in windows)).values_list("on", flat=True))
    return checkins_by_followup(windows, dates)


def export_moud(patient: Patient, *, notes: bool = True) -> tuple[ExportMoud, ...]:
    """Every MOUD status recorded, oldest first; the latest carries the last check-in (one
    query). `notes`: the care team's own words (left out of the patient's own export)."""
    last = MoudCheckin.objects.filter(patient=OuterRef("patient")).order_by("-on", "-pk")
    rows = list(MoudRecord.objects.filter(patient=patient)
                .annotate(checkin_on=Subquery(last.values("on")[:1]),
                          checkin_answer=Subquery(last.values("answer")[:1]))
                .order_by("recorded_at", "pk"))
    exported = []
    for index, row in enumerate(rows):
        on: date | None = getattr(row, "checkin_on", None)
        answer: str | None = getattr(row, "checkin_answer", None)
        exported.append(ExportMoud(
            key=str(row.pk), medication=row.medication, status=row.status, on=row.on,
            recorded=row.recorded_at.astimezone(patient.zone),
            withdrawal_complete_on=row.withdrawal_complete_on, referred_to=row.referred_to,
            referred_on=row.referred_on, referral_status=row.referral_status,
            note=row.note if notes else "", caution=row.caution,
            last_checkin=(on, answer) if on and answer and index == len(rows) - 1 else None,
        ))
    return tuple(exported)


def export_naloxone(patient: Patient) -> tuple[ExportNaloxone, ...]:
    return tuple(
        ExportNaloxone(key=str(row.pk), action=row.action, on=row.on,
                       recorded=row.recorded_at.astimezone(patient.zone), note=row.note)
        for row in NaloxoneRecord.objects.filter(patient=patient).order_by("on", "pk")
    )
