"""Read side of the bedside app: the flowsheet with trends, when the next assessment is
due (one patient, or a whole caseload in one query), the lab history and the medication
administration record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import F, OuterRef, QuerySet, Subquery

from kratom_recovery.care.bedside import Due, next_due
from kratom_recovery.care.fhir_bedside import ExportLab, ExportVitals
from kratom_recovery.care.fhir_mar import ExportAdministration, ExportMedicationOrder
from kratom_recovery.care.mar import nearest
from kratom_recovery.care.vitals import VITALS, Trend, Vital, trend
from kratom_recovery.charts import line_chart_svg
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.bedside.actions import BEDSIDE_INSTRUMENTS
from kratom_recovery.web.bedside.models import (
    BedsideOrders,
    LabResult,
    MedicationDose,
    MedicationOrder,
    VitalSigns,
)
from kratom_recovery.web.patients.access import of_visible_patients
from kratom_recovery.web.patients.models import InstrumentResponse, Patient

FLOWSHEET_ROWS = 30  # readings shown and charted, newest first


@dataclass(frozen=True)
class VitalSeries:
    """One vital across the flowsheet: latest value, its trend and a small chart."""

    vital: Vital
    latest: float | None
    trend: Trend | None
    svg: str


def flowsheet(patient: Patient, limit: int = FLOWSHEET_ROWS) -> list[VitalSigns]:
    return list(VitalSigns.objects.filter(patient=patient).order_by("-taken_at", "-pk")[:limit])


def series(rows: list[VitalSigns]) -> list[VitalSeries]:
    """Per vital, oldest to newest: the trend arrow and a chart over hours since the first
    reading shown (server-rendered SVG, charts.py)."""
    ordered = list(reversed(rows))
    out = []
    for vital in VITALS:
        points = [(row.taken_at, float(value)) for row in ordered
                  if (value := getattr(row, vital.name)) is not None]
        if not points:
            continue
        start = points[0][0]
        xy = [((when - start).total_seconds() / 3600, value) for when, value in points]
        svg = line_chart_svg(
            [(vital.label, xy)], width=320, height=150, title=vital.label,
            y_max=max(v for _, v in xy) * 1.15, x_label="hours since the first reading shown",
            y_label=vital.unit,
        ) if len(xy) > 1 else ""
        out.append(VitalSeries(vital, points[-1][1], trend([v for _, v in points]), svg))
    return out


def assessment_history(patient: Patient, instrument_id: str,
                       limit: int = 12) -> list[InstrumentResponse]:
    return list(InstrumentResponse.objects.filter(patient=patient, instrument=instrument_id)
                .select_related("recorded_by").order_by("-recorded_at")[:limit])


def due_for(patient: Patient, now: datetime) -> Due | None:
    """When the next COWS/CIWA-Ar is due under the clinician's interval (None: no schedule)."""
    orders = (BedsideOrders.objects.filter(patient=patient)
              .annotate(last_assessed=Subquery(_latest_assessed())).first())
    if orders is None:
        return None
    last: Any = getattr(orders, "last_assessed", None)
    return next_due(last, orders.assessment_interval_minutes, orders.updated_at, now)


def _latest_assessed() -> Any:
    """The latest COWS/CIWA-Ar time of the outer query's patient (for Subquery)."""
    return (InstrumentResponse.objects
            .filter(patient=OuterRef("patient"), instrument__in=BEDSIDE_INSTRUMENTS)
            .order_by("-recorded_at").values("recorded_at")[:1])


@dataclass(frozen=True)
class DueRow:
    patient: Patient
    due: Due


def due_assessments(clinician: User, now: datetime) -> list[DueRow]:
    """Patients on this clinician's caseload with an assessment due or overdue, most overdue
    first: one query whatever the caseload's size."""
    orders: QuerySet[BedsideOrders] = (
        BedsideOrders.objects
        .filter(of_visible_patients(clinician), assessment_interval_minutes__isnull=False)
        .select_related("patient__user")
        .annotate(last_assessed=Subquery(_latest_assessed()))
    )
    rows = []
    for order in orders:
        last: Any = getattr(order, "last_assessed", None)
        due = next_due(last, order.assessment_interval_minutes, order.updated_at, now)
        if due is not None and due.status != "upcoming":
            rows.append(DueRow(order.patient, due))
    return sorted(rows, key=lambda r: r.due.due_at)


