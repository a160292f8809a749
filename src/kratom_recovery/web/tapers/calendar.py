"""Month grids for the printable calendar: each day with the amount planned for it."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from kratom_recovery.web.tapers.plans import Shown, version_on

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
    """From the plan's first day through the first day at zero; each day shows the amount of
    the version in force on it, so earlier days keep what was planned for them then."""
    version = shown.current
    first = min(shown.versions[0].effective, version.plan.start)
    last = version.plan.end_date
    starts = {v.record.pk: {s.start for s in v.plan.steps} for v in shown.versions}
    cells: dict[date, Cell] = {}
    day = first
    while day <= last and (day - first).days <= MAX_CALENDAR_DAYS:
        in_force = version_on(shown.versions, day)
        amount = None if in_force is None else in_force.planned_on(day)
        step_start = in_force is not None and day in starts[in_force.record.pk]
        cells[day] = Cell(day, "" if amount is None else shown.fmt(amount), step_start,
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
