"""Which tapers need a clinician's sign-off before they start."""

from __future__ import annotations

import dataclasses

import pytest

from kratom_recovery.care.profile import UseProfile
from kratom_recovery.care.signoff import taper_needs_signoff

BASE = UseProfile(product="leaf", amount_per_day=4.0, unit="g", doses_per_day=2,
                  years_of_use=1.0)


@pytest.mark.parametrize(
    ("changes", "reasons"),
    [
        ({}, []),
        ({"age": 18}, []),
        ({"age": 17}, ["under-18"]),
        ({"conditions": frozenset({"pregnancy"})}, ["pregnancy"]),
        ({"conditions": frozenset({"pregnancy"}), "age": 16}, ["pregnancy", "under-18"]),
        ({"conditions": frozenset({"liver-disease"})}, []),
    ],
)
def test_taper_needs_signoff(changes: dict[str, object], reasons: list[str]) -> None:
    found = taper_needs_signoff(dataclasses.replace(BASE, **changes))  # type: ignore[arg-type]
    assert [r.id for r in found] == reasons
    assert all(r.text and "[ref:" in r.source for r in found)


@pytest.mark.parametrize(
    ("profile", "product", "reasons"),
    [
        (BASE, "7-oh", ["7-oh"]),
        (BASE, "extract", []),   # near miss: supervised, but no sign-off gate
        (BASE, None, []),
        (None, "7-oh", ["7-oh"]),  # no profile yet: the plan alone decides
        (None, "leaf", []),
        (dataclasses.replace(BASE, age=15), "7-oh", ["under-18", "7-oh"]),
    ],
)
def test_seven_oh_plans_need_signoff(profile: UseProfile | None, product: str | None,
                                     reasons: list[str]) -> None:
    found = taper_needs_signoff(profile, plan_product=product)
    assert [r.id for r in found] == reasons
    assert all(r.text and "[ref:" in r.source for r in found)
