"""Rules a scale may add to its items and bands: a flag that an answer raises (PHQ-9 item 9)
and a named scoring option that leaves items out (SUD under medical supervision).

Apart from base.py so that scoring a scale without them does not define their types at
start-up (`kratom-recovery score sows`); the scoring engine reads them as plain values.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ItemFlag:
    """A flag raised when an item's answer is at least `at_least` (e.g. PHQ-9 item 9)."""

    id: str
    label: str
    at_least: int = 1


@dataclass(frozen=True)
class ScoringOption:
    """A documented, named scoring rule that leaves some items out of the total."""

    name: str
    description: str
    excludes: tuple[str, ...]
    clinician_only: bool = False  # a clinical judgement: the API refuses it from a patient
