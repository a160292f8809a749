"""Typed inputs for patient writes: one per write, shared by the web form and the API.

The form view and the API endpoint each turn their request into a mapping and call
`parse()`; the action receives the parsed value and never sees a form or a schema. Parsing
checks every field (InvalidInput names it) and remembers which fields were given, so that an
update can tell "not sent" (keep what is stored) from "sent empty" (clear it).

The check-in's safety answers follow stricter rules (docs/api.md, "Check-ins"): danger
symptoms reported on the same day add up, and a recorded red flag is removed only when the
update names it in `withdraw`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Final

from django.utils.translation import gettext as _

from kratom_recovery.care import instruments
from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.profile import check_number
from kratom_recovery.care.program_settings import TEMPERATURE_MAX_C, TEMPERATURE_MIN_C
from kratom_recovery.care.safety import DANGER_SYMPTOM_IDS, check_danger_symptoms
from kratom_recovery.care.text import check_characters
from kratom_recovery.web.common.text import MAX_NOTE as MAX_NOTE  # re-exported for the API schemas

MOOD_RANGE: Final = (1, 5)
SLEEP_RANGE: Final = (0, 24)
# A measured temperature in °C (input-sanity range from care; one decimal, as stored).
TEMPERATURE_RANGE: Final = (TEMPERATURE_MIN_C, TEMPERATURE_MAX_C)
DAILY_INSTRUMENTS: Final = ("sows", "craving", "daily-extra")
SELF_HARM: Final = "self_harm_thoughts"
# What `withdraw` may name: a danger symptom id, or the self-harm question's yes.
WITHDRAWABLE: Final = (*DANGER_SYMPTOM_IDS, SELF_HARM)
COMPLETED_AT: Final = "completed_at"
CHECKIN_FIELDS: Final = ("answers", "sleep_hours", "mood", "temperature_c", "note",
                         "danger_symptoms", SELF_HARM, "withdraw", COMPLETED_AT)
# A check-in finished on a phone without a connection is sent later and dated by when it
# was finished (docs/api.md, "Check-ins"). The bound is our product choice, not a clinical
# number: one night and the next day offline (finished at 23:50, sent by 11:50 two days
# later). Older answers are refused, with the reason shown to the person, rather than filed
# as news: the safety rules act on a check-in when it arrives.
COMPLETED_MAX_AGE: Final = timedelta(hours=36)
# A phone's clock may run a little ahead of the server's.
COMPLETED_CLOCK_SKEW: Final = timedelta(minutes=10)
# Plain fields: an update replaces the ones it gives and keeps the rest.
PLAIN_FIELDS: Final = ("sleep_hours", "mood", "temperature_c", "note")


def red_flags(danger_symptoms: Iterable[str], self_harm_thoughts: bool | None) -> frozenset[str]:
    """The recorded answers that only an explicit withdrawal may remove."""
    return frozenset(danger_symptoms) | ({SELF_HARM} if self_harm_thoughts else set())


def check_answers(value: object) -> dict[str, tuple[object, ...]]:
    """Daily instruments only, each scored now so an error names "answers.<id>.<item>"."""
    if not isinstance(value, Mapping) or not value:
        raise InvalidInput("answers", _("at least one questionnaire must be answered"))
    answers: dict[str, tuple[object, ...]] = {}
    for instrument_id, values in value.items():
        if instrument_id not in DAILY_INSTRUMENTS:
            raise InvalidInput("answers", _("unknown instrument %(id)r; allowed: %(allowed)s")
                               % {"id": instrument_id, "allowed": ", ".join(DAILY_INSTRUMENTS)})
        where = f"answers.{instrument_id}"
        if isinstance(values, str | bytes) or not isinstance(values, Sequence):
            raise InvalidInput(where, _("must be a list of answers"))
        try:
            instruments.score(instrument_id, values)
        except InvalidInput as error:
            raise InvalidInput(where if error.field == "answers" else f"{where}.{error.field}",
                               error.message) from None
        answers[instrument_id] = tuple(values)
    return answers


def check_withdraw(value: object) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        raise InvalidInput("withdraw", _("must be a list"))
    for item in value:
        if item not in WITHDRAWABLE:
            raise InvalidInput("withdraw", _("unknown value %(item)r; allowed: %(allowed)s")
                               % {"item": item, "allowed": ", ".join(WITHDRAWABLE)})
    return frozenset(str(item) for item in value)


def check_temperature(value: object) -> Decimal | None:
    """A measured temperature in °C with at most one decimal: more would be rounded across
    the fever line (37.95), so it is refused instead."""
    if value in (None, ""):
        return None
    number = check_number("temperature_c", value, low=TEMPERATURE_RANGE[0],
                          high=TEMPERATURE_RANGE[1], decimals=1)
    return Decimal(str(round(number, 1)))


def check_note(value: object) -> str:
    """Free text as stored: stripped, no control characters but line breaks and tabs."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput("note", _("must be text"))
    text = check_characters("note", value.strip(), multiline=True)
    if len(text) > MAX_NOTE:
        raise InvalidInput("note", _("at most %(n)d characters") % {"n": MAX_NOTE})
    return text


