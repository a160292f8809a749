"""Buprenorphine induction after kratom: what the checklist shows beside the clinician's
entries. No dose, no dose range and no interval is here: the COWS line for the first dose is
the program's own setting (no default; common opioid protocols use about 8–12
[ref:assumption:cows-induction]), the reassessment interval and any low-dose schedule are the
clinician's entries, and every dose is a MAR order the clinician writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Final

from kratom_recovery.care.errors import InvalidInput

PRODUCTS: Final[Mapping[str, str]] = {
    "leaf": "Leaf or powder", "extract": "Extract or concentrate", "7-oh": "7-OH product"}
# Half-lives after one 2 g dose of kratom tea [ref:tanna2022]: mitragynine median 45.3 h,
# 7-OH 5.67 h. Shown beside the hours since last use; not a waiting time.
HALF_LIFE_NOTES: Final[Mapping[str, str]] = {
    "leaf": "Mitragynine's half-life was a median 45.3 h after one dose of kratom tea "
            "[ref:tanna2022]: withdrawal may build slowly over days.",
    "extract": "Extracts carry mitragynine (median half-life 45.3 h after one dose of tea "
               "[ref:tanna2022]) in larger amounts.",
    "7-oh": "7-OH's half-life was about 5.7 h [ref:tanna2022]: short, and potent at the "
            "opioid receptor.",
}
CAUTION_7OH: Final = (
    "7-OH products: a short half-life and opioid-like dependence; starting buprenorphine "
    "precipitated withdrawal in a reported case [ref:sharma2025]. Confirm the time of the last "
    "7-OH use and that withdrawal is established before the first dose.")
PRECIPITATED_WARNING: Final = (
    "Buprenorphine given before withdrawal is established can precipitate withdrawal: a sudden "
    "worsening within hours of the dose. Check the COWS against the program's line, reassess "
    "after each dose, and record each dose on the MAR.")
# The program's line is a COWS total, so the scale's range is the only bound
# [ref:assumption:bedside-input-bounds].
THRESHOLD_LOW: Final = 1
THRESHOLD_HIGH: Final = 48
LAST_USE_MAX_AGE: Final = timedelta(days=60)
SCHEDULE_MAX: Final = 2000


def check_threshold(raw: object) -> int:
    text = str(raw if raw is not None else "").strip()
    if not text.isdigit() or not THRESHOLD_LOW <= int(text) <= THRESHOLD_HIGH:
        raise InvalidInput("cows_threshold", f"enter a COWS total from {THRESHOLD_LOW} to "
                           f"{THRESHOLD_HIGH} (got {raw!r})")
    return int(text)


def check_last_use(field: str, when: datetime | None, now: datetime) -> datetime | None:
    if when is None:
        return None
    if when > now + timedelta(minutes=5):
        raise InvalidInput(field, "is in the future")
    if when < now - LAST_USE_MAX_AGE:
        raise InvalidInput(field, "is more than 60 days ago; leave it blank")
    return when


def check_schedule(raw: object) -> str:
    text = str(raw or "").strip()
    if len(text) > SCHEDULE_MAX:
        raise InvalidInput("schedule", f"use at most {SCHEDULE_MAX} characters")
    return text


def hours_since(when: datetime, now: datetime) -> float:
    return round((now - when).total_seconds() / 3600, 1)
