"""The follow-up schedule of a patient: anchor choice and completion from their responses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from kratom_recovery.care import followup
from kratom_recovery.care.fallback_phase import fallback_acute_end
from kratom_recovery.web.followup.models import FollowUpPlan
from kratom_recovery.web.patients.forecasting import patient_forecast
from kratom_recovery.web.patients.models import InstrumentResponse, Patient

# Where each due instrument is done by the patient (URL name, args).
INSTRUMENT_LINKS: dict[str, tuple[str, tuple[str, ...]]] = {
    "sows": ("checkin", ()),
    "craving": ("checkin", ()),
    "phq9": ("questionnaire", ("phq9",)),
    "gad7": ("questionnaire", ("gad7",)),
    "sud": ("followup-sud", ()),
}


@dataclass(frozen=True)
class Row:
    """One follow-up as shown: its state and which of its instruments are still to do."""

    status: followup.FollowUpStatus
    done: tuple[str, ...]
    todo: tuple[str, ...]

    @property
    def state(self) -> str:
        return self.status.state

    @property
    def item(self) -> followup.FollowUp:
        return self.status.followup


def choose_anchor(patient: Patient, now: datetime) -> tuple[date, str] | None:
    """The expected end of the acute phase from the timeline forecast; the shared fallback
    (last dose + 7 days, care/fallback_phase.py) when it cannot be made; None before
    onboarding."""
    profile = getattr(patient, "profile", None)
    if profile is None:
        return None
    result = patient_forecast(patient, now)  # the date the patient's timeline card shows
    if result is not None:
        return result[0].acute_end_expected, "acute-end-forecast"
    last = patient.today(patient.last_use_at or profile.last_dose)
    return fallback_acute_end(last), "last-dose-plus-7"


def early_days(item: followup.FollowUp) -> int:
    """Responses count from this many days before the due date (program default: as many
    days as the grace window after it, so neighbouring windows never overlap)."""
    return item.window_days


def completion(
    items: list[followup.FollowUp], responses: list[tuple[str, date]]
) -> tuple[dict[int, date], dict[int, set[str]]]:
    """Which follow-ups are complete (every instrument answered within the window), with
    the date the last one was answered, and which instruments each has so far."""
    have: dict[int, dict[str, date]] = {item.day: {} for item in items}
    for instrument, on in responses:
        for item in items:
            start = item.due - timedelta(days=early_days(item))
            if instrument in item.instruments and start <= on <= item.last_day:
                first = have[item.day].get(instrument)
                if first is None or on < first:
                    have[item.day][instrument] = on
    completed = {
        item.day: max(have[item.day].values())
        for item in items
        if have[item.day] and set(item.instruments) <= set(have[item.day])
    }
    return completed, {day: set(found) for day, found in have.items()}


def rows_for(plan: FollowUpPlan, today: date) -> list[Row]:
    """The schedule with states (one query for the responses)."""
    items = followup.schedule(plan.anchor)
    start = items[0].due - timedelta(days=early_days(items[0]))
    end = items[-1].last_day
    zone = plan.patient.zone
    instruments = sorted({i for item in items for i in item.instruments})
    responses = [
        (instrument, recorded.astimezone(zone).date())
        for instrument, recorded in InstrumentResponse.objects.filter(
            patient=plan.patient_id, instrument__in=instruments,
            recorded_at__gte=datetime.combine(start, datetime.min.time(), tzinfo=zone)
            - timedelta(days=1),
            recorded_at__lt=datetime.combine(end, datetime.min.time(), tzinfo=zone)
            + timedelta(days=2),
        ).values_list("instrument", "recorded_at")
    ]
    completed, found = completion(items, responses)
    return [
        Row(status, tuple(sorted(found[status.followup.day])),
            tuple(i for i in status.followup.instruments if i not in found[status.followup.day]))
        for status in followup.status(items, completed, today)
    ]
