"""Research CSV: de-identified rows, consistent date shifts, documented columns."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.instruments import score
from kratom_recovery.care.research_csv import (
    COLUMNS,
    HEADER,
    MAX_SHIFT_DAYS,
    ResearchCheckIn,
    ResearchPatient,
    date_shift,
    research_csv,
    research_id,
    research_rows,
)

SALT = b"a-secret-salt-for-tests-only-32b"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "export.md"
SOWS = [2, 1, 3, 0, 1, 2, 1, 0, 1, 3, 2, 1, 0, 1, 2, 3]
PHQ9 = [1, 2, 1, 0, 1, 2, 0, 1, 0]


def checkin(day: date) -> ResearchCheckIn:
    return ResearchCheckIn(
        local_date=day,
        responses={"sows": SOWS, "craving": [6], "daily-extra": [2, 1, 3, 2, 1, 72]},
        sleep_hours=6.5,
        mood=3,
    )


def patient(
    pid: str, days: int = 3, last_dose: date | None = date(2026, 11, 1)
) -> ResearchPatient:
    return ResearchPatient(
        patient_id=pid,
        checkins=[checkin(date(2026, 11, 2) + timedelta(days=n)) for n in range(days)],
        last_dose=last_dose,
        weekly=[(date(2026, 11, 3), "phq9", PHQ9)],
    )


def parse(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_columns_and_values() -> None:
    rows = parse(research_csv(SALT, [patient("41")]))
    assert tuple(rows[0]) == HEADER
    first, second = rows[0], rows[1]
    assert first["research_id"] == research_id(SALT, "41")
    assert (first["day_index"], first["anchor"]) == ("1", "last-dose")
    assert first["sows_total"] == str(score("sows", SOWS).total) == "23"
    assert first["sows_band"] == "severe"
    assert (first["craving"], first["low_mood"], first["pulse"]) == ("6", "2", "72")
    assert (first["sleep_hours"], first["mood"]) == ("6.5", "3")
    assert first["phq9_total"] == ""  # PHQ-9 came the next day
    assert second["phq9_total"] == "8" and second["gad7_total"] == ""


def test_first_checkin_is_the_anchor_without_a_last_dose() -> None:
    rows = research_rows(SALT, [patient("41", last_dose=None)])
    assert [(r["day_index"], r["anchor"]) for r in rows] == [
        ("0", "first-checkin"), ("1", "first-checkin"), ("2", "first-checkin")
    ]


@pytest.mark.parametrize(("offset", "shown"), [(0, "8"), (13, "8"), (14, "")])
def test_phq9_counts_for_fourteen_days(offset: int, shown: str) -> None:
    day = date(2026, 11, 3) + timedelta(days=offset)
    rows = research_rows(SALT, [ResearchPatient("9", [checkin(day)],
                                                weekly=[(date(2026, 11, 3), "phq9", PHQ9)])])
    assert rows[0]["phq9_total"] == shown


def test_no_names_ids_or_free_text() -> None:
    text = research_csv(SALT, [patient("patient-pat-41"), patient("bob-7")])
    for secret in ("patient-pat-41", "bob-7", "2026-11-02"):
        assert secret not in text


def test_shift_is_constant_within_a_patient_and_differs_across() -> None:
    rows = research_rows(SALT, [patient(str(n), days=4) for n in range(20)])
    shifts: dict[str, set[int]] = {}
    for row in rows:
        true_day = date(2026, 11, 1) + timedelta(days=int(row["day_index"]))
        delta = (date.fromisoformat(row["date_shifted"]) - true_day).days
        shifts.setdefault(row["research_id"], set()).add(delta)
    assert all(len(s) == 1 for s in shifts.values())
    assert len({next(iter(s)) for s in shifts.values()}) > 10  # 20 patients, 361 possible shifts


def test_salt_changes_ids_and_shifts() -> None:
    other = b"another-secret-salt-of-32-bytes!"
    assert research_id(SALT, "41") != research_id(other, "41")
    assert [date_shift(SALT, str(n)) for n in range(10)] != [
        date_shift(other, str(n)) for n in range(10)
    ]


@settings(max_examples=30)
@given(st.text(min_size=1, max_size=20))
def test_shift_is_in_range_and_deterministic(pid: str) -> None:
    shift = date_shift(SALT, pid)
    assert -MAX_SHIFT_DAYS <= shift <= MAX_SHIFT_DAYS
    assert shift == date_shift(SALT, pid)


def test_short_salt_is_refused() -> None:
    with pytest.raises(InvalidInput, match="salt"):
        research_csv(b"short", [patient("1")])


def test_every_column_is_documented() -> None:
    text = DOCS.read_text()
    for name, _ in COLUMNS:
        assert f"`{name}`" in text, name
