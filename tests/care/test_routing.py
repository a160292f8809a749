"""First actions: one routing table from flag family to what a person sees first."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from kratom_recovery.care.profile import UseProfile
from kratom_recovery.care.routing import FAMILIES, ROUTES, first_actions
from kratom_recovery.care.safety import SAFETY_RULES, SafetyInput, ScoreSummary, evaluate

BASE = UseProfile(product="leaf", amount_per_day=4.0, unit="g", doses_per_day=2,
                  years_of_use=1.0)


def actions_for(**changes: Any) -> list[str]:
    fields = {f.name for f in dataclasses.fields(UseProfile)}
    profile = dataclasses.replace(BASE, **{k: v for k, v in changes.items() if k in fields})
    rest = {k: v for k, v in changes.items() if k not in fields}
    return [a.id for a in first_actions(evaluate(SafetyInput(profile, **rest)))]


PHQ9_ITEM9 = {"phq9": ScoreSummary("phq9", 3, "minimal", frozenset({"suicidal-thoughts"}))}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, []),
        ({"danger_symptoms": frozenset({"dark-urine"})}, ["care-team", "same-day-review"]),
        ({"scores": PHQ9_ITEM9}, ["988", "care-team"]),
        ({"suicide_followup": {"plan": True}}, ["988", "call-911", "care-team"]),
        ({"danger_symptoms": frozenset({"chest-pain"})}, ["call-911"]),
        ({"product": "7-oh", "unit": "mg", "amount_per_day": 50.0,
          "danger_symptoms": frozenset({"trouble-breathing"})}, ["call-911", "poison-help"]),
        ({"scores": {"sows": ScoreSummary("sows", 30, "severe")}},
         ["care-team", "988", "samhsa"]),
        ({"resting_pulse": 130}, ["care-team", "same-day-review"]),
        ({"conditions": frozenset({"pregnancy"})}, ["care-team", "same-day-review"]),
        # An emergency comes before a suicide flag of lower severity, each action once.
        ({"scores": PHQ9_ITEM9, "danger_symptoms": frozenset({"seizure"})},
         ["call-911", "988", "care-team"]),
    ],
)
def test_first_actions(changes: dict[str, Any], expected: list[str]) -> None:
    assert actions_for(**changes) == expected


def test_dark_urine_never_puts_a_suicide_line_first() -> None:
    assert actions_for(danger_symptoms=frozenset({"dark-urine"}))[0] != "988"


def test_every_action_has_a_line_saying_what_it_does_and_contacts_where_it_can() -> None:
    for family in FAMILIES:
        for action in ROUTES[family]:
            data = action.as_dict()
            assert data["label"] and data["what"]
            assert bool(data["contacts"]) == (action.resource is not None)


def test_every_family_in_the_rules_is_routed_and_every_route_is_used() -> None:
    used = {rule.family for rule in SAFETY_RULES if rule.family}
    assert used == set(ROUTES) == set(FAMILIES)
