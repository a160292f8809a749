"""Read side of the recovery tools: few queries, plain data out, pure core for the logic."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Final

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kratom_recovery import charts
from kratom_recovery.care import coping, progress, timeline
from kratom_recovery.care import fallback_phase as fallback
from kratom_recovery.care.instruments import get_instrument
from kratom_recovery.web.patients.forecasting import patient_forecast
from kratom_recovery.web.patients.models import CheckIn, InstrumentResponse, Patient, UseEvent
from kratom_recovery.web.patients.queries import HistoryRow
from kratom_recovery.web.recovery.models import (
    CopingFeedback,
    OwnMeasure,
    OwnMeasureValue,
    RecoverySettings,
)
from kratom_recovery.web.tapers.models import DoseTaken

SYMPTOM_INSTRUMENTS: Final = ("sows", "daily-extra", "craving")
CHART_DAYS: Final = 28
# Sized for a phone: drawn near its on-screen width so labels stay readable; two legend
# entries fit per row at this width, hence two own measures per chart.
CHART_WIDTH: Final = 400
CHART_HEIGHT: Final = 220
MEASURES_PER_CHART: Final = 2


def mood_on_ten(mood: int | None) -> float | None:
    """Check-in mood (1 very low … 5 very good) on progress.DaySummary's 0–10 scale.

    Linear: 1 → 0, 2 → 2.5, 3 → 5, 4 → 7.5, 5 → 10, so "okay" sits in the middle.
    """
    return None if mood is None else (mood - 1) * 2.5


def low_mood_on_ten(low_mood: int | None) -> float | None:
    """The daily extras' "My mood is low" (0 not at all … 4 extremely) on the same 0–10
    scale, turned round so that higher is better, as with the 1–5 mood: 0 → 10, 4 → 0.
    The web check-in asks mood only this way (one question, asked once)."""
    return None if low_mood is None else (4 - low_mood) * 2.5


# --- coping -----------------------------------------------------------------------------------


def ratings_from_answers(answers: dict[str, list[object]]) -> dict[str, float]:
    """Raw symptom ratings by coping symptom id from stored instrument answers."""
    ratings: dict[str, float] = {}
    for instrument_id in SYMPTOM_INSTRUMENTS:
        values = answers.get(instrument_id)
        if values is None:
            continue
        for item, value in zip(get_instrument(instrument_id).items, values, strict=False):
            if item.id in coping.SCALE_MAX and isinstance(value, int | float):
                ratings[item.id] = float(value)
    return ratings


def today_ratings(patient: Patient, now: datetime) -> dict[str, float] | None:
    """Today's symptom ratings, or None when the person has not checked in today."""
    checkin = CheckIn.objects.filter(patient=patient, local_date=patient.today(now)).first()
    if checkin is None:
        return None
    responses = InstrumentResponse.objects.filter(
        checkin=checkin, instrument__in=SYMPTOM_INSTRUMENTS
    ).only("instrument", "answers")
    return ratings_from_answers({r.instrument: list(r.answers) for r in responses})


@dataclass
class Phase:
    id: str
    label: str
    estimated_by_fallback: bool


def current_phase(patient: Patient, now: datetime) -> Phase:
    """The withdrawal phase from the patient's forecast (the one their home shows), or a
    labelled fallback when there is none."""
    result = patient_forecast(patient, now)
    if result is not None:
        forecast = result[0]
        return Phase(forecast.phase, forecast.phase_label, False)
    return fallback_phase(patient.last_use_at, now)


def fallback_phase(last_use: datetime | None, now: datetime) -> Phase:
    """The shared fallback table's phase (care/fallback_phase.py), labelled as an estimate."""
    phase = fallback.fallback_phase(last_use, now)
    return Phase(phase, timeline.PHASE_LABELS[phase], True)


def feedback_counts(patient: Patient) -> dict[str, coping.Feedback]:
    rows = (
        CopingFeedback.objects.filter(patient=patient)
        .order_by()
        .values("entry_id")
        .annotate(yes=Count("id", filter=Q(helped=True)),
                  no=Count("id", filter=Q(helped=False)))
    )
    return {row["entry_id"]: coping.Feedback(row["yes"], row["no"]) for row in rows}


@dataclass
class CopingView:
    phase: Phase
    checked_in: bool
    worst: list[tuple[str, float]]
    suggestions: list[coping.Suggestion]


