"""The withdrawal-timeline card on the patient's home and the clinician's chart.

The composed pages (web/pages/panels.py) say whether a kratom taper is running and whether the
patient shares check-ins, so that this app imports neither the tapers nor the recovery app.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from kratom_recovery.charts import forecast_svg
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.common.panels import Panel
from kratom_recovery.web.patients.forecasting import patient_forecast
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
    result = patient_forecast(
        patient, now, with_checkins=is_patient or checkins_shared
    )
    if result is None:
        return None
    forecast, observed = result
    svg = forecast_svg(
        forecast, observed, width=440, height=280,
        title=_("Expected withdrawal symptoms (SOWS 0–64) by day since the last dose, "
                "with your check-ins"),
    )
    return Panel(
        "patients/panel_timeline.html",
        {
            "forecast": forecast,
            "svg": svg,
            "is_patient": is_patient,
            "days_since": int(forecast.hours_since_last_dose // 24),
        },
    )
