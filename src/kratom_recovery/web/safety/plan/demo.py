"""Synthetic risk assessments and safety plans for the demo (web/demo.py): made-up people,
numbers in the 555-01xx range reserved for fiction, and wording that is illustration, not
clinical guidance."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.patients.models import Patient
from kratom_recovery.web.safety.plan import actions

PLAN: dict[str, Any] = {
    "warning_signs": ["Lying awake after 2 a.m. going over the same thoughts",
                      "Cancelling on friends two days running",
                      "Thinking “everyone would be better off”"],
    "coping": ["A 20-minute walk with headphones", "A cold shower, then tea",
               "The breathing exercise in the app"],
    "distractions": ["The climbing gym on Oak Street", "Sunday dinner at my brother’s"],
    "helpers": [{"name": "Robin (sister)", "phone": "(555) 010-2233"},
                {"name": "Dev (friend from work)", "phone": "555-010-4411"}],
    "professionals": [{"name": "Community clinic front desk", "phone": "555-010-7000"}],
    "environment": ["Robin keeps my spare medicines at her place",
                    "No kratom or alcohol in the flat"],
    "reasons": ["My niece’s birthday in March", "Finishing the bike I am rebuilding"],
}


def seed_demo_safety_plan(patient: Patient, clinician: User, now: datetime,
                          high: bool) -> None:
    """A rating (high for one demo patient, moderate otherwise) and a plan the patient wrote
    and the clinician then added to, so the history shows both."""
    actions.record_risk_assessment(
        patient, clinician, rating="high" if high else "moderate",
        reasons=("Thoughts of death most days this week, no plan, stopped seeing friends; "
                 "engaged and agreed a safety plan." if high else
                 "Passive thoughts during the worst withdrawal days, none now; good support "
                 "from family."),
        risk_factors=["Recent job loss", "Lives alone"],
        protective_factors=["Close to sister", "Engaged in care"],
        assessed_at=now - timedelta(days=2), now=now - timedelta(days=2))
    first = {**PLAN, "professionals": [], "reasons": []}
    actions.save_safety_plan(patient, patient.user, first, base_version=0,
                             now=now - timedelta(days=2, hours=-1))
    actions.save_safety_plan(patient, clinician, PLAN, base_version=1,
                             now=now - timedelta(days=2, hours=-2))
