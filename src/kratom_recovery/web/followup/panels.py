"""Follow-up cards for the patient's home and the clinician's chart (pages/panels.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Exists

from kratom_recovery.web.common.panels import Panel
from kratom_recovery.web.followup.forms import AnchorForm
from kratom_recovery.web.followup.models import Appointment
from kratom_recovery.web.followup.views import followup_context
from kratom_recovery.web.patients.page import PatientPage, any_of


def followup_state(page: PatientPage) -> dict[str, Any]:
    """The plan, its rows and the coming appointments: read once for every card that shows
    them (copy before adding to it)."""
    return followup_context(page.patient, page.now,
                            any_appointments=page.may_have(UPCOMING_APPOINTMENTS))


UPCOMING_APPOINTMENTS = "has_upcoming_appointments"


def with_patient(now: datetime) -> dict[str, Exists]:
    """Whether any appointment is coming, read with the patient's row (home and chart)."""
    return {UPCOMING_APPOINTMENTS: any_of(Appointment.objects.filter(starts_at__gte=now))}


def home_panel(page: PatientPage) -> Panel | None:
    """What is due now, or the next follow-up; nothing once the schedule is over."""
    context = dict(page.once(followup_state))
    rows = context["rows"]
    current = [r for r in rows if r.state == "due"]
    upcoming = [r for r in rows if r.state == "upcoming"]
    if not current and not upcoming and not context["appointments"]:
        return None
    context.update({"current": current, "next": upcoming[0] if upcoming else None,
                    "next_appointment": (context["appointments"] or [None])[0]})
    return Panel("followup/home_panel.html", context)


def chart_panel(page: PatientPage) -> Panel | None:
    context = dict(page.once(followup_state))
    context["anchor_form"] = AnchorForm(initial={"anchor": context["plan"].anchor}
                                        if context["plan"] else None)
    context["patient"] = page.patient
    return Panel("followup/chart_panel.html", context)
