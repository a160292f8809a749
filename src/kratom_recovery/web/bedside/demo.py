"""Synthetic bedside records for the demo (web/demo.py): a day of vitals with serial COWS
every four hours, the clinician's interval, a urine drug screen, and a comfort-medication
order with doses given, held and refused. Numbers (the order's dose, maximum, hold values and
COWS condition included) are made up for the demo and are not clinical guidance."""

from __future__ import annotations

from datetime import datetime, timedelta

from kratom_recovery.care.instruments import get_instrument
from kratom_recovery.care.vitals import cows_pulse_score
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.bedside import actions
from kratom_recovery.web.patients.models import Patient

# (hours ago, pulse, systolic, diastolic, temperature, COWS items 2-11) — settling over a day.
READINGS = (
    (20, 112, 142, 90, "37.4", [2, 3, 2, 2, 2, 3, 2, 2, 2, 3]),
    (16, 104, 136, 88, "37.3", [2, 1, 2, 2, 1, 2, 2, 1, 2, 3]),
    (12, 98, 132, 86, "37.2", [1, 1, 1, 2, 1, 2, 1, 1, 1, 0]),
    (8, 92, 128, 84, "37.0", [1, 1, 1, 1, 1, 1, 1, 1, 1, 0]),
    (4, 86, 124, 80, "36.9", [1, 0, 1, 1, 0, 1, 1, 0, 1, 0]),
)


def seed_demo_bedside(patient: Patient, clinician: User, now: datetime) -> None:
    actions.set_orders(patient, clinician, interval_minutes=240, limits={}, now=now)
    items = get_instrument("cows").items
    for hours, pulse, systolic, diastolic, temperature, rest in READINGS:
        when = now - timedelta(hours=hours)
        actions.record_vitals(patient, clinician, {
            "pulse": pulse, "systolic": systolic, "diastolic": diastolic,
            "temperature_c": temperature,
            "respiratory_rate": 16, "spo2": 98}, taken_at=when, now=now)
        answers = {item.id: value for item, value in zip(items, [cows_pulse_score(pulse), *rest],
                                                          strict=True)}
        actions.record_assessment(patient, clinician, "cows", answers, assessed_at=when, now=now)
    actions.record_labs(patient, clinician, {
        "opiates": "negative", "fentanyl": "negative", "benzodiazepines": "negative",
        "mitragynine": "positive", "7-oh-mitragynine": "negative", "alt": "34",
    }, collected_at=now - timedelta(hours=18), now=now)

    seed_demo_mar(patient, clinician, now)


# The demo order as a clinician might type it; every value is invented for the demo.
DEMO_ORDER = {
    "medicine": "clonidine", "dose": "0.1", "unit": "mg", "route": "oral", "kind": "prn",
    "indication": "restlessness, sweating", "cows_at_least": "8", "max_per_24h": "0.3",
    "interval_minutes": "240", "window_minutes": "30",
}
DEMO_HOLD = ({"vital": "systolic", "comparator": "<", "value": "90"},
             {"vital": "pulse", "comparator": "<", "value": "55"})


def seed_demo_mar(patient: Patient, clinician: User, now: datetime) -> None:
    order = actions.create_order(patient, clinician, DEMO_ORDER, DEMO_HOLD,
                                 now=now - timedelta(hours=22))
    for hours, outcome, reason in ((20, "given", ""), (16, "given", ""),
                                   (12, "held", "asleep, settled"),
                                   (4, "refused", "feels better")):
        actions.record_dose(order, clinician, outcome=outcome, reason=reason,
                            at=now - timedelta(hours=hours), now=now)
