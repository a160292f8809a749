"""The patient's personal withdrawal forecast, from their profile and SOWS check-ins."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from kratom_recovery.care import post_acute
from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.timeline import Dose, Forecast, Observation, forecast, synthesize_doses
from kratom_recovery.web.patients.models import InstrumentResponse, Patient, UseEvent

# (patient, since, unit) -> doses taken after `since` in `unit`, from an app built on this one.
DoseSource = Callable[[Patient, datetime, str], list[Dose]]
DOSE_SOURCES: list[DoseSource] = []


def register_dose_source(source: DoseSource) -> None:
    """Add doses another app records (the tapers app's, from its `ready()`)."""
    if source not in DOSE_SOURCES:
        DOSE_SOURCES.append(source)


def sows_observations(patient: Patient, since: datetime | None) -> list[Observation]:
    responses = InstrumentResponse.objects.filter(patient=patient, instrument="sows")
    if since is not None:
        responses = responses.filter(recorded_at__gte=since)
    return [
        Observation(time=recorded_at, sows_total=float(total))
        for recorded_at, total in responses.order_by("recorded_at").values_list(
            "recorded_at", "total"
        )
    ]


def post_acute_ratings(patient: Patient, last_dose: datetime, now: datetime) -> list[
    post_acute.Rating
]:
    """The post-acute track's ratings (weeks 2–8 after `last_dose`) in one query."""
    start, end = post_acute.window(last_dose)
    rows = InstrumentResponse.objects.filter(
        patient=patient, instrument__in=post_acute.INSTRUMENTS, recorded_at__gte=start,
        recorded_at__lt=min(end, now),
    ).values_list("recorded_at", "instrument", "answers")
    return [rating for time, instrument, answers in rows
            for rating in post_acute.ratings_from_answers(time, instrument, list(answers))]


def logged_doses(patient: Patient, since: datetime, unit: str) -> list[Dose]:
    """Uses logged after the onboarding's last dose: lapses and taper doses, in one unit.

    Taper doses live in the tapers app, which registers them here (it imports this app, not
    the other way round).
    """
    doses = [
        Dose(time, float(amount))
        for time, amount in UseEvent.objects.filter(
            patient=patient, taken_at__gt=since, unit=unit, amount__gt=0
        ).values_list("taken_at", "amount")
    ]
    for source in DOSE_SOURCES:
        doses += source(patient, since, unit)
    return sorted(doses, key=lambda dose: dose.time)


def patient_forecast(
    patient: Patient, now: datetime, *, with_checkins: bool = True
) -> tuple[Forecast, list[Observation]] | None:
    """The forecast updated with check-ins since the last dose; None before onboarding.

    `with_checkins=False` leaves the SOWS check-ins out (the curve then follows the profile
    and logged doses only), for a clinician the patient has stopped sharing check-ins with.
    Remembered on the patient object for the same `now`, so the several cards of one page
    compute it once; a write made later creates a new `now`, so nothing goes stale.
    """
    cache: dict[tuple[datetime, bool], tuple[Forecast, list[Observation]] | None]
    cache = patient.__dict__.setdefault("_forecasts", {})
    key = (now, with_checkins)
    if key not in cache:
        cache[key] = compute_forecast(patient, now, with_checkins=with_checkins)
    return cache[key]


def compute_forecast(
    patient: Patient, now: datetime, *, with_checkins: bool
) -> tuple[Forecast, list[Observation]] | None:
    profile = getattr(patient, "profile", None)
    if profile is None:
        return None
    domain = profile.to_domain()
    if domain.last_dose is None or domain.last_dose > now:
        return None
    # Steady use up to the onboarding's last dose, then whatever was logged since (taper
    # steps, lapses), so a step-down or a single lapse gives its own smaller bump.
    logged = [d for d in logged_doses(patient, profile.last_dose, profile.unit) if d.time <= now]
    doses = None
    if logged:
        doses = synthesize_doses(replace(domain, last_dose=profile.last_dose)) + logged
    observed: list[Observation] = []
    if with_checkins:
        observed = [o for o in sows_observations(patient, doses[0].time if doses else
                                                 domain.last_dose) if o.time <= now]
    try:
        # In the patient's zone: the expected end of the acute phase is their calendar date.
        return forecast(domain, patient.local_now(now), doses=doses, observed=observed), observed
    except InvalidInput:
        return None
