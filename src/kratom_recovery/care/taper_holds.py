"""Adaptive taper holds: check-ins, the rule, the holds it makes, and the decision for a step.

`taper.adapt_plan` uses this module; a fixed plan (`taper.plan_taper`, the command line
without check-ins) never loads it. A step due on or before today goes ahead only if the
check-ins in the window before it stayed under both thresholds; after a hold, or after a severe
SOWS, the next step goes down only when a check-in falls in that window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see care/taper.py)
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Final

# SOWS 21 or more is "severe" in the CTN-0051 convention [ref:ctn0094-data] [V]: after such a
# score the next step down waits for a check-in.
SEVERE_SOWS: Final = 21


@dataclass(frozen=True)
class HoldRule:
    """When an adaptive plan holds a step instead of going ahead.

    sows_at: 11 is the lower edge of the "moderate" SOWS band in the NIDA CTN-0051 convention
    [ref:ctn0094-data] [V]; SOWS has no official bands. craving_at: 7 of 10 is OUR ASSUMPTION
    (no source gives a craving cut-off, [ref:assumption:craving-hold]); adjust it per person.
    window_days: the days looked at before each step (our choice). hold_days: None means one
    step length.
    """

    sows_at: int = 11
    craving_at: int = 7
    window_days: int = 3
    hold_days: int | None = None


DEFAULT_HOLD_RULE: Final = HoldRule()


@dataclass(frozen=True)
class CheckinSummary:
    """One check-in as the planner needs it; either score may be missing."""

    time: datetime
    sows_total: int | None
    craving: int | None


@dataclass(frozen=True)
class Hold:
    """A step that did not go ahead on its planned date.

    `step` is the 0-based index of the step that was extended; `start` is the date the next
    step would have begun.
    """

    step: int
    start: date
    days: int
    reason: str


def hold_step(
    rule: HoldRule,
    by_day: Mapping[date, Sequence[CheckinSummary]],
    *,
    index: int,
    day: date,
    length: int,
    today: date,
    step_days: int,
    waiting: bool,
) -> tuple[int, list[Hold], bool]:
    """Step `index`, planned from `day` for `length` days, held while the check-ins (by day)
    call for it: its real length, its holds, and whether the next step waits for a check-in.

    Steps due after `today` are assumed to go ahead (re-planned after new check-ins).
    """
    hold_days = rule.hold_days or step_days
    window = timedelta(days=rule.window_days)
    holds: list[Hold] = []
    while True:
        boundary = day + timedelta(days=length)
        if boundary > today:
            break  # the future: assume the step goes ahead, re-plan after new check-ins
        seen = [c for d, cs in by_day.items() if boundary - window <= d < boundary for c in cs]
        severe = [c for d, cs in by_day.items() if day <= d < boundary for c in cs
                  if c.sows_total is not None and c.sows_total >= SEVERE_SOWS]
        reason = _hold_reason(rule, seen)
        if reason is None and (waiting or severe) and not seen:
            reason = _no_checkin_reason(rule, severe=bool(severe))
        if reason is None:
            waiting = False
            break
        holds.append(Hold(step=index, start=boundary, days=hold_days, reason=reason))
        waiting = True
        length += hold_days
    return length, holds, waiting


def _hold_reason(rule: HoldRule, window: Sequence[CheckinSummary]) -> str | None:
    sows = [c.sows_total for c in window if c.sows_total is not None]
    craving = [c.craving for c in window if c.craving is not None]
    reasons = []
    if sows and max(sows) >= rule.sows_at:
        reasons.append(
            f"withdrawal symptoms reached a SOWS total of {max(sows)} (hold at {rule.sows_at} "
            "or more, the start of the moderate range)"
        )
    if craving and max(craving) >= rule.craving_at:
        reasons.append(
            f"craving reached {max(craving)} of 10 (hold at {rule.craving_at} or more, "
            "our own threshold)"
        )
    if not reasons:
        return None
    days = f"{rule.window_days} day{'s' if rule.window_days != 1 else ''}"
    return f"Held because in the {days} before this step " + " and ".join(reasons) + "."


def _no_checkin_reason(rule: HoldRule, *, severe: bool) -> str:
    days = f"{rule.window_days} day{'s' if rule.window_days != 1 else ''}"
    after = (f"a severe withdrawal score (SOWS {SEVERE_SOWS} or more)" if severe
             else "a hold")
    return (f"Held because there was no check-in in the {days} before this step: after "
            f"{after}, the next step down waits for a check-in.")
