"""Medication for opioid use disorder (MOUD), the referral for it, and naloxone.

What is recorded, never suggested: no medicine is proposed, no dose is stored (doses of a
medicine given on the unit are MAR orders the clinician writes). The statuses and referral
states are plain record-keeping words.

Naltrexone is the one rule here. It blocks opioid receptors, so in someone still dependent on
kratom it can precipitate withdrawal, as in a reported case of undisclosed kratom use
[ref:naltrexone-case]. Naltrexone is therefore recorded as started only with the date the
clinician judged withdrawal complete, and that date must come after the last kratom use the
patient logged; before then it may be discussed or referred, and the record carries the
caution. Evidence for naltrexone or methadone maintenance after kratom is not established
(docs/references.md); the choice is the clinician's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.references import readable
from kratom_recovery.care.text import check_characters

MEDICATIONS: Final[Mapping[str, str]] = {
    "buprenorphine": "Buprenorphine (with or without naloxone)",
    "methadone": "Methadone",
    "naltrexone": "Naltrexone (only once withdrawal is complete)",
}
STATUSES: Final[Mapping[str, str]] = {
    "discussed": "discussed",
    "referred": "referred",
    "started": "started",
    "continuing": "continuing",
    "stopped": "stopped",
    "declined": "declined by the patient",
}
TAKING: Final = ("started", "continuing")
REFERRAL_STATUSES: Final[Mapping[str, str]] = {
    "": "no referral",
    "sent": "referral sent",
    "accepted": "accepted by the service",
    "attended": "first appointment kept",
    "not-attended": "first appointment missed",
    "declined": "declined",
}
NALOXONE_ACTIONS: Final[Mapping[str, str]] = {
    "offered": "offered",
    "prescribed": "prescribed",
    "dispensed": "dispensed (kit handed over)",
    "declined": "offered and declined",
}
CHECKIN_ANSWERS: Final[Mapping[str, str]] = {
    "taking": "taking it as prescribed",
    "missing": "missing doses",
    "stopped": "stopped",
    "not-started": "not started yet",
}
NALTREXONE_CAUTION: Final = (
    "Naltrexone can precipitate withdrawal in someone still dependent on kratom "
    "[ref:naltrexone-case]: screen for kratom and 7-OH, and record the date withdrawal was "
    "complete, before the first dose.")
# Typing-error bounds for dates, not clinical ones [ref:assumption:bedside-input-bounds].
PAST_LIMIT: Final = timedelta(days=366)
NAME_MAX: Final = 200
NOTE_MAX: Final = 500


@dataclass(frozen=True)
class MoudEntry:
    """A checked MOUD status. `caution` is set when naltrexone is on the record before
    withdrawal is recorded complete."""

    medication: str
    status: str
    on: date
    withdrawal_complete_on: date | None
    referred_to: str
    referred_on: date | None
    referral_status: str
    note: str
    caution: str

    def describe(self) -> str:
        text = f"{MEDICATIONS[self.medication].split(' (')[0]}: {STATUSES[self.status]} " \
               f"({self.on.isoformat()})"
        if self.referral_status:
            text += f"; referral to {self.referred_to} on {_iso(self.referred_on)}, " \
                    f"{REFERRAL_STATUSES[self.referral_status]}"
        return text


@dataclass(frozen=True)
class NaloxoneEntry:
    action: str
    on: date
    note: str

    def describe(self) -> str:
        return f"Naloxone {NALOXONE_ACTIONS[self.action]} ({self.on.isoformat()})"


def _iso(day: date | None) -> str:
    return "" if day is None else day.isoformat()


def check_day(field: str, raw: object, today: date, *, required: bool = True) -> date | None:
    """A date of something that happened: not in the future, not over a year back."""
    if raw in (None, ""):
        if required:
            raise InvalidInput(field, "enter the date")
        return None
    if isinstance(raw, str):
        try:
            raw = date.fromisoformat(raw.strip())
        except ValueError:
            raise InvalidInput(field, f"must be a date YYYY-MM-DD (got {raw!r})") from None
    if not isinstance(raw, date):
        raise InvalidInput(field, "must be a date")
    if raw > today:
        raise InvalidInput(field, "is in the future")
    if raw < today - PAST_LIMIT:
        raise InvalidInput(field, "is more than a year ago")
    return raw


def required_day(field: str, raw: object, today: date) -> date:
    day = check_day(field, raw, today)
    if day is None:  # check_day refuses a blank required date; this narrows the type
        raise InvalidInput(field, "enter the date")
    return day


def check_words(field: str, raw: object, limit: int, *, single_line: bool = False) -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise InvalidInput(field, "must be text")
    text = check_characters(field, raw.strip(), multiline=not single_line)
    if len(text) > limit:
        raise InvalidInput(field, f"use at most {limit} characters")
    return text


def _choice(field: str, raw: object, allowed: Mapping[str, str]) -> str:
    value = "" if raw is None else str(raw).strip()
    if value not in allowed:
        raise InvalidInput(field, "choose one of: " + ", ".join(k for k in allowed if k))
    return value


def check_moud(data: Mapping[str, object], *, today: date,
               last_use_on: date | None) -> MoudEntry:
    """A MOUD status as the clinician entered it. Naltrexone started or continuing is refused
    without a completed withdrawal after the last logged kratom use (the field is named and
    the reason given); discussed or referred before then carries the caution."""
    medication = _choice("medication", data.get("medication"), MEDICATIONS)
    status = _choice("status", data.get("status"), STATUSES)
    on = required_day("on", data.get("on"), today)
    complete = check_day("withdrawal_complete_on", data.get("withdrawal_complete_on"), today,
                         required=False)
    referral_status = _choice("referral_status", data.get("referral_status") or "",
                              REFERRAL_STATUSES)
    referred_to = check_words("referred_to", data.get("referred_to"), NAME_MAX,
                              single_line=True)
    referred_on = check_day("referred_on", data.get("referred_on"), today, required=False)
    if status == "referred" and not referral_status:
        raise InvalidInput("referral_status", "a status of referred needs the referral: to "
                           "whom, when and its state")
    if referral_status and not referred_to:
        raise InvalidInput("referred_to", "name the service or clinician referred to")
    if referral_status and referred_on is None:
        raise InvalidInput("referred_on", "enter the date of the referral")
    if not referral_status and (referred_to or referred_on):
        raise InvalidInput("referral_status", "choose the referral's state, or clear the "
                           "referral fields")
    caution = ""
    if medication == "naltrexone":
        caution = naltrexone_caution(status, complete, last_use_on)
    return MoudEntry(medication, status, on, complete, referred_to, referred_on,
                     referral_status, check_words("note", data.get("note"), NOTE_MAX),
                     caution)


def naltrexone_caution(status: str, complete: date | None, last_use_on: date | None) -> str:
    """Raise for naltrexone taken before withdrawal is complete; else the caution to keep
    with the record ("" once withdrawal is recorded complete after the last use)."""
    if complete is not None and last_use_on is not None and last_use_on >= complete:
        reason = (f"kratom use was logged on {last_use_on.isoformat()}, on or after the date "
                  f"withdrawal was recorded complete ({complete.isoformat()})")
        if status in TAKING:
            raise InvalidInput("withdrawal_complete_on", f"naltrexone is not recorded as "
                               f"taken: {reason}. {readable(NALTREXONE_CAUTION)}")
        return f"Withdrawal is not complete: {reason}. {NALTREXONE_CAUTION}"
    if complete is None:
        if status in TAKING:
            raise InvalidInput("withdrawal_complete_on", "naltrexone is recorded as taken "
                               f"only once withdrawal is complete: enter that date. "
                               f"{readable(NALTREXONE_CAUTION)}")
        return f"Withdrawal is not yet recorded complete. {NALTREXONE_CAUTION}"
    return ""


def check_naloxone(data: Mapping[str, object], *, today: date) -> NaloxoneEntry:
    action = _choice("action", data.get("action"), NALOXONE_ACTIONS)
    on = required_day("on", data.get("on"), today)
    return NaloxoneEntry(action, on, check_words("note", data.get("note"), NAME_MAX,
                                                 single_line=True))


def check_checkin(data: Mapping[str, object], *, today: date) -> tuple[date, str, str]:
    """A MOUD check-in: the date, how it is going, a note."""
    on = required_day("on", data.get("on"), today)
    answer = _choice("answer", data.get("answer"), CHECKIN_ANSWERS)
    return on, answer, check_words("note", data.get("note"), NOTE_MAX)


def checkins_by_followup(windows: Sequence[tuple[int, date, date]],
                         checkins: Sequence[date]) -> dict[int, date | None]:
    """For each follow-up (day, first date, last date), the first MOUD check-in inside its
    window, or None: the follow-up schedule shows it beside the questionnaires."""
    found: dict[int, date | None] = {}
    for day, start, end in windows:
        inside = sorted(on for on in checkins if start <= on <= end)
        found[day] = inside[0] if inside else None
    return found
