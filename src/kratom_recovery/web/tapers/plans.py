"""Read side of tapers: stored versions → the plan in force, today's target, adherence.

The planner (care/taper.py) knows one request. The web keeps versions, so this module says
which version is in force on a day:

- A version is in force from its *effective* date (the local day it was saved; for the first
  version, its start date if that is earlier) until the next version's effective date.
- Between a version's effective date and its start date the person stays at the starting
  amount. That is how a clinician's "hold" works: a new version that starts later, at
  today's amount, with the reason on record.
- The plan shown is `adapt_plan(request, check-ins, today)`: steps are held, never sped up,
  when recent check-ins show withdrawal or craving (docs/taper.md, [ref:cdc-opioids-2022],
  [ref:ctn0094-data]).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.taper import (
    TaperPlan,
    TaperRequest,
    TaperStep,
    adapt_plan,
    amount_on,
    parse_taper_request,
)
from kratom_recovery.care.taper_adherence import adherence
from kratom_recovery.care.taper_holds import DEFAULT_HOLD_RULE, CheckinSummary, Hold
from kratom_recovery.charts import line_chart_svg
from kratom_recovery.web.patients.models import InstrumentResponse, Patient
from kratom_recovery.web.tapers.models import DoseTaken, TaperPlanRecord

CHECKIN_INSTRUMENTS = ("sows", "craving")
CHART_DAYS = 60  # the adherence chart shows at most the last two months
STEPS_SOON = 6  # steps shown before "all steps" on the plan page


def fmt(value: float, precision: float) -> str:
    """An amount with as many decimals as the measuring precision has."""
    exponent = Decimal(repr(precision)).normalize().as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return f"{value:.{decimals}f}"


def effective_date(record: TaperPlanRecord, request: TaperRequest, first: bool) -> date:
    saved = record.patient.today(record.created_at)
    return min(saved, request.start) if first else saved


def checkin_summaries(patient: Patient, since: date) -> list[CheckinSummary]:
    """SOWS and craving totals per check-in (one query), times in the patient's zone so the
    planner's day windows are the patient's days."""
    return checkin_summaries_for([patient], since)[patient.pk]


def checkin_summaries_for(
    patients: Sequence[Patient], since: date
) -> dict[int, list[CheckinSummary]]:
    """checkin_summaries for several patients in one query (the caseload)."""
    zones = {patient.pk: patient.zone for patient in patients}
    start = datetime.combine(since - timedelta(days=DEFAULT_HOLD_RULE.window_days + 2),
                             datetime.min.time(), tzinfo=UTC)
    rows = (
        InstrumentResponse.objects.filter(
            patient__in=list(zones), instrument__in=CHECKIN_INSTRUMENTS, recorded_at__gte=start
        )
        .order_by("recorded_at")
        .values_list("patient_id", "pk", "checkin_id", "instrument", "total", "recorded_at")
    )
    grouped: dict[int, dict[str, dict[str, Any]]] = {pk: {} for pk in zones}
    for patient_id, pk, checkin_id, instrument, total, recorded_at in rows:
        key = f"c{checkin_id}" if checkin_id is not None else f"r{pk}"
        entry = grouped[patient_id].setdefault(key, {"time": recorded_at})
        entry["time"] = max(entry["time"], recorded_at)
        entry[instrument] = total
    return {
        patient_id: [
            CheckinSummary(time=e["time"].astimezone(zones[patient_id]),
                           sows_total=e.get("sows"), craving=e.get("craving"))
            for e in entries.values()
        ]
        for patient_id, entries in grouped.items()
    }


@dataclass
class Version:
    """One stored version with its parsed request, adapted plan and effective date."""

    record: TaperPlanRecord
    request: TaperRequest
    plan: TaperPlan
    effective: date

    def planned_on(self, day: date) -> float | None:
        if day < self.effective:
            return None
        if day < self.plan.start:
            return self.plan.steps[0].daily_amount  # waiting or held at the starting amount
        return amount_on(self.plan, day)

    def doses_on(self, day: date) -> tuple[float, ...]:
        step = self.step_on(day)
        return step.doses if step is not None else ()

    def step_on(self, day: date) -> TaperStep | None:
        if day < self.plan.start:
            return self.plan.steps[0]
        for step in self.plan.steps:
            if step.start <= day <= step.end:
                return step
        return self.plan.steps[-1]


@dataclass
class StepRow:
    step: TaperStep
    amount: str
    doses: str
    current: bool
    held_days: int


@dataclass
class HoldRow:
    step_number: int
    start: date
    days: int
    reason: str
    next_start: date | None


@dataclass
class AdherenceRow:
    day: date
    planned: str
    taken: str
    over_by: str
    over: bool


@dataclass
class Shown:
    """Everything a plan page shows, computed in a fixed handful of queries."""

    current: Version
    versions: list[Version]  # oldest first
    today: date
    stopped: bool
    waiting: bool  # today is before the schedule starts (or during a clinician's hold)
    reached_zero: bool
    start_amount: str  # the version's first amount: held at until its schedule starts
    today_amount: str
    today_doses: list[str]
    current_step: TaperStep | None
    steps: list[StepRow]
    holds: list[HoldRow]
    adherence: list[AdherenceRow] = field(default_factory=list)
    days_recorded: int = 0
    days_over: int = 0
    chart_svg: str = ""
    doses: list[DoseTaken] = field(default_factory=list)

    @property
    def steps_soon(self) -> list[StepRow]:
        """The current step and the next few: the part of a long plan a person acts on."""
        first = next((n for n, row in enumerate(self.steps) if row.current), 0)
        return self.steps[first:first + STEPS_SOON]

    @property
    def record(self) -> TaperPlanRecord:
        return self.current.record

    @property
    def plan(self) -> TaperPlan:
        return self.current.plan

    @property
    def unit(self) -> str:
        return self.current.request.unit

    def fmt(self, value: float) -> str:
        return fmt(value, self.current.request.precision)


def series_records(patient: Patient, series: uuid.UUID | str) -> list[TaperPlanRecord]:
    """All versions of one plan of this patient, oldest first; 404 if there are none."""
    records = list(
        TaperPlanRecord.objects.filter(patient=patient, series=series)
        .select_related("created_by")
        .order_by("version")
    )
    if not records:
        raise Http404
    for record in records:
        record.patient = patient  # shared instance: no query per version for the zone
    return records


def build_versions(
    patient: Patient, records: Sequence[TaperPlanRecord], today: date, *, series: bool = True
) -> list[Version]:
    """Parse each version, fetch the check-ins since the earliest start (one query) and adapt.

    `series` says the records are the versions of one plan (the first one may start early);
    otherwise each is the active version of a different plan.
    """
    requests = [parse_taper_request(r.request) for r in records]
    effective = [
        effective_date(r, q, r.version == 1 if not series else n == 0)
        for n, (r, q) in enumerate(zip(records, requests, strict=True))
    ]
    since = min([q.start for q in requests] + effective)
    checkins = checkin_summaries(patient, since)
    return [
        Version(r, q, adapt_plan(q, checkins, today), e)
        for r, q, e in zip(records, requests, effective, strict=True)
    ]


def version_on(versions: Sequence[Version], day: date) -> Version | None:
    """The version in force on `day`: the latest whose effective date is on or before it."""
    found = None
    for version in versions:
        if version.effective <= day:
            found = version
    return found


def show(patient: Patient, series: uuid.UUID | str, now: datetime) -> Shown:
    """The plan page's data: 3 queries (versions, check-ins, doses)."""
    records = series_records(patient, series)
    today = patient.today(now)
    versions = build_versions(patient, records, today)
    current = versions[-1]
    plan = current.plan
    step = current.step_on(today)
    waiting = today < plan.start
    amount = current.planned_on(today)
    if amount is None:  # cannot happen for the latest version; keeps mypy and readers calm
        amount = plan.steps[0].daily_amount
    precision = current.request.precision
    held: dict[int, int] = {}
    for hold in plan.holds:
        held[hold.step] = held.get(hold.step, 0) + hold.days
    shown = Shown(
        current=current,
        versions=versions,
        today=today,
        stopped=not current.record.active,
        waiting=waiting,
        reached_zero=amount == 0,
        start_amount=fmt(plan.steps[0].daily_amount, precision),
        today_amount=fmt(amount, precision),
        today_doses=[fmt(d, precision) for d in current.doses_on(today)] if amount else [],
        current_step=step,
        steps=[
            StepRow(s, fmt(s.daily_amount, precision),
                    " + ".join(fmt(d, precision) for d in s.doses) if s.daily_units else "–",
                    s is step and not waiting, held.get(s.index, 0))
            for s in plan.steps
        ],
        holds=[hold_row(plan, h) for h in plan.holds],
    )
    doses = list(DoseTaken.objects.filter(plan__series=series, patient=patient)
                 .order_by("-taken_at"))
    shown.doses = doses
    add_adherence(shown, patient, doses)
    return shown


