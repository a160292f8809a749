"""The patient's personal withdrawal forecast, from their profile and SOWS check-ins."""

from __future__ import annotations

from datetime import datetime

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.timeline import Forecast, Observation, forecast
from kratom_recovery.web.patients.models import InstrumentResponse, Patient

# How far back check-ins inform the forecast: the model covers 30 days after the last dose.
OBSERVATION_WINDOW_DAYS = 31


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


def patient_forecast(patient: Patient, now: datetime) -> tuple[Forecast, list[Observation]] | None:
    """The forecast updated with check-ins since the last dose; None before onboarding."""
    profile = getattr(patient, "profile", None)
    if profile is None:
        return None
    domain = profile.to_domain()
    if domain.last_dose is None or domain.last_dose > now:
        return None
    observed = [o for o in sows_observations(patient, domain.last_dose) if o.time <= now]
    try:
        return forecast(domain, now, observed=observed), observed
    except InvalidInput:
        return None
