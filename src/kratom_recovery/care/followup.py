"""Structured follow-up after withdrawal: when to check in, what to measure, what was missed.

Everything here is a **program default, not a clinical standard**, and a clinic may change it:
- The days (7, 14, 30, 60, 90 after the anchor) are the example schedule in the project's
  issue. No source gives a follow-up schedule for kratom; the nearest analogue is CDC's advice
  to follow up at least monthly during an opioid taper [ref:cdc-opioids-2022], which these
  days satisfy.
- Withdrawal measures (SOWS [ref:handelsman1987], craving [ref:craving-rating]) are asked
  while withdrawal may still be going on (up to day 14); mood and anxiety (PHQ-9
  [ref:kroenke2001], GAD-7 [ref:spitzer2006]) from day 14, because post-acute mood symptoms
  may last weeks [ref:timeline-blogs] (labelled not evidence-based) and CDC says
  to watch mood during tapering.
- DSM-5 use-disorder criteria are defined over 12 months [ref:dsm5]. Reassessing them at day 90,
  when the person can first report three months of change, is our choice, not a DSM-5 rule.
- The window (how long after the due date it can still be done before it counts as missed) is
  a fifth of the interval, at least 2 and at most 14 days.

The anchor is chosen by the caller: usually the date of the last dose or the end of a taper.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final

from kratom_recovery.care.errors import InvalidInput

FOLLOWUP_DAYS: Final = (7, 14, 30, 60, 90)
MAX_DAY: Final = 730

# instrument id -> (first day, last day or None for open-ended) it is due at a follow-up.
INSTRUMENT_RULES: Final[Mapping[str, tuple[int, int | None]]] = {
    "sows": (1, 14),
    "craving": (1, 14),
    "phq9": (14, None),
    "gad7": (14, None),
    "sud": (90, None),
}
INSTRUMENT_NAMES: Final[Mapping[str, str]] = {
    "sows": "withdrawal symptom check (SOWS)",
    "craving": "craving rating",
    "phq9": "mood questionnaire (PHQ-9)",
    "gad7": "anxiety questionnaire (GAD-7)",
    "sud": "review of kratom use over the past 12 months",
}
STATES: Final = ("done", "due", "missed", "upcoming")
PRODID: Final = "-//kratom-recovery//follow-ups//EN"


@dataclass(frozen=True)
class FollowUp:
    day: int
    due: date
    instruments: tuple[str, ...]
    window_days: int

    @property
    def anchor(self) -> date:
        return self.due - timedelta(days=self.day)

    @property
    def last_day(self) -> date:
        """The last date it can be done before it counts as missed."""
        return self.due + timedelta(days=self.window_days)


@dataclass(frozen=True)
class FollowUpStatus:
    followup: FollowUp
    state: str
    completed_on: date | None = None


def window_for(day: int) -> int:
    """Days of grace after the due date: a fifth of the interval, between 2 and 14."""
    return min(14, max(2, round(day / 5)))


def instruments_for(day: int) -> tuple[str, ...]:
    return tuple(
        instrument for instrument, (first, last) in INSTRUMENT_RULES.items()
        if first <= day and (last is None or day <= last)
    )


def schedule(anchor: date, days: Sequence[int] = FOLLOWUP_DAYS) -> list[FollowUp]:
    """The follow-ups after `anchor`, in day order, each with its instruments and window."""
    if isinstance(anchor, datetime) or not isinstance(anchor, date):
        raise InvalidInput("anchor", "must be a date")
    if isinstance(days, str) or not days:
        raise InvalidInput("days", "must be a non-empty list of whole days")
    for day in days:
        if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= MAX_DAY:
            raise InvalidInput("days", f"each day must be a whole number from 1 to {MAX_DAY}")
    if len(set(days)) != len(days):
        raise InvalidInput("days", "each day may appear only once")
    return [
        FollowUp(day, anchor + timedelta(days=day), instruments_for(day), window_for(day))
        for day in sorted(days)
    ]


def status(
    followups: Sequence[FollowUp], completed: Mapping[int, date], today: date
) -> list[FollowUpStatus]:
    """Each follow-up as done, due (from its due date to the end of its window), missed, or
    upcoming. A completed follow-up is done whenever it was completed, even early or late."""
    days = {f.day for f in followups}
    for day in completed:
        if day not in days:
            raise InvalidInput("completed", f"day {day} is not in the schedule")
    result = []
    for followup in followups:
        if followup.day in completed:
            result.append(FollowUpStatus(followup, "done", completed[followup.day]))
        elif today < followup.due:
            result.append(FollowUpStatus(followup, "upcoming"))
        elif today <= followup.last_day:
            result.append(FollowUpStatus(followup, "due"))
        else:
            result.append(FollowUpStatus(followup, "missed"))
    return result


def to_ics(followups: Sequence[FollowUp], name: str, *, stamp: datetime | None = None) -> bytes:
    """An iCalendar file with one all-day event per follow-up.

    UIDs come from the calendar name, the anchor and the day, so re-exporting the same
    schedule updates events in a calendar app instead of duplicating them. DTSTAMP defaults to
    midnight UTC on the anchor date so the output is reproducible; pass `stamp` to override.
    """
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("name", "is required")
    if stamp is not None and stamp.tzinfo is None:
        raise InvalidInput("stamp", "must include a UTC offset")
    import icalendar  # imported here: it takes ~0.2 s, and only the export needs it

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name.strip())
    for followup in followups:
        event = icalendar.Event()
        event.add("uid", _uid(name.strip(), followup))
        event.add("dtstamp", stamp or datetime.combine(followup.anchor, time(0), tzinfo=UTC))
        event.add("dtstart", followup.due)
        event.add("dtend", followup.due + timedelta(days=1))
        event.add("summary", f"Follow-up check-in (day {followup.day})")
        event.add("description", _description(followup))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def _uid(name: str, followup: FollowUp) -> str:
    digest = hashlib.sha256(f"{name}|{followup.anchor.isoformat()}".encode()).hexdigest()[:16]
    return f"followup-{digest}-day{followup.day}@kratom-recovery"


def _description(followup: FollowUp) -> str:
    things = ", ".join(INSTRUMENT_NAMES[i] for i in followup.instruments)
    return (
        f"Follow-up day {followup.day}. To do: {things}. "
        f"You can still do it until {followup.last_day.isoformat()}."
    )