def hold_row(plan: TaperPlan, hold: Hold) -> HoldRow:
    nxt = plan.steps[hold.step + 1].start if hold.step + 1 < len(plan.steps) else None
    return HoldRow(hold.step + 1, hold.start, hold.days, hold.reason, nxt)


def add_adherence(shown: Shown, patient: Patient, doses: Sequence[DoseTaken]) -> None:
    """Planned vs taken per recorded day, each day against the version in force that day."""
    by_version: dict[int, list[tuple[date, float]]] = {}
    waiting: dict[date, float] = {}
    for dose in doses:
        day = patient.today(dose.taken_at)
        version = version_on(shown.versions, day)
        if version is None:
            continue  # before the plan existed: not part of adherence
        if day < version.plan.start:
            waiting[day] = waiting.get(day, 0.0) + float(dose.amount)
        else:
            by_version.setdefault(version.record.pk, []).append((day, float(dose.amount)))
    rows: list[tuple[date, float, float, float]] = []
    for version in shown.versions:
        taken = by_version.get(version.record.pk)
        if taken:
            report = adherence(version.plan, taken)
            rows += [(d.date, d.planned, d.taken, d.over_by) for d in report.days]
    for day, total in waiting.items():
        version = version_on(shown.versions, day)
        assert version is not None
        planned = version.plan.steps[0].daily_amount
        rows.append((day, planned, total, max(0.0, total - planned)))
    rows.sort()
    shown.adherence = [
        AdherenceRow(day, shown.fmt(p), shown.fmt(t), shown.fmt(o), o > 0)
        for day, p, t, o in reversed(rows)
    ]
    shown.days_recorded = len(rows)
    shown.days_over = sum(1 for r in rows if r[3] > 0)
    shown.chart_svg = adherence_chart(shown, rows)


