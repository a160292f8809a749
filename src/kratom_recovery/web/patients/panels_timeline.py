"""The withdrawal-timeline card on the patient's home and the clinician's chart."""

from __future__ import annotations

from datetime import datetime

from django.apps import apps
from django.utils.translation import gettext as _

from kratom_recovery.charts import forecast_svg
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.patients.forecasting import patient_forecast
from kratom_recovery.web.patients.models import Patient
from kratom_recovery.web.patients.panels import Panel
from kratom_recovery.web.recovery.consent import clinician_may_see


def on_kratom_taper(patient: Patient) -> bool:
    """Looked up by name: the tapers app builds on this one, not the other way round."""
    if not apps.is_installed("kratom_recovery.web.tapers"):
        return False
    plans = apps.get_model("tapers", "TaperPlanRecord")
    return bool(plans.objects.filter(patient=patient, kind="kratom", active=True).exists())


def timeline_panel(patient: Patient, viewer: User, now: datetime) -> Panel | None:
    if on_kratom_taper(patient):
        # The forecast is "after the last dose"; mid-taper there is no last dose yet.
        return Panel("patients/panel_timeline_taper.html",
                     {"is_patient": viewer.pk == patient.user_id})
    is_patient = viewer.pk == patient.user_id
    # The dots are check-in scores: hidden from the chart when the patient stopped sharing.
    result = patient_forecast(
        patient, now, with_checkins=is_patient or clinician_may_see(patient, "checkins")
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
