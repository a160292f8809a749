"""Read-side helpers for patient pages: few queries, plain data out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from django.db.models import Prefetch, QuerySet, Subquery
from django.utils import timezone

from kratom_recovery.care.instruments.daily_extra import DAILY_EXTRA
from kratom_recovery.web.patients.models import (
    CareTeamMember,
    CheckIn,
    InstrumentResponse,
    Patient,
)
from kratom_recovery.web.patients.page import PatientPage

DAILY_EXTRA_ITEMS = tuple(item.id for item in DAILY_EXTRA.items)


def with_care_team(patients: QuerySet[Patient]) -> QuerySet[Patient]:
    """`patients` with their care teams read in one query for the whole list, so a list
    that shows each row's primary clinician (Patient.clinician) needs no query per row."""
    return patients.prefetch_related(
        Prefetch("care_team", queryset=CareTeamMember.objects.select_related("clinician"))
    )


@dataclass
class HistoryRow:
    local_date: date
    checkin_id: int
    sleep_hours: float | None
    mood: int | None
    note: str
    totals: dict[str, int] = field(default_factory=dict)
    bands: dict[str, str] = field(default_factory=dict)
    answers: dict[str, list[object]] = field(default_factory=dict)
    recorded_at: datetime | None = None
    # The daily safety questions, shown on the clinician's chart beside the scores.
    danger_symptoms: list[str] = field(default_factory=list)
    self_harm_thoughts: bool | None = None
    temperature_c: float | None = None

    @property
    def withdrawal(self) -> int | None:
        """The SOWS total, None on a quick check-in (templates show "–", never a blank)."""
        return self.totals.get("sows")

    @property
    def craving(self) -> int | None:
        return self.totals.get("craving")

    @property
    def partial(self) -> bool:
        """A quick check-in: no withdrawal score that day (the forecast leaves it out)."""
        return "sows" not in self.totals

    def extra(self, item_id: str) -> object:
        """One daily-extra rating (0-4) of this check-in, or None when not answered."""
        values = self.answers.get("daily-extra") or []
        index = DAILY_EXTRA_ITEMS.index(item_id)
        return values[index] if index < len(values) else None

    @property
    def low_mood(self) -> object:
        return self.extra("low-mood")

    @property
    def poor_sleep(self) -> object:
        return self.extra("poor-sleep")

    @property
    def pulse(self) -> object:
        """The resting pulse typed with the daily extras (an optional trailing item, so the
        answers may stop before it), or None."""
        extras = self.answers.get("daily-extra", [])
        return extras[PULSE_ITEM] if len(extras) > PULSE_ITEM else None


PULSE_ITEM = next(i for i, item in enumerate(DAILY_EXTRA.items) if item.id == "pulse")


def checkin_history(patient: Patient, limit: int = 30) -> list[HistoryRow]:
    """The latest check-ins, newest first, with each instrument's total: one query, the
    check-ins joined to their responses (a check-in without any still gives its row)."""
    latest = (CheckIn.objects.filter(patient=patient).order_by("-local_date")
              .values("pk")[:limit])
    joined = (
        CheckIn.objects.filter(pk__in=Subquery(latest))
        .order_by("-local_date", "responses__recorded_at", "responses__pk")
        .values_list("pk", "local_date", "sleep_hours", "mood", "note", "updated_at",
                     "danger_symptoms", "self_harm_thoughts", "temperature_c",
                     "responses__instrument", "responses__total", "responses__band",
                     "responses__answers")
    )
    rows: dict[int, HistoryRow] = {}
    for (pk, local_date, sleep_hours, mood, note, updated_at, danger, self_harm, temperature,
         instrument, total, band, answers) in joined:
        row = rows.get(pk)
        if row is None:
            row = rows[pk] = HistoryRow(
                local_date=local_date,
                checkin_id=pk,
                sleep_hours=None if sleep_hours is None else float(sleep_hours),
                mood=mood,
                note=note,
                recorded_at=updated_at,
                danger_symptoms=list(danger),
                self_harm_thoughts=self_harm,
                temperature_c=None if temperature is None else float(temperature),
            )
        if instrument is not None:
            row.totals[instrument] = total
            row.bands[instrument] = band
            row.answers[instrument] = list(answers)
    return list(rows.values())


def recent_checkins(page: PatientPage) -> list[HistoryRow]:
    """The latest check-ins for a composed page's cards, whatever the viewer may see (a card
    shown to a clinician asks the sharing consent before it shows them)."""
    return checkin_history(page.patient)


