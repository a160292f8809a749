"""A supervised-withdrawal stay built through the real actions: 10 daily check-ins, 20 sets of
vitals with serial COWS, 5 comfort-medication orders with doses, level-of-care decisions,
MOUD with a referral, naloxone, an appointment, a relapse plan and the discharge summary.
Every number is made up for tests and is not clinical guidance."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from kratom_recovery.care.instruments import get_instrument

MEDICINES = ("clonidine", "hydroxyzine", "loperamide", "ondansetron", "ibuprofen")
# The highest COWS of the stay: every item at its lowest non-zero answer.
PEAK_COWS = sum(item.allowed_values[1] for item in get_instrument("cows").items)


def make_stay(patient: Any, clinician: Any, now: datetime) -> Any:
    from kratom_recovery.web.bedside import actions as bedside
    from kratom_recovery.web.exports.actions import write_discharge_summary
    from kratom_recovery.web.followup.actions import add_appointment
    from kratom_recovery.web.followup.moud import actions as moud
    from kratom_recovery.web.patients.actions import record_checkin
    from kratom_recovery.web.recovery.actions import save_relapse_plan
    from kratom_recovery.web.safety.actions import record_level_decision

    today = patient.today(now)
    for day in range(10):  # check-ins on the stay's ten days, worst on the second
        # Noon of each of the patient's own days (now, if today's noon has not come): at a
        # fixed time of day, a check-in near local midnight fell on the day before the stay.
        noon = datetime.combine(today - timedelta(days=9 - day), time(12), tzinfo=patient.zone)
        when = min(noon, now)
        level = max(0, 3 - abs(day - 1))
        record_checkin(patient, patient.user, {"sows": [level] * 16, "craving": [5]},
                       sleep_hours=6, mood=3, note="", self_harm_thoughts=False, now=when)
    cows_items = get_instrument("cows").items
    for index in range(20):  # vitals every 7 hours over the last 6 days, with a COWS
        when = now - timedelta(hours=7 * (20 - index), minutes=30)
        bedside.record_vitals(patient, clinician, {
            "pulse": 112 - index * 2, "systolic": 140 - index, "diastolic": 90 - index // 2,
            "temperature_c": "37.4", "respiratory_rate": 16 + index % 3, "spo2": 97,
            "weight_kg": "71.5"}, taken_at=when, now=now)
        answers = {item.id: item.allowed_values[1] if index < 6 or i < 2 else 0
                   for i, item in enumerate(cows_items)}
        bedside.record_assessment(patient, clinician, "cows", answers, assessed_at=when,
                                  now=now)
    for number, name in enumerate(MEDICINES):
        order = bedside.create_order(patient, clinician, {
            "medicine": name, "dose": "1", "unit": "tablet", "route": "oral",
            "kind": "scheduled", "times": "08:00 20:00", "max_per_24h": "4",
            "window_minutes": "60"}, [], now=now - timedelta(days=6, hours=number))
        for dose in range(3):
            bedside.record_dose(order, clinician, outcome="given" if dose < 2 else "held",
                                reason="" if dose < 2 else "asleep",
                                at=now - timedelta(days=5 - dose, hours=number), now=now)
    record_level_decision(patient, clinician, "3.7", "Withdrawal needs 24-hour nursing.",
                          now=now - timedelta(days=9))
    record_level_decision(patient, clinician, "2.1", "Settled; step down to intensive "
                          "outpatient.", now=now - timedelta(hours=3))
    moud.record_moud(patient, clinician, {
        "medication": "buprenorphine", "status": "referred", "on": today,
        "referred_to": "Harbor Opioid Treatment Program", "referred_on": today,
        "referral_status": "accepted"}, now=now)
    moud.record_naloxone(patient, clinician, {"action": "dispensed", "on": today,
                                              "note": "nasal spray, two doses"}, now=now)
    add_appointment(patient, clinician, starts_at=now + timedelta(days=3), kind="in-person",
                    now=now)
    save_relapse_plan(patient, patient.user, triggers=["payday", "old friends"],
                      warning_signs=["skipping meals"], coping_actions=["call my sister"],
                      people=[{"name": "Sis", "phone": "555-0100"}],
                      naloxone="kitchen drawer", now=now)
    return write_discharge_summary(patient, clinician, {
        "admitted_on": today - timedelta(days=9), "discharged_on": today,
        "destination": "home, with intensive outpatient follow-up",
        "course_note": "Withdrawal peaked on day 2 and settled with comfort medicines."},
        now=now)