def coping_view(patient: Patient, now: datetime, n: int = 3, *, any_feedback: bool = True,
                history: Sequence[HistoryRow] | None = None) -> CopingView:
    """A composed page passes what it has read: `any_feedback=False` when the person rated
    no idea yet, and their latest check-ins (`history`, newest first) for today's ratings."""
    if history is None:
        ratings = today_ratings(patient, now)
    else:
        today = history[0] if history and history[0].local_date == patient.today(now) else None
        ratings = None if today is None else ratings_from_answers(today.answers)
    severities = coping.severities_from_ratings(ratings or {})
    phase = current_phase(patient, now)
    return CopingView(
        phase=phase,
        checked_in=ratings is not None,
        worst=coping.worst_symptoms(severities, 3),
        suggestions=coping.suggest(severities, phase.id,
                                   feedback_counts(patient) if any_feedback else {}, n=n),
    )


# --- progress ---------------------------------------------------------------------------------


@dataclass
class Money:
    currency: str
    current_streak: Decimal
    since_quitting: Decimal


@dataclass
class ProgressView:
    quit_start: datetime | None
    streaks: progress.Streaks
    abstinent_days: int
    milestones: progress.MilestoneStatus
    money: Money | None
    money_problem: str
    settings: RecoverySettings | None


def quit_start(patient: Patient) -> datetime | None:
    """The last dose given at onboarding: uses after it are lapses, uses before are history."""
    profile = getattr(patient, "profile", None)
    return None if profile is None else profile.last_dose


def progress_view(patient: Patient, now: datetime) -> ProgressView:
    start = quit_start(patient)
    uses: list[progress.UseEvent] = []
    if start is not None:
        # Every use since the quit start counts: logged lapses and doses taken on a taper
        # (one query, the two tables' times in a UNION ALL).
        lapses = UseEvent.objects.filter(
            patient=patient, taken_at__gte=start, taken_at__lte=now
        ).order_by().values_list("taken_at", flat=True)
        taper_doses = DoseTaken.objects.filter(
            patient=patient, plan__kind="kratom", amount__gt=0, taken_at__gte=start,
            taken_at__lte=now,
        ).order_by().values_list("taken_at", flat=True)
        times = list(lapses.union(taper_doses, all=True))
        uses = [progress.UseEvent(time=taken_at) for taken_at in sorted(times)]
    streaks = progress.streaks(start, uses, now) if start else progress.Streaks(0, 0, 0)
    total = progress.abstinent_days(start, uses, now) if start else 0
    settings: RecoverySettings | None = getattr(patient, "recovery_settings", None)
    money: Money | None = None
    problem = ""
    profile = getattr(patient, "profile", None)
    if settings is not None and settings.price_per_unit is not None and profile is not None:
        if settings.price_unit != profile.unit:
            problem = "unit"
        else:
            money = Money(
                settings.currency,
                progress.money_saved(settings.price_per_unit, profile.amount_per_day,
                                     streaks.current),
                progress.money_saved(settings.price_per_unit, profile.amount_per_day, total),
            )
    return ProgressView(start, streaks, total, progress.milestones(streaks.current), money,
                        problem, settings)


@dataclass
class DayRow:
    local_date: date
    sows_total: float | None = None
    craving: float | None = None
    sleep_hours: float | None = None
    mood: int | None = None  # the check-in's own 1–5 (API)
    low_mood: int | None = None  # the daily extras' "My mood is low", 0–4 (web)
    measures: dict[int, int] = field(default_factory=dict)

    def mood_score(self) -> float | None:
        """Mood on 0–10: the 1–5 answer when given, else the daily extras' low-mood item."""
        return mood_on_ten(self.mood) if self.mood is not None else low_mood_on_ten(
            self.low_mood)

    def summary(self) -> progress.DaySummary:
        return progress.DaySummary(self.local_date, self.sows_total, self.craving,
                                   self.sleep_hours, self.mood_score())


