"""Caseload triage: which patient a clinician should look at first, and why, in one line.

Tiers (our ordering):
  1. an open emergency or urgent alert;
  2. "off course": the timeline's `worse-than-expected` or `prolonged-acute`, or a SOWS rise
     of SOWS_RISE points or more between consecutive check-ins, and in every case a latest
     SOWS of at least OFF_COURSE_MIN_SOWS (someone at SOWS 2 on day 30 is not off course);
  3. missed check-ins during withdrawal, an unlogged taper (after its grace period), or an
     open warning alert (missed follow-up, interactions, …);
  4. everyone else.
Within a tier, the most severe alert first, then the longest without a check-in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from kratom_recovery.care.errors import InvalidInput

# The safety rule "missed-checkins" and the caseload share one threshold (an assumption).
from kratom_recovery.care.safety import MISSED_CHECKIN_DAYS

SEVERITY_RANK: Final = {"info": 0, "warning": 1, "urgent": 2, "emergency": 3}

# ASSUMPTION (adjustable) [ref:assumption:sows-rise]: "a SOWS rise of 6 points or more" is
# asked for with a kratom trial in mind, but no published study gives it, so the number is
# a labelled program setting, not a published threshold. Its only origin is
# [ref:nct05883358]: the registry listing of NCT05883358 (an observational
# clonidine/buprenorphine study, results unpublished) says a 6-point change in SOWS or COWS
# "is considered significant", with no derivation and no stated interval (we apply it between
# consecutive check-ins). It is not a validated minimal important difference.
SOWS_RISE: Final = 6
# "Off course" needs at least moderate withdrawal: SOWS 11 is where the moderate band starts in
# the CTN-0051 convention [ref:ctn0094-data] [V].
OFF_COURSE_MIN_SOWS: Final = 11
# ASSUMPTION [ref:assumption:taper-no-dose-days]: a taper with no dose logged for two days is
# followed up like a missed check-in.
UNLOGGED_TAPER_DAYS: Final = 2
# ASSUMPTION [ref:assumption:taper-grace-days]: a new taper is not flagged for unlogged doses
# until it has run this many days (a program may choose another value, 2 to 14: fewer than 2
# days cannot have "2+ days" unlogged).
TAPER_GRACE_DAYS: Final = 3
TAPER_GRACE_RANGE: Final = (UNLOGGED_TAPER_DAYS, 14)
# Trend arrows use the weekly summary's SOWS threshold (care/progress.py TREND_THRESHOLDS).
TREND_STEP: Final = 3
ACUTE_PHASES: Final = frozenset({"onset", "peak", "subsiding"})
TIMELINE_FLAGS: Final = ("worse-than-expected", "prolonged-acute")


@dataclass(frozen=True)
class OpenAlert:
    rule: str
    severity: str
    why: str


@dataclass(frozen=True)
class CaseloadRow:
    """What the caseload knows about one patient (built from one database query)."""

    phase: str | None = None
    timeline_flags: frozenset[str] = frozenset()
    sows: int | None = None
    previous_sows: int | None = None
    alerts: Sequence[OpenAlert] = ()
    days_since_checkin: int | None = None
    on_taper: bool = False
    days_since_taper_dose: int | None = None
    taper_days: int | None = None  # days the taper has run (None: unknown, counts as long)


@dataclass(frozen=True)
class Priority:
    tier: int
    reasons: tuple[str, ...] = field(default=())
    severity: int = -1  # most severe open alert, for ordering within a tier

    @property
    def why(self) -> str:
        return "; ".join(self.reasons)


def sows_change(row: CaseloadRow) -> int | None:
    if row.sows is None or row.previous_sows is None:
        return None
    return row.sows - row.previous_sows


def trend(row: CaseloadRow) -> str:
    """'up', 'down' or 'flat' between the last two SOWS totals; '' without two of them."""
    change = sows_change(row)
    if change is None:
        return ""
    if change >= TREND_STEP:
        return "up"
    if change <= -TREND_STEP:
        return "down"
    return "flat"


def prioritize(row: CaseloadRow, *, taper_grace_days: int = TAPER_GRACE_DAYS) -> Priority:
    if not TAPER_GRACE_RANGE[0] <= taper_grace_days <= TAPER_GRACE_RANGE[1]:
        raise InvalidInput("taper_grace_days", f"must be {TAPER_GRACE_RANGE[0]} to "
                           f"{TAPER_GRACE_RANGE[1]} days (got {taper_grace_days!r})")
    severity = max((SEVERITY_RANK.get(a.severity, 0) for a in row.alerts), default=-1)
    crisis = [a.why for a in row.alerts if SEVERITY_RANK.get(a.severity, 0) >= 2]
    if crisis:
        return Priority(1, tuple(crisis), severity)
    tier2 = [TIMELINE_REASONS[f] for f in TIMELINE_FLAGS if f in row.timeline_flags]
    change = sows_change(row)
    if change is not None and change >= SOWS_RISE:
        tier2.append(f"SOWS up {change} points since the previous check-in")
    if tier2 and row.sows is not None and row.sows >= OFF_COURSE_MIN_SOWS:
        return Priority(2, tuple(tier2), severity)
    tier3 = []
    in_acute = row.phase in ACUTE_PHASES
    if in_acute and (row.days_since_checkin or 0) >= MISSED_CHECKIN_DAYS:
        tier3.append(f"no check-in for {row.days_since_checkin} days during withdrawal")
    settled = row.taper_days is None or row.taper_days >= taper_grace_days
    if row.on_taper and settled and (row.days_since_taper_dose is None
                                     or row.days_since_taper_dose >= UNLOGGED_TAPER_DAYS):
        tier3.append(f"taper doses not logged for {UNLOGGED_TAPER_DAYS}+ days")
    tier3 += [a.why for a in row.alerts if a.severity == "warning"]
    if tier3:
        return Priority(3, tuple(dict.fromkeys(tier3)), severity)
    return Priority(4, (), severity)


TIMELINE_REASONS: Final = {
    "worse-than-expected": "withdrawal worse than forecast",
    "prolonged-acute": "acute symptoms lasting past the expected end",
}


def sort_key(priority: Priority, days_since_checkin: int | None,
             name: str) -> tuple[int, int, int, str]:
    """Tier, then most severe alert, then longest without a check-in, then name."""
    waiting = days_since_checkin if days_since_checkin is not None else 10_000
    return (priority.tier, -priority.severity, -waiting, name.lower())
