"""Month grids for the printable calendar: each day with the amount planned for it."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from kratom_recovery.web.tapers.plans import Shown

MAX_CALENDAR_DAYS = 3700  # the planner's longest plan (10 years) plus a margin


@dataclass
class Cell:
    day: date | None  # None pads the first and last week
    amount: str = ""
    step_start: bool = False
    today: bool = False


@dataclass
class Month:
    first: date
    weeks: list[list[Cell]]


def months(shown: Shown) -> list[Month]:
    """From the version's first day (or the plan start) through the first day at zero."""
    version = shown.current
    first = min(version.effective, version.plan.start)
    last = version.plan.end_date
    starts = {s.start for s in version.plan.steps}
    cells: dict[date, Cell] = {}
    day = first
    while day <= last and (day - first).days <= MAX_CALENDAR_DAYS:
        amount = version.planned_on(day)
        cells[day] = Cell(day, "" if amount is None else shown.fmt(amount), day in starts,
                          day == shown.today)
        day += timedelta(days=1)
    out = []
    month = first.replace(day=1)
    weeks_of = calendar.Calendar(firstweekday=0)
    while month <= last:
        weeks = [
            [cells.get(d, Cell(d)) if d.month == month.month else Cell(None) for d in week]
            for week in weeks_of.monthdatescalendar(month.year, month.month)
        ]
        out.append(Month(month, weeks))
        month = (month + timedelta(days=32)).replace(day=1)
    return out