def check_completed_at(value: object) -> datetime | None:
    """When the person finished the check-in: an ISO 8601 time with its offset (or Z).
    Absent means now. The window is checked against the server's clock by `dated`."""
    if value in (None, ""):
        return None
    moment = value
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            moment = None
    if not isinstance(moment, datetime):
        raise InvalidInput(COMPLETED_AT, _("must be a date and time like "
                                           "2026-12-01T23:50:00-06:00"))
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput(COMPLETED_AT, _("must include a time zone offset, like "
                                           "2026-12-01T23:50:00-06:00 or …Z for UTC"))
    return moment


@dataclass(frozen=True)
class CheckinInput:
    """One day's check-in as the web form and the API send it, validated.

    `given` lists the optional fields the sender included; on a same-day update the others
    keep their stored values. `danger_symptoms` are added to the day's; `self_harm_thoughts`
    None means "not answered" and keeps the day's answer. `withdraw` names recorded red
    flags to remove (see `merge_safety`).
    """

    answers: Mapping[str, tuple[object, ...]]
    sleep_hours: Decimal | None = None
    mood: int | None = None
    temperature_c: Decimal | None = None
    note: str = ""
    danger_symptoms: frozenset[str] = frozenset()
    self_harm_thoughts: bool | None = None
    withdraw: frozenset[str] = frozenset()
    completed_at: datetime | None = None
    given: frozenset[str] = field(default=frozenset())

    @classmethod
    def parse(cls, data: Mapping[str, object]) -> CheckinInput:
        unknown = sorted(str(key) for key in data if key not in CHECKIN_FIELDS)
        if unknown:
            raise InvalidInput(unknown[0], _("unknown field; allowed: %(allowed)s")
                               % {"allowed": ", ".join(CHECKIN_FIELDS)})
        answers = check_answers(data.get("answers"))
        sleep = data.get("sleep_hours")
        mood = data.get("mood")
        self_harm = data.get(SELF_HARM)
        if self_harm is not None and not isinstance(self_harm, bool):
            raise InvalidInput(SELF_HARM, _("must be true, false or null (not answered)"))
        entry = cls(
            answers=answers,
            sleep_hours=None if sleep in (None, "") else Decimal(str(round(check_number(
                "sleep_hours", sleep, low=SLEEP_RANGE[0], high=SLEEP_RANGE[1]), 1))),
            mood=None if mood in (None, "") else int(check_number(
                "mood", mood, low=MOOD_RANGE[0], high=MOOD_RANGE[1], integer=True)),
            temperature_c=check_temperature(data.get("temperature_c")),
            note=check_note(data.get("note")),
            danger_symptoms=check_danger_symptoms(data.get("danger_symptoms")),
            self_harm_thoughts=self_harm,
            withdraw=check_withdraw(data.get("withdraw")),
            completed_at=check_completed_at(data.get(COMPLETED_AT)),
            given=frozenset(key for key in data if key != "answers"),
        )
        both = sorted(entry.withdraw & red_flags(entry.danger_symptoms, self_harm))
        if both:
            raise InvalidInput("withdraw", _("%(item)s is both reported and withdrawn; send "
                                             "one or the other") % {"item": both[0]})
        return entry

    def dated(self, now: datetime) -> datetime:
        """The moment that dates this check-in: when it was finished, if that is within
        COMPLETED_MAX_AGE before `now` (the server's clock), else InvalidInput naming
        completed_at. A check-in finished at 23:50 and sent at 08:00 is the earlier day's."""
        if self.completed_at is None:
            return now
        if self.completed_at > now + COMPLETED_CLOCK_SKEW:
            raise InvalidInput(COMPLETED_AT, _("is in the future; check this device's "
                                               "date and time"))
        if self.completed_at < now - COMPLETED_MAX_AGE:
            raise InvalidInput(COMPLETED_AT, _(
                "this check-in was finished more than %(hours)d hours ago and can no longer "
                "be filed; please check in again for today")
                % {"hours": COMPLETED_MAX_AGE // timedelta(hours=1)})
        return min(self.completed_at, now)

    def merge_safety(self, symptoms: Iterable[str], self_harm: bool | None
                     ) -> tuple[list[str], bool | None, frozenset[str]]:
        """The day's danger symptoms and self-harm answer after this update, and which
        recorded red flags it withdrew. Nothing recorded is dropped unless withdrawn."""
        recorded = frozenset(symptoms)
        merged = sorted((recorded | self.danger_symptoms) - self.withdraw)
        answer = self_harm
        if self.self_harm_thoughts is not None:
            answer = self.self_harm_thoughts
        if self_harm and SELF_HARM in self.withdraw:
            answer = False if self.self_harm_thoughts is False else None
        elif self_harm and answer is not True:
            raise InvalidInput(SELF_HARM, _(
                "yes was recorded earlier today; to take it back, send "
                "withdraw: [\"self_harm_thoughts\"] with this answer"))
        withdrawn = self.withdraw & red_flags(recorded, self_harm)
        return merged, answer, withdrawn