def nice_top(value: float, ticks: int = 4) -> float:
    """The smallest axis top of `ticks` round steps (1, 2, 2.5 or 5 × 10^k) at or above value."""
    magnitude = 10.0 ** math.floor(math.log10(max(value, 1e-6) / ticks))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude * ticks >= value:
            return factor * magnitude * ticks
    return value


def adherence_chart(shown: Shown, rows: Sequence[tuple[date, float, float, float]]) -> str:
    """Planned amount per day (line) and the amount taken on recorded days (markers)."""
    if not rows:
        return ""
    first = max(shown.versions[0].effective, shown.today - timedelta(days=CHART_DAYS))
    last = max(shown.today, rows[-1][0])
    planned: list[tuple[float, float]] = []
    day = first
    while day <= last:
        version = version_on(shown.versions, day)
        amount = version.planned_on(day) if version is not None else None
        if amount is not None:
            planned.append((float((day - first).days), amount))
        day += timedelta(days=1)
    taken = [(float((d - first).days), t) for d, _p, t, _o in rows if d >= first]
    top = max([p for _, p in planned] + [t for _, t in taken] + [shown.plan.request.precision])
    unit = shown.unit
    return line_chart_svg(
        [(_("planned"), planned), (_("taken"), taken)],
        title=_("Planned and taken per day"),
        y_max=nice_top(top * 1.1),
        x_label=_("days since %(date)s") % {"date": first.isoformat()},
        y_label=unit,
        x_max=float(max((last - first).days, 1)),
        width=400,
        height=260,
    )


@dataclass(frozen=True)
class DueDose:
    """One dose due on a day, for reminders and the home card."""

    plan_id: int
    series: uuid.UUID
    kind: str
    name: str
    number: int  # 1-based within the day
    of: int
    amount: float
    amount_text: str
    unit: str
    as_needed: str  # the clinician's rule when the medicine is taken only as needed


def active_records(patient: Patient) -> list[TaperPlanRecord]:
    records = list(TaperPlanRecord.objects.filter(patient=patient, active=True)
                   .order_by("kind", "name"))
    for record in records:
        record.patient = patient
    return records


def current_versions(patient: Patient, now: datetime,
                     active: list[TaperPlanRecord] | None = None) -> list[Version]:
    """The active version of every plan, adapted to recent check-ins (2 queries; 1 when the
    caller has read `active_records` already)."""
    records = []
    for record in active_records(patient) if active is None else active:
        try:
            parse_taper_request(record.request)
        except InvalidInput:
            continue  # stored before a validation rule changed: show nothing rather than fail
        records.append(record)
    if not records:
        return []
    return build_versions(patient, records, patient.today(now), series=False)


def due_doses(patient: Patient, day: date, *, now: datetime | None = None) -> list[DueDose]:
    """Doses due on the patient's local `day` across their active plans (zero doses left out).

    Holds are judged on check-ins up to `day`. For an as-needed medicine every entry carries
    the clinician's rule: the amounts are the most that may be taken, not a schedule.
    """
    moment = now or datetime.combine(day, datetime.max.time(), tzinfo=patient.zone)
    due = []
    for version in current_versions(patient, moment):
        amount = version.planned_on(day)
        if not amount:
            continue
        doses = version.doses_on(day)
        rule = version.request.as_needed if version.record.schedule == "as-needed" else ""
        for n, dose in enumerate(doses, start=1):
            if dose > 0:
                due.append(DueDose(
                    plan_id=version.record.pk, series=version.record.series,
                    kind=version.record.kind, name=version.record.name, number=n,
                    of=len(doses), amount=dose, amount_text=fmt(dose, version.request.precision),
                    unit=version.request.unit, as_needed=rule,
                ))
    return due
