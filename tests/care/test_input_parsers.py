"""The shared input parsers (care.profile, care.text): date-time shape and bounds, stored
precision, and which characters text may hold. Every entry point uses these."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.profile import check_number, parse_date, parse_datetime, parse_profile
from kratom_recovery.care.text import check_characters

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(("moment", "ok"), [
    (EARLIEST, True),
    (EARLIEST - SECOND, False),
    (EARLIEST + SECOND, True),
    (NOW + timedelta(days=1), True),
    (NOW + timedelta(days=1) - SECOND, True),
    (NOW + timedelta(days=1) + SECOND, False),
])
def test_datetime_range_is_2000_to_one_day_from_now(moment: datetime, ok: bool) -> None:
    text = moment.isoformat()
    if ok:
        assert parse_datetime("at", text, latest=NOW + timedelta(days=1)) == moment
        assert parse_datetime("at", moment, latest=NOW + timedelta(days=1)) == moment
    else:
        with pytest.raises(InvalidInput) as error:
            parse_datetime("at", text, latest=NOW + timedelta(days=1))
        assert error.value.field == "at"


def test_upper_bound_follows_the_clock_by_default() -> None:
    now = datetime.now(UTC)
    assert parse_datetime("at", (now + timedelta(hours=23)).isoformat())
    with pytest.raises(InvalidInput, match="one day after now"):
        parse_datetime("at", (now + timedelta(days=1, minutes=1)).isoformat())


@pytest.mark.parametrize(("offset", "ok"), [
    ("+14:00", True), ("-14:00", True), ("+13:59", True), ("-12:00", True),
    ("+14:01", False), ("-14:01", False), ("+16:00", False), ("-16:00", False),
    ("+23:59", False),
])
def test_utc_offset_within_14_hours(offset: str, ok: bool) -> None:
    text = f"2026-11-20T08:00:00{offset}"
    if ok:
        assert parse_datetime("at", text, now=NOW + timedelta(days=2)).utcoffset() is not None
    else:
        with pytest.raises(InvalidInput, match="offset"):
            parse_datetime("at", text, now=NOW + timedelta(days=2))


@pytest.mark.parametrize("value", [
    0, 1.5, -1, 10**12, True, "0", "1.5", "1732100000", "", " ", "2026-11-20",
    "2026-11-20T08:00:00", "2026-11-20 08:00:00Z", "20261120T080000Z", "2026-W47-5T08:00Z",
    "1900-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-13-01T00:00:00Z",
    "2026-11-20T08:00:00+0100", "2026-11-20T24:00:00Z", None, [], {},
])
def test_only_iso_text_with_an_offset_is_a_datetime(value: object) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_datetime("last_dose", value, now=NOW)
    assert error.value.field == "last_dose"


@pytest.mark.parametrize("text", [
    "2026-11-20T08:00Z", "2026-11-20T08:00:00Z", "2026-11-20T08:00:00.5+01:00",
    "2026-11-20T08:00:00.123456-05:00",
])
def test_iso_forms_accepted(text: str) -> None:
    assert parse_datetime("at", text, now=NOW).tzinfo is not None


@pytest.mark.parametrize(("value", "ok"), [
    ("2000-01-01", True), ("1999-12-31", False), ("2099-12-31", True), ("2100-01-01", False),
    ("2026-12-01", True), (0, False), ("0", False), (20261201, False), ("20261201", False),
    ("2026-02-30", False), (date(2026, 12, 1), True),
])
def test_dates(value: object, ok: bool) -> None:
    if ok:
        assert isinstance(parse_date("start", value), date)
    else:
        with pytest.raises(InvalidInput):
            parse_date("start", value)


@pytest.mark.parametrize(("value", "decimals", "ok"), [
    (15, 2, True), (0.25, 2, True), ("0.25", 2, True), (0.001, 2, False), ("0.001", 2, False),
    (1e-3, 2, False), (2.5, 1, True), (2.25, 1, False), (0.1 + 0.2, 2, False),
])
def test_decimals_beyond_what_is_stored_are_refused(value: object, decimals: int,
                                                    ok: bool) -> None:
    if ok:
        check_number("amount", value, low=0, high=100, low_inclusive=False, decimals=decimals)
    else:
        with pytest.raises(InvalidInput, match=f"at most {decimals} decimal place"):
            check_number("amount", value, low=0, high=100, low_inclusive=False,
                         decimals=decimals)


def profile(**changes: object) -> dict[str, object]:
    return {"product": "leaf", "amount_per_day": 15, "unit": "g", "doses_per_day": 3,
            "years_of_use": 2, **changes}


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"amount_per_day": 0.001}, "amount_per_day", "2 decimal places"),
    ({"years_of_use": 1.25}, "years_of_use", "1 decimal place"),
    ({"medications": ["ok", "bad\r\nname"]}, "medications.1", "line breaks"),
    ({"last_dose": 0}, "last_dose", "ISO 8601"),
])
def test_profile_refuses_what_cannot_be_stored(change: dict[str, object], field: str,
                                               words: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_profile(profile(**change), now=NOW)
    assert error.value.field == field and words in error.value.message


@pytest.mark.parametrize("bad", ["a\nb", "a\rb", "a\tb", "a\x00b", "a\x07b", "a\x7fb",
                                 "a\x85b", "a\u2028b"])
def test_single_line_refuses_every_control_character(bad: str) -> None:
    with pytest.raises(InvalidInput) as error:
        check_characters("name", bad, multiline=False)
    assert error.value.field == "name"


def test_multi_line_keeps_newlines_and_tabs_only() -> None:
    assert check_characters("note", "line 1\r\nline 2\tend", multiline=True)
    for bad in ("a\x00b", "a\x07b", "a\x1bb", "a\x0cb"):
        with pytest.raises(InvalidInput):
            check_characters("note", bad, multiline=True)
