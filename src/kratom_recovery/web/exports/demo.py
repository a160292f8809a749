"""The demo's supervised-detox patient leaves the unit (web/demo.py): MOUD with an accepted
referral, naloxone dispensed, the clinician's level-of-care decision, a follow-up appointment
and the discharge summary of the stay the bedside demo recorded. Names and dates are made up
for the demo and are not clinical guidance."""

from __future__ import annotations

from datetime import datetime, timedelta

from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.exports.actions import write_discharge_summary
from kratom_recovery.web.exports.models import DischargeSummary
from kratom_recovery.web.followup.actions import add_appointment
from kratom_recovery.web.followup.moud import actions as moud
from kratom_recovery.web.patients.models import Patient
from kratom_recovery.web.safety.actions import record_level_decision

DEMO_SERVICE = "Harbor Opioid Treatment Program (synthetic)"


def seed_demo_discharge(patient: Patient, clinician: User, now: datetime) -> DischargeSummary:
    today = patient.today(now)
    record_level_decision(patient, clinician, "2.1", "Withdrawal settled on the unit; steps "
                          "down to intensive outpatient with MOUD.", now=now - timedelta(hours=2))
    moud.record_moud(patient, clinician, {
        "medication": "buprenorphine", "status": "referred", "on": today,
        "referred_to": DEMO_SERVICE, "referred_on": today, "referral_status": "accepted",
        "note": "First appointment booked before discharge."}, now=now)
    moud.record_naloxone(patient, clinician, {"action": "dispensed", "on": today,
                                              "note": "nasal spray kit"}, now=now)
    add_appointment(patient, clinician, starts_at=now + timedelta(days=2), kind="in-person",
                    note="MOUD check-in and follow-up", now=now)
    return write_discharge_summary(patient, clinician, {
        "admitted_on": patient.today(now - timedelta(hours=22)), "discharged_on": today,
        "destination": "home, with intensive outpatient care",
        "course_note": "Withdrawal eased over the first day with symptom-triggered comfort "
                       "medicine."}, now=now)