def lab_history(patient: Patient, limit: int = 60) -> list[LabResult]:
    return list(LabResult.objects.filter(patient=patient).select_related("analyte")
                .order_by("-collected_at", "analyte__position", "pk")[:limit])


# --- the FHIR export (exports/queries.py adds these to the patient's bundle) --------------


def export_vitals(patient: Patient) -> tuple[ExportVitals, ...]:
    return tuple(
        ExportVitals(key=str(row.pk), taken_at=row.taken_at.astimezone(patient.zone),
                     values=row.reading().values())
        for row in VitalSigns.objects.filter(patient=patient).order_by("taken_at", "pk")
    )


def export_labs(patient: Patient) -> tuple[ExportLab, ...]:
    rows = LabResult.objects.filter(patient=patient).select_related("analyte")
    return tuple(
        ExportLab(
            key=str(row.pk), analyte=row.analyte.code, name=row.analyte.name,
            panel=row.analyte.panel, loinc=row.analyte.loinc, unit=row.analyte.unit,
            value=row.value_text if row.value_number is None else float(row.value_number),
            flag=row.flag or None, low=None if row.low is None else float(row.low),
            high=None if row.high is None else float(row.high),
            collected_at=row.collected_at.astimezone(patient.zone),
        )
        for row in rows.order_by("collected_at", "pk")
    )


# --- the administration record (MAR) --------------------------------------------------------


@dataclass(frozen=True)
class DoseRow:
    """A dose on the record with the nearest COWS before and after it (within the order's
    window), so the nurse sees whether it helped."""

    dose: MedicationDose
    cows_before: tuple[datetime, int] | None
    cows_after: tuple[datetime, int] | None


def medication_orders(patient: Patient) -> list[MedicationOrder]:
    """Active orders first, then stopped ones, newest first."""
    return list(MedicationOrder.objects.filter(patient=patient)
                .order_by(F("stopped_at").desc(nulls_first=True), "-created_at", "-pk"))


def dose_rows(patient: Patient, limit: int = 60) -> list[DoseRow]:
    """The latest doses with their COWS before and after: two queries for the whole page."""
    doses = list(MedicationDose.objects.filter(patient=patient)
                 .select_related("order", "recorded_by").order_by("-at", "-pk")[:limit])
    if not doses:
        return []
    widest = timedelta(minutes=max(d.order.window_minutes for d in doses))
    cows = [(when, total) for when, total in InstrumentResponse.objects.filter(
        patient=patient, instrument="cows", recorded_at__gte=doses[-1].at - widest,
        recorded_at__lte=doses[0].at + widest).values_list("recorded_at", "total")]
    return [DoseRow(d, *nearest(cows, d.at, d.order.window_minutes)) for d in doses]


def export_medication_orders(patient: Patient) -> tuple[ExportMedicationOrder, ...]:
    return tuple(
        ExportMedicationOrder(key=str(o.pk), spec=o.spec(),
                              authored=o.created_at.astimezone(patient.zone),
                              active=o.stopped_at is None)
        for o in MedicationOrder.objects.filter(patient=patient).order_by("created_at", "pk")
    )


def export_administrations(patient: Patient) -> tuple[ExportAdministration, ...]:
    rows = MedicationDose.objects.filter(patient=patient).select_related("order")
    return tuple(
        ExportAdministration(
            key=str(d.pk), order_key=str(d.order_id), generic=d.order.generic,
            route=d.order.route, outcome=d.outcome, at=d.at.astimezone(patient.zone),
            dose=float(d.dose), unit=d.order.unit, reason=d.reason,
        )
        for d in rows.order_by("at", "pk")
    )


def last_buprenorphine_dose(patient: Patient) -> MedicationDose | None:
    """The latest buprenorphine dose given on the MAR (the induction's reassessment timer)."""
    return (MedicationDose.objects
            .filter(patient=patient, outcome="given", order__generic__startswith="buprenorphine")
            .select_related("order").order_by("-at", "-pk").first())
