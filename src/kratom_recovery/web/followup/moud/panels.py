"""The MOUD and naloxone card on the clinician's chart (pages/panels.py), with the link to the
discharge summary."""

from __future__ import annotations

from django.db.models import Exists

from kratom_recovery.web.accounts.models import Role
from kratom_recovery.web.common.panels import Panel
from kratom_recovery.web.followup.models import MoudRecord, NaloxoneRecord
from kratom_recovery.web.followup.moud import queries
from kratom_recovery.web.patients.page import PatientPage, any_of


def chart_with_patient() -> dict[str, Exists]:
    """Whether there is any MOUD or naloxone record, read with the patient's row on the
    chart, so a patient with neither costs this card (and the follow-up schedule) no query."""
    return {queries.HAS_MOUD: any_of(MoudRecord.objects.all()),
            "has_naloxone": any_of(NaloxoneRecord.objects.all())}


def chart_panel(page: PatientPage) -> Panel | None:
    if page.viewer.role != Role.CLINICIAN:
        return None
    naloxone = (queries.naloxone_history(page.patient, 1) if page.may_have("has_naloxone")
                else [])
    return Panel("followup/moud_panel.html", {
        "patient": page.patient, "current": queries.current_moud(page.patient),
        "naloxone": naloxone[0] if naloxone else None,
    })