QUESTIONNAIRES = ("phq9", "gad7", "cows", "sud", "audit-c")


def questionnaire_history(
    patient: Patient, instruments: tuple[str, ...] = QUESTIONNAIRES, limit: int = 30
) -> list[InstrumentResponse]:
    """Stand-alone instruments (weekly PHQ-9/GAD-7, COWS ratings, use-disorder checklist,
    AUDIT-C),
    newest first, with who recorded them: one query."""
    return list(
        InstrumentResponse.objects.filter(patient=patient, instrument__in=instruments)
        .select_related("recorded_by")
        .order_by("-recorded_at")[:limit]
    )


def days_since_last_use(patient: Patient, now: datetime | None = None) -> int | None:
    """Whole days since the latest known use, counted in the patient's own time zone."""
    if patient.last_use_at is None:
        return None
    now = now or timezone.now()
    local_now = now.astimezone(patient.zone)
    last = patient.last_use_at.astimezone(patient.zone)
    return max(0, (local_now - last).days)


def latest_responses(
    patient: Patient, instrument_ids: tuple[str, ...]
) -> dict[str, InstrumentResponse]:
    """The newest response per instrument (one indexed query each: resp_latest)."""
    latest = {}
    for instrument_id in instrument_ids:
        response = (
            InstrumentResponse.objects.filter(patient=patient, instrument=instrument_id)
            .order_by("-recorded_at")
            .first()
        )
        if response is not None:
            latest[instrument_id] = response
    return latest


@dataclass(frozen=True)
class ScoreChart:
    """One score over the days, on its own scale, with the points as a table."""

    title: str
    scale: str  # the axis label, e.g. "Withdrawal score 0–64"
    svg: str
    points: list[tuple[date, int]]


def score_charts(history: list[HistoryRow]) -> list[ScoreChart]:
    """The patient's withdrawal score and craving by day, one chart each on its own scale
    (never one scaled onto the other); none until a score has two days to draw."""
    from django.utils.translation import gettext as _

    from kratom_recovery.charts import line_chart_svg

    charts = []
    for instrument, title, scale, top in (
        ("sows", _("Your withdrawal score by day"), _("Withdrawal score 0–64"), 64),
        ("craving", _("Your craving by day"), _("Craving 0–10"), 10),
    ):
        points = [(r.local_date, r.totals[instrument]) for r in reversed(history)
                  if instrument in r.totals]
        if len(points) < 2:
            continue
        first = points[0][0]
        svg = line_chart_svg(
            [(scale, [(float((day - first).days), float(v)) for day, v in points])],
            title=title, width=440, height=220, y_max=top, y_label=scale,
            x_label=_("days since %(date)s") % {"date": first.strftime("%d %b")},
        )
        charts.append(ScoreChart(title, scale, svg, list(reversed(points))))
    return charts


def history_chart(
    history: list[HistoryRow], title: str, cows: Sequence[InstrumentResponse] = (),
    zone: tzinfo | None = None,
) -> str | None:
    """SOWS, craving (×6.4) and any COWS ratings (scaled to 64), on one axis, by day.
    None until there are two days to draw."""
    from django.utils.translation import gettext as _

    from kratom_recovery.charts import line_chart_svg

    cows = [r for r in cows if r.instrument == "cows"]
    cows_days = {r.recorded_at.astimezone(zone).date() for r in cows}
    days = {row.local_date for row in history} | cows_days
    if len(days) < 2:
        return None
    first = min(days)
    sows = [((r.local_date - first).days, float(r.totals["sows"]))
            for r in reversed(history) if "sows" in r.totals]
    craving = [((r.local_date - first).days, r.totals["craving"] * 6.4)
               for r in reversed(history) if "craving" in r.totals]
    cows_points = [
        ((r.recorded_at.astimezone(zone).date() - first).days, r.total * 64 / r.max_total)
        for r in reversed(cows)
    ]
    # Short legend names (the chart is narrow on a phone); the page caption explains scaling.
    series = [(_("SOWS"), sows), (_("Craving ×6.4"), craving), (_("COWS ×4/3"), cows_points)]
    return line_chart_svg(
        [(name, points) for name, points in series if points],
        title=title,
        width=440,
        height=240,
        y_max=64,
        x_label=_("days since %(date)s") % {"date": first.strftime("%d %b")},
        y_label=_("score"),
    )
