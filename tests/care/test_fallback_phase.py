"""The one fallback timeline: its phases, and that it agrees with the model and the blogs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from kratom_recovery.care.fallback_phase import (
    ACUTE_DAYS,
    PHASE_TIMES,
    fallback_acute_end,
    fallback_phase,
)
from kratom_recovery.care.profile import UseProfile
from kratom_recovery.care.timeline import SEED_TIMELINE, forecast

LAST = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("hours", "phase"),
    [
        (0, "pre-onset"), (5.9, "pre-onset"), (6, "onset"), (23.9, "onset"), (24, "peak"),
        (30, "peak"), (72, "peak"), (72.1, "subsiding"), (167.9, "subsiding"),
        (168, "post-acute"), (24 * 20, "post-acute"),
    ],
)
def test_phase_by_hours_since_last_dose(hours: float, phase: str) -> None:
    assert fallback_phase(LAST, LAST + timedelta(hours=hours)) == phase


def test_no_last_dose_means_post_acute() -> None:
    assert fallback_phase(None, LAST) == "post-acute"


def test_acute_end_is_the_same_day_count_as_the_phase_table() -> None:
    assert fallback_acute_end(date(2026, 11, 20)) == date(2026, 11, 27)
    assert PHASE_TIMES.acute_end_h == ACUTE_DAYS * 24


def test_table_lies_inside_the_blog_ranges_the_model_is_calibrated_to() -> None:
    onset, peak, acute_days = (SEED_TIMELINE[k] for k in ("onset_h", "peak_h",
                                                          "acute_end_days"))
    assert onset[0] <= PHASE_TIMES.onset_h <= onset[1]
    assert peak[0] <= PHASE_TIMES.peak_start_h < PHASE_TIMES.peak_end_h <= peak[1]
    assert acute_days[0] <= ACUTE_DAYS <= acute_days[1]


def test_acute_end_matches_the_models_typical_person_to_the_day() -> None:
    typical = UseProfile("leaf", 15.0, "g", 3, 2.0, last_dose=LAST)
    model = forecast(typical, LAST + timedelta(hours=1)).phase_times
    assert round(model.acute_end_h / 24) == ACUTE_DAYS
