"""The card shown right after a check-in is saved: "is this normal for today?"

Today's withdrawal total, where it sits against the person's own expected range for this day
after the last dose (the forecast's 80% band, patients/forecasting.py), when the acute phase
usually eases, and today's dot on the timeline. A quick check-in (no SOWS) is partial: it
says so, and the forecast leaves it out, since it only reads complete SOWS scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

from kratom_recovery.care.instruments import get_instrument
from kratom_recovery.care.timeline import Forecast, ForecastPoint
from kratom_recovery.charts import forecast_svg
from kratom_recovery.web.patients.forecast_words import forecast_words
from kratom_recovery.web.patients.forecasting import patient_forecast
from kratom_recovery.web.patients.models import CheckIn, Patient


@dataclass(frozen=True)
class CheckinResult:
    local_date: date
    sows: int | None  # None: a quick (partial) check-in
    sows_max: int
    craving: int | None
    day: int | None = None  # whole days since the last dose
    low: float | None = None
    high: float | None = None
    place: str = ""  # below | within | above the expected range
    eases: tuple[date, date] | None = None
    eased: bool = False  # the acute phase was expected to be over already
    svg: str = ""

    @property
    def partial(self) -> bool:
        return self.sows is None


def point_for(forecast: Forecast, day: int) -> ForecastPoint | None:
    return next((p for p in forecast.points if p.day == day), None)


def place_of(total: float, point: ForecastPoint) -> str:
    if total < point.low:
        return "below"
    return "above" if total > point.high else "within"


def checkin_result(patient: Patient, now: datetime, *, on_taper: bool) -> CheckinResult | None:
    """Today's result, or None before today's check-in. Mid-taper there is no "day since
    the last dose", so only the scores are shown."""
    checkin = (CheckIn.objects.filter(patient=patient, local_date=patient.today(now))
               .prefetch_related("responses").first())
    if checkin is None:
        return None
    totals = {r.instrument: r.total for r in checkin.responses.all()}
    result = CheckinResult(checkin.local_date, totals.get("sows"),
                           get_instrument("sows").max_total, totals.get("craving"))
    if result.sows is None or on_taper:
        return result
    found = patient_forecast(patient, now)
    if found is None:
        return result
    forecast, observed = found
    day = int(forecast.hours_since_last_dose // 24)
    point = point_for(forecast, day)
    svg = forecast_svg(
        forecast, observed, width=440, height=280, words=forecast_words(), today=float(result.sows),
        title=_("Your withdrawal score today on your expected timeline (0–64)"),
    )
    return CheckinResult(
        result.local_date, result.sows, result.sows_max, result.craving, day,
        point.low if point else None, point.high if point else None,
        place_of(result.sows, point) if point else "",
        forecast.acute_end_range, forecast.model_phase == "post-acute", svg,
    )
