"""Adherence: what a person took, day by day, against their taper plan.

Only the web app's taper page uses it, so it lives apart from care/taper.py and the command
line's plan does not define its types at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.profile import check_number
from kratom_recovery.care.taper import amount_on, exact

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see care/taper.py)
if TYPE_CHECKING:
    from collections.abc import Sequence

    from kratom_recovery.care.taper import TaperPlan


@dataclass(frozen=True)
class AdherenceDay:
    """One recorded day: the planned amount, what was taken, and how much over the plan."""

    date: date
    planned: float
    taken: float
    over_by: float  # taken − planned when positive, else 0


@dataclass(frozen=True)
class AdherenceReport:
    """Every recorded day, with the counts and the total taken over the plan."""

    days: tuple[AdherenceDay, ...]
    days_recorded: int
    days_within_plan: int
    days_over: int
    total_over: float


def adherence(plan: TaperPlan, taken: Sequence[tuple[date, float]]) -> AdherenceReport:
    """Compare what was taken with the plan, per recorded day (entries on one day add up).

    Days without a record are left out: no record is not the same as nothing taken.
    """
    totals: dict[date, Fraction] = {}
    for when, amount in taken:
        value = check_number("taken", amount, low=0, high=float("inf"))
        if when < plan.start:
            raise InvalidInput("taken", f"{when.isoformat()} is before the plan starts")
        totals[when] = totals.get(when, Fraction(0)) + exact(value)
    days = []
    for when in sorted(totals):
        planned = exact(amount_on(plan, when))
        over = max(Fraction(0), totals[when] - planned)
        days.append(AdherenceDay(when, float(planned), float(totals[when]), float(over)))
    over_days = [d for d in days if d.over_by > 0]
    return AdherenceReport(
        days=tuple(days),
        days_recorded=len(days),
        days_within_plan=len(days) - len(over_days),
        days_over=len(over_days),
        total_over=float(sum((exact(d.over_by) for d in over_days), Fraction(0))),
    )
