"""Follow-up cards for the patient's home and the clinician's chart (pages/panels.py)."""

from __future__ import annotations

from datetime import datetime

from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.common.panels import Panel
from kratom_recovery.web.followup.forms import AnchorForm
from kratom_recovery.web.followup.views import followup_context
from kratom_recovery.web.patients.models import Patient


def home_panel(patient: Patient, viewer: User, now: datetime) -> Panel | None:
    """What is due now, or the next follow-up; nothing once the schedule is over."""
    context = followup_context(patient, now)
    rows = context["rows"]
    current = [r for r in rows if r.state == "due"]
    upcoming = [r for r in rows if r.state == "upcoming"]
    if not current and not upcoming and not context["appointments"]:
        return None
    context.update({"current": current, "next": upcoming[0] if upcoming else None,
                    "next_appointment": (context["appointments"] or [None])[0]})
    return Panel("followup/home_panel.html", context)


def chart_panel(patient: Patient, viewer: User, now: datetime) -> Panel | None:
    context = followup_context(patient, now)
    context["anchor_form"] = AnchorForm(initial={"anchor": context["plan"].anchor}
                                        if context["plan"] else None)
    context["patient"] = patient
    return Panel("followup/chart_panel.html", context)
