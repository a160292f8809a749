"""The withdrawal-timeline card on the patient's home and the clinician's chart.

The composed pages (web/pages/panels.py) say whether a kratom taper is running and whether the
patient shares check-ins, so that this app imports neither the tapers nor the recovery app.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from kratom_recovery.care import post_acute
from kratom_recovery.care.timeline import Forecast, Observation, amount_is_scaled
from kratom_recovery.charts import forecast_svg
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.common.panels import Panel
from kratom_recovery.web.patients.forecast_words import forecast_words
from kratom_recovery.web.patients.forecasting import patient_forecast, post_acute_ratings
from kratom_recovery.web.patients.models import Patient


def timeline_panel(
    patient: Patient, viewer: User, now: datetime, *, on_taper: bool, checkins_shared: bool
) -> Panel | None:
    """`on_taper`: a kratom taper is running; `checkins_shared`: the patient lets their
    clinician see check-ins."""
    if on_taper:
        # The forecast is "after the last dose"; mid-taper there is no last dose yet.
        return Panel("patients/panel_timeline_taper.html",
                     {"is_patient": viewer.pk == patient.user_id})
    is_patient = viewer.pk == patient.user_id
    # The dots are check-in scores: hidden from the chart when the patient stopped sharing.
    shared = is_patient or checkins_shared
    result = patient_forecast(patient, now, with_checkins=shared)
    if result is None:
        return None
    forecast, observed = result
    track = post_acute_track(patient, forecast, now) if shared else None
    svg = forecast_svg(
        forecast, observed, width=440, height=280, words=forecast_words(),
        title=_("Withdrawal score 0–64: expected by day since the last dose, with your "
                "check-ins") if is_patient else
        _("Withdrawal score 0–64: expected by day since the last dose, with this person's "
          "check-ins"),
    )
    return Panel(
        "patients/panel_timeline.html",
        {
            "forecast": forecast,
            "svg": svg,
            "is_patient": is_patient,
            "days_since": int(forecast.hours_since_last_dose // 24),
            "track": track is not None,
            "track_columns": [label for _, label in track_columns()],
            "track_rows": [
                (week.week, week.days,
                 [(label, week.means[m]) for m, label in track_columns()])
                for week in track or () if week.days
            ],
            "table": forecast_table(forecast, observed),
            "amount_used": amount_is_scaled(patient.profile.to_domain()),
            "profile": patient.profile,
        },
    )


def forecast_table(forecast: Forecast, observed: list[Observation]
                   ) -> list[tuple[int, float, float, float, float | None]]:
    """The chart as rows: day after the last dose, expected, 80% range, and the person's own
    score that day (the day's latest check-in), for readers who cannot see the chart."""
    own: dict[int, float] = {}
    for o in sorted(observed, key=lambda o: o.time):
        own[int((o.time - forecast.last_dose).total_seconds() // 86400)] = o.sows_total
    return [(p.day, p.expected, p.low, p.high, own.get(p.day)) for p in forecast.points]


def track_columns() -> list[tuple[str, str]]:
    """The post-acute measures with their column headings, in the core's order."""
    labels = {"low-mood": _("Low mood"), "poor-sleep": _("Poor sleep"),
              "fatigue": _("Tired"), "craving": _("Craving")}
    return [(measure, labels[measure]) for measure, *_ in post_acute.MEASURES]


def post_acute_track(
    patient: Patient, forecast: Forecast, now: datetime
) -> list[post_acute.TrackWeek] | None:
    """The person's own post-acute symptoms once the acute phase is over; None before that.

    After a small bump (a lapse) the weeks count from the stop the person is recovering from,
    the profile's last dose, not from the lapse.
    """
    if forecast.course == "small-bump":
        anchor = patient.profile.last_dose
    elif forecast.model_phase == "post-acute":
        anchor = forecast.last_dose
    else:
        return None
    return post_acute.weekly_track(anchor, post_acute_ratings(patient, anchor, now), now)
