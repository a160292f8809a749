"""De-identified check-in table for research: one row per check-in, as CSV.

What is removed or changed (docs/export.md explains the method and its limits):
- no names, usernames, free text (check-in notes, use-log notes, journal) or internal ids;
- each patient gets a research id, HMAC-SHA256(secret salt, patient id), so rows of one patient
  link to each other but not back to the person without the salt;
- every date of one patient is shifted by the same number of days, drawn from the same HMAC in
  -180..+180, so intervals within a patient are exact while calendar dates are not real.

Scores are recomputed from the stored answers with the instrument registry, so the table can
never disagree with the scoring engine. Pure: the caller passes the salt and the records.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.instruments import get_instrument
from kratom_recovery.care.instruments.base import score_answers

MAX_SHIFT_DAYS: Final = 180
MIN_SALT_BYTES: Final = 16
# A PHQ-9 or GAD-7 describes "the last 2 weeks" (their recall period, [ref:kroenke2001]
# [ref:spitzer2006]), so the latest one completed within 14 days up to a check-in is
# attached to that check-in's row.
WEEKLY_WINDOW_DAYS: Final = 14
DAILY_EXTRA_ITEMS: Final = tuple(item.id for item in get_instrument("daily-extra").items)


def _column(item_id: str) -> str:
    return item_id.replace("-", "_")


# (column, meaning) in output order; docs/export.md lists the same table and a test checks it.
COLUMNS: Final[tuple[tuple[str, str], ...]] = (
    ("research_id", "pseudonymous patient id: HMAC of the patient id with the secret salt"),
    ("day_index", "days since the anchor date (0 = the anchor day itself)"),
    ("anchor", "what day_index counts from: last-dose (onboarding) or first-checkin"),
    ("date_shifted", "check-in date moved by the patient's secret shift (-180..+180 days)"),
    ("sows_total", "SOWS total 0-64, blank if not answered"),
    ("sows_band", "SOWS band id (none, mild, moderate, severe; CTN-0051 convention)"),
    ("craving", "craving 0-10, blank if not answered"),
    *(
        (_column(item_id), "daily-extra item, 0-4" if item_id != "pulse" else
         "resting pulse in beats per minute (optional)")
        for item_id in DAILY_EXTRA_ITEMS
    ),
    ("sleep_hours", "hours slept, as entered"),
    ("mood", "mood 1-5, as entered"),
    ("phq9_total", "latest PHQ-9 total within 14 days up to the check-in, else blank"),
    ("gad7_total", "latest GAD-7 total within 14 days up to the check-in, else blank"),
)
HEADER: Final = tuple(name for name, _ in COLUMNS)


@dataclass(frozen=True)
class ResearchCheckIn:
    """One check-in: the answers of each instrument in item order, plus sleep and mood."""

    local_date: date
    responses: Mapping[str, Sequence[int | None]] = field(default_factory=dict)
    sleep_hours: float | None = None
    mood: int | None = None


@dataclass(frozen=True)
class ResearchPatient:
    """Everything the table needs about one patient; nothing that names them.

    `patient_id` is only fed to the HMAC. `weekly` holds stand-alone PHQ-9/GAD-7 results as
    (local date, instrument id, answers).
    """

    patient_id: str
    checkins: Sequence[ResearchCheckIn]
    last_dose: date | None = None
    weekly: Sequence[tuple[date, str, Sequence[int | None]]] = ()


def _digest(salt: bytes, purpose: str, patient_id: str) -> bytes:
    if len(salt) < MIN_SALT_BYTES:
        raise InvalidInput("salt", f"must be at least {MIN_SALT_BYTES} bytes of secret")
    return hmac.new(salt, f"{purpose}:{patient_id}".encode(), hashlib.sha256).digest()


def research_id(salt: bytes, patient_id: str) -> str:
    """Stable per patient and salt; 64 bits of the HMAC, so collisions are negligible."""
    return "r-" + _digest(salt, "research-id", patient_id)[:8].hex()


def date_shift(salt: bytes, patient_id: str) -> int:
    """The patient's shift in days, in -MAX_SHIFT_DAYS..+MAX_SHIFT_DAYS (never changes)."""
    span = 2 * MAX_SHIFT_DAYS + 1
    return int.from_bytes(_digest(salt, "date-shift", patient_id)[:8], "big") % span - (
        MAX_SHIFT_DAYS
    )


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _total(instrument_id: str, answers: Sequence[int | None]) -> tuple[int, str | None]:
    score = score_answers(get_instrument(instrument_id), list(answers))
    return score.total, score.band.id if score.band else None


def _latest_weekly(
    weekly: Sequence[tuple[date, str, int]], instrument_id: str, day: date
) -> int | None:
    eligible = [
        (when, total)
        for when, iid, total in weekly
        if iid == instrument_id and day - timedelta(days=WEEKLY_WINDOW_DAYS - 1) <= when <= day
    ]
    return max(eligible)[1] if eligible else None


def patient_rows(salt: bytes, patient: ResearchPatient) -> list[dict[str, str]]:
    """The rows of one patient, oldest check-in first."""
    if not patient.checkins:
        return []
    checkins = sorted(patient.checkins, key=lambda c: c.local_date)
    anchor, anchor_kind = (
        (patient.last_dose, "last-dose")
        if patient.last_dose is not None
        else (checkins[0].local_date, "first-checkin")
    )
    shift = timedelta(days=date_shift(salt, patient.patient_id))
    pid = research_id(salt, patient.patient_id)
    weekly: list[tuple[date, str, int]] = [
        (when, iid, _total(iid, answers)[0]) for when, iid, answers in patient.weekly
    ]
    rows = []
    for checkin in checkins:
        row: dict[str, object] = dict.fromkeys(HEADER)
        row.update(
            research_id=pid,
            day_index=(checkin.local_date - anchor).days,
            anchor=anchor_kind,
            date_shifted=(checkin.local_date + shift).isoformat(),
            sleep_hours=checkin.sleep_hours,
            mood=checkin.mood,
        )
        responses = dict(checkin.responses)
        if "sows" in responses:
            row["sows_total"], row["sows_band"] = _total("sows", responses["sows"])
        if "craving" in responses:
            row["craving"] = _total("craving", responses["craving"])[0]
        if "daily-extra" in responses:
            extra = get_instrument("daily-extra")
            score = score_answers(extra, list(responses["daily-extra"]))
            for item in extra.items:
                row[_column(item.id)] = score.value_of(item.id)
        same_day = [
            (checkin.local_date, iid, _total(iid, responses[iid])[0])
            for iid in ("phq9", "gad7")
            if iid in responses
        ]
        row["phq9_total"] = _latest_weekly([*weekly, *same_day], "phq9", checkin.local_date)
        row["gad7_total"] = _latest_weekly([*weekly, *same_day], "gad7", checkin.local_date)
        rows.append({key: _cell(value) for key, value in row.items()})
    return rows


def research_rows(salt: bytes, patients: Sequence[ResearchPatient]) -> list[dict[str, str]]:
    """All patients' rows, ordered by research id then date, so row order reveals nothing
    about enrolment order or internal ids."""
    rows = [row for patient in patients for row in patient_rows(salt, patient)]
    return sorted(rows, key=lambda r: (r["research_id"], int(r["day_index"])))


def research_csv(salt: bytes, patients: Sequence[ResearchPatient]) -> str:
    """The table as CSV text (RFC 4180 quoting, header row first)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(research_rows(salt, patients))
    return out.getvalue()
