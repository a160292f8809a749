"""Read side of the discharge summary: the records of one stay, gathered into the pure
`care.discharge.Summary` (a bounded number of queries whatever the stay's length), and the
FHIR document built from it.

The stay runs from the start of the admission day to the end of the discharge day in the
patient's zone. What the patient does not share with the care team (check-in answers, their
own relapse plan: recovery.consent) is left out and the summary says so, as in the chart.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from kratom_recovery.care import discharge
from kratom_recovery.care.fhir_bundle import ExportPatient
from kratom_recovery.care.fhir_discharge import build_document
from kratom_recovery.care.fhir_mar import ExportAdministration
from kratom_recovery.care.level_of_care import LEVEL_BY_CODE, STAFF_REASONS
from kratom_recovery.care.mar import ROUTES
from kratom_recovery.care.references import readable
from kratom_recovery.web.bedside.models import MedicationDose, VitalSigns
from kratom_recovery.web.common.part2 import REDISCLOSURE_NOTICE
from kratom_recovery.web.exports.models import DischargeSummary
from kratom_recovery.web.followup.models import APPOINTMENT_KINDS, Appointment, FollowUpPlan
from kratom_recovery.web.followup.moud import queries as moud_queries
from kratom_recovery.web.followup.plans import rows_for
from kratom_recovery.web.patients.models import CheckIn, InstrumentResponse, Patient
from kratom_recovery.web.recovery.consent import clinician_may_see
from kratom_recovery.web.recovery.models import RelapsePlan
from kratom_recovery.web.safety.models import LevelOfCareDecision, SafetyState

WITHHELD_CHECKINS = "SOWS left out: the patient does not share check-ins with the care team."
WITHHELD_PLAN = "Relapse plan left out: the patient does not share it with the care team."


def stay_bounds(row: DischargeSummary, patient: Patient) -> tuple[datetime, datetime]:
    zone = patient.zone
    return (datetime.combine(row.admitted_on, time(0), tzinfo=zone),
            datetime.combine(row.discharged_on + timedelta(days=1), time(0), tzinfo=zone))


def _scores(patient: Patient, instrument: str, start: datetime, end: datetime
            ) -> list[tuple[datetime, int, int, str]]:
    return [(at.astimezone(patient.zone), total, maximum, band) for at, total, maximum, band in
            InstrumentResponse.objects.filter(
                patient=patient, instrument=instrument, recorded_at__gte=start,
                recorded_at__lt=end).values_list("recorded_at", "total", "max_total", "band")]


def _amount(value: Decimal, unit: str) -> str:
    return f"{value.normalize():f} {unit}"


def _medicines(doses: list[MedicationDose], patient: Patient) -> list[discharge.MedicineGiven]:
    by_order: dict[int, list[MedicationDose]] = defaultdict(list)
    for dose in doses:
        by_order[dose.order_id].append(dose)
    found = []
    for rows in by_order.values():
        order = rows[0].order
        given = [d for d in rows if d.outcome == "given"]
        total = sum((d.dose for d in given), Decimal(0))
        found.append(discharge.MedicineGiven(
            description=f"{order.generic} {_amount(order.dose, order.unit)} "
                        f"{ROUTES.get(order.route, order.route)}"
                        + (" as needed" if order.kind == "prn" else ""),
            given=len(given), held=sum(d.outcome == "held" for d in rows),
            refused=sum(d.outcome == "refused" for d in rows),
            total=_amount(total, order.unit),
            first=given[0].at.astimezone(patient.zone) if given else None,
            last=given[-1].at.astimezone(patient.zone) if given else None,
        ))
    return sorted(found, key=lambda m: -m.given)


def _suggestion(patient: Patient) -> str:
    state = SafetyState.objects.filter(patient=patient).first()
    if state is None:
        return ""
    # A record in the third person: the stored reason text speaks to the patient.
    reason = next((STAFF_REASONS.get(str(r.get("id")), "") for r in state.reasons
                   if isinstance(r, dict) and r.get("level") == state.level), "")
    text = f"App suggestion at discharge: level {state.level} {state.level_name}"
    return f"{text} ({reason})." if reason else f"{text}."


def _followups(patient: Patient, end: datetime, now: datetime) -> list[discharge.FollowUp]:
    """Appointments from the discharge day on, and the follow-ups still to come today."""
    after = end - timedelta(days=1)
    found = [discharge.FollowUp(a.starts_at.astimezone(patient.zone),
                                f"{APPOINTMENT_KINDS.get(a.kind, a.kind)} appointment")
             for a in Appointment.objects.filter(patient=patient, starts_at__gte=after)
             .order_by("starts_at")[:discharge.MAX_APPOINTMENTS]]
    plan = FollowUpPlan.objects.filter(patient=patient).first()
    if plan is not None:
        plan.patient = patient
        upcoming = [r for r in rows_for(plan, patient.today(now)) if r.state in ("due",
                                                                                "upcoming")]
        if upcoming:
            days = ", ".join(f"day {r.item.day} ({r.item.due.isoformat()})" for r in upcoming)
            on_moud = moud_queries.schedule_checkins(patient, [(0, upcoming[0].item.due,
                                                                upcoming[0].item.due)])
            extra = "; each with a MOUD check-in" if on_moud is not None else ""
            found.append(discharge.FollowUp(upcoming[0].item.due,
                                            f"Follow-up check-ins: {days}{extra}"))
    return found


def _relapse(patient: Patient) -> discharge.RelapsePlan | None:
    plan = RelapsePlan.objects.filter(patient=patient).first()
    if plan is None:
        return None
    cap = discharge.MAX_PLAN_ITEMS

    def items(values: Any) -> tuple[str, ...]:
        return tuple(str(v) for v in (values or [])[:cap])

    people = tuple(
        " ".join(str(p.get(k, "")) for k in ("name", "phone") if p.get(k)).strip()
        for p in (plan.people or [])[:cap] if isinstance(p, dict))
    return discharge.RelapsePlan(items(plan.triggers), items(plan.warning_signs),
                                 items(plan.coping_actions), people, plan.naloxone)


def summarise(row: DischargeSummary, patient: Patient, now: datetime | None = None
              ) -> discharge.Summary:
    """The stay's records as the one-page summary (about 14 queries)."""
    now = now or timezone.now()
    start, end = stay_bounds(row, patient)
    more: dict[str, int] = {}
    withheld: list[str] = []
    shares_checkins = clinician_may_see(patient, "checkins")
    sows = _scores(patient, "sows", start, end) if shares_checkins else []
    if not shares_checkins:
        withheld.append(WITHHELD_CHECKINS)
    vitals = [v.reading().values() for v in VitalSigns.objects.filter(
        patient=patient, taken_at__gte=start, taken_at__lt=end)]
    doses = list(MedicationDose.objects.filter(patient=patient, at__gte=start, at__lt=end)
                 .select_related("order").order_by("at", "pk"))
    medicines = _medicines(doses, patient)
    decisions = list(LevelOfCareDecision.objects.filter(
        patient=patient, decided_at__lt=end).select_related("decided_by")
        .order_by("-decided_at")[:discharge.MAX_DECISIONS + 1])
    current = moud_queries.current_moud(patient)
    moud_lines = []
    if current is not None:
        labels = current.labels()
        moud_lines.append(f"{labels['medication']}: {labels['status']} since "
                          f"{current.on.isoformat()}.")
        if current.referral_status:
            moud_lines.append(f"Referred to {current.referred_to} on "
                              f"{current.referred_on.isoformat() if current.referred_on else ''}"
                              f": {labels['referral']}.")
        if current.caution:
            moud_lines.append(readable(current.caution))
    else:
        moud_lines.append("No MOUD status recorded.")
    kits = moud_queries.naloxone_history(patient, 3)
    naloxone_lines = [f"Naloxone {k.label()} on {k.on.isoformat()}"
                      + (f" ({k.note})." if k.note else ".") for k in kits] or [
        "Naloxone: not recorded."]
    relapse = _relapse(patient) if clinician_may_see(patient, "plan") else None
    if not clinician_may_see(patient, "plan"):
        withheld.append(WITHHELD_PLAN)
    user = row.written_by
    return discharge.Summary(
        stay=discharge.Stay(row.admitted_on, row.discharged_on, row.destination,
                            row.course_note),
        clinician=(user.display_name or user.username) if user is not None else "",
        cows=discharge.peak(_scores(patient, "cows", start, end)),
        sows=discharge.peak(sows),
        checkins=CheckIn.objects.filter(
            patient=patient, local_date__gte=row.admitted_on,
            local_date__lte=row.discharged_on).count() if shares_checkins else 0,
        vitals=discharge.vital_ranges(vitals), vital_sets=len(vitals),
        medicines=tuple(medicines[:discharge.keep(medicines, discharge.MAX_MEDICINES,
                                                  "medicines", more)]),
        decisions=tuple(
            discharge.Decision(d.level, LEVEL_BY_CODE[d.level].name
                               if d.level in LEVEL_BY_CODE else "", d.reason,
                               d.decided_at.astimezone(patient.zone),
                               (d.decided_by.display_name or d.decided_by.username)
                               if d.decided_by else "")
            for d in decisions[:discharge.keep(decisions, discharge.MAX_DECISIONS,
                                               "decisions", more)]),
        suggestion=_suggestion(patient),
        moud=tuple(moud_lines), naloxone=tuple(naloxone_lines),
        followups=tuple(_followups(patient, end, now)),
        relapse=relapse, withheld=tuple(withheld), more=more,
    )


def document(row: DischargeSummary, patient: Patient, pseudonym: str,
             now: datetime | None = None) -> dict[str, Any]:
    """The summary as a FHIR document, with the stay's doses, MOUD and naloxone."""
    now = now or timezone.now()
    summary = summarise(row, patient, now)
    start, end = stay_bounds(row, patient)
    doses = MedicationDose.objects.filter(patient=patient, at__gte=start, at__lt=end,
                                          outcome="given").select_related("order")
    given = tuple(ExportAdministration(
        key=str(d.pk), order_key=str(d.order_id), generic=d.order.generic,
        route=d.order.route, outcome=d.outcome, at=d.at.astimezone(patient.zone),
        dose=float(d.dose), unit=d.order.unit, reason=d.reason)
        for d in doses.order_by("at", "pk"))
    moud = moud_queries.export_moud(patient)
    return build_document(
        summary, ExportPatient(pseudonym=pseudonym, display_name=patient.display_name),
        key=str(row.pk), now=now, moud=moud[-1:], naloxone=moud_queries.export_naloxone(patient),
        administrations=given, notice=REDISCLOSURE_NOTICE)