def day_rows(patient: Patient, first: date, last: date) -> dict[date, DayRow]:
    """Check-in values per local day in [first, last] (two queries)."""
    checkins = (
        CheckIn.objects.filter(patient=patient, local_date__gte=first, local_date__lte=last)
        .prefetch_related(Prefetch(
            "responses",
            queryset=InstrumentResponse.objects.filter(
                instrument__in=("sows", "craving", "daily-extra"))
            .only("checkin_id", "instrument", "total", "answers"),
        ))
    )
    rows: dict[date, DayRow] = {}
    for checkin in checkins:
        row = DayRow(
            checkin.local_date,
            sleep_hours=None if checkin.sleep_hours is None else float(checkin.sleep_hours),
            mood=checkin.mood,
        )
        for response in checkin.responses.all():
            if response.instrument == "sows":
                row.sows_total = float(response.total)
            elif response.instrument == "craving":
                row.craving = float(response.total)
            elif response.answers and isinstance(response.answers[0], int):
                row.low_mood = response.answers[0]  # daily extras: item 1 is low mood
        rows[checkin.local_date] = row
    return rows


@dataclass
class WeekView:
    summary: progress.WeekSummary
    rows: list[tuple[str, str, float | None, float | None, str | None, str]]
    charts: list[str]
    measures: list[OwnMeasure]


METRIC_LABELS: Final = {
    "sows_total": gettext_lazy("Withdrawal symptoms (SOWS, 0–64)"),
    "craving": gettext_lazy("Craving (0–10)"),
    "sleep_hours": gettext_lazy("Sleep (hours)"),
    "mood": gettext_lazy("Mood (0–10)"),
}


def week_view(patient: Patient, now: datetime) -> WeekView:
    """This week against last week, and the last four weeks as charts (four queries)."""
    today = patient.today(now)
    first = today - timedelta(days=CHART_DAYS - 1)
    rows = day_rows(patient, min(first, today - timedelta(days=13)), today)
    summary = progress.weekly_summary([r.summary() for r in rows.values()],
                                      today - timedelta(days=6))
    table = []
    for metric in progress.METRICS:
        trend = summary.trends[metric]
        better = progress.BETTER_DIRECTION[metric]
        verdict = "" if trend in (None, "flat") else ("better" if trend == better else "worse")
        table.append((metric, str(METRIC_LABELS[metric]), summary.means[metric],
                      summary.previous_means[metric], trend, verdict))
    measures = list(OwnMeasure.objects.filter(patient=patient).order_by("created_at", "id"))
    values: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for measure_id, day, value in OwnMeasureValue.objects.filter(
        measure__patient=patient, local_date__gte=first, local_date__lte=today
    ).values_list("measure_id", "local_date", "value"):
        values[measure_id].append((float((day - first).days + 1), float(value)))

    def series(metric: str, transform: bool = False) -> list[tuple[float, float]]:
        points = []
        for day, row in rows.items():
            value = row.summary().mood if transform else getattr(row, metric)
            if day >= first and value is not None:
                points.append((float((day - first).days + 1), float(value)))
        return points

    x_label = _("day (1 = %(first)s, %(n)d = today)") % {"first": first.isoformat(),
                                                       "n": CHART_DAYS}
    svgs = [
        charts.line_chart_svg(
            [("SOWS", series("sows_total"))], title=_("Withdrawal symptoms, last 4 weeks"),
            y_max=64, x_label=x_label, y_label=_("SOWS total"), x_max=CHART_DAYS,
            width=CHART_WIDTH, height=CHART_HEIGHT,
        ),
        charts.line_chart_svg(
            [(_("craving"), series("craving")), (_("mood"), series("mood", transform=True))],
            title=_("Craving and mood, last 4 weeks"), y_max=10, x_label=x_label,
            y_label="0–10", x_max=CHART_DAYS,
            width=CHART_WIDTH, height=CHART_HEIGHT,
        ),
        charts.line_chart_svg(
            [(_("sleep"), series("sleep_hours"))], title=_("Sleep, last 4 weeks"), y_max=12,
            x_label=x_label, y_label=_("hours"), x_max=CHART_DAYS,
            width=CHART_WIDTH, height=CHART_HEIGHT,
        ),
    ]
    tracked = [m for m in measures if values.get(m.pk) or not m.archived]
    for start in range(0, len(tracked), MEASURES_PER_CHART):
        group = tracked[start:start + MEASURES_PER_CHART]
        svgs.append(charts.line_chart_svg(
            [(m.name, values.get(m.pk, [])) for m in group],
            title=_("Your own measures, last 4 weeks"), y_max=10, x_label=x_label,
            y_label="0–10", x_max=CHART_DAYS, width=CHART_WIDTH, height=CHART_HEIGHT,
        ))
    return WeekView(summary, table, svgs, measures)
