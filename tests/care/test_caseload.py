"""Caseload triage order (care.caseload): a table of vignettes, one tier each."""

from __future__ import annotations

import pytest

from kratom_recovery.care.caseload import (
    OFF_COURSE_MIN_SOWS,
    SOWS_RISE,
    TAPER_GRACE_DAYS,
    CaseloadRow,
    OpenAlert,
    prioritize,
    sort_key,
    trend,
)
from kratom_recovery.care.errors import InvalidInput

URGENT = OpenAlert("suicidal-thoughts", "urgent", "Suicidal thoughts")
EMERGENCY = OpenAlert("emergency-symptoms", "emergency", "Emergency symptoms: chest pain")
WARNING = OpenAlert("missed-followup", "warning", "Missed follow-up (day 14)")
INFO = OpenAlert("lapse-reported", "info", "Lapse reported")


@pytest.mark.parametrize(
    ("row", "tier", "why"),
    [
        (CaseloadRow(alerts=[URGENT]), 1, "Suicidal thoughts"),
        (CaseloadRow(alerts=[WARNING, EMERGENCY], timeline_flags=frozenset({"prolonged-acute"})),
         1, "Emergency symptoms: chest pain"),
        (CaseloadRow(timeline_flags=frozenset({"worse-than-expected"}), sows=14), 2,
         "withdrawal worse than forecast"),
        (CaseloadRow(sows=20, previous_sows=20 - SOWS_RISE), 2, "SOWS up 6 points"),
        (CaseloadRow(sows=20, previous_sows=21 - SOWS_RISE), 4, ""),  # 5 points: not yet
        (CaseloadRow(phase="peak", days_since_checkin=2), 3, "no check-in for 2 days"),
        (CaseloadRow(phase="post-acute", days_since_checkin=5), 4, ""),  # not in withdrawal
        (CaseloadRow(phase="peak", days_since_checkin=1), 4, ""),
        (CaseloadRow(on_taper=True, days_since_taper_dose=3), 3, "taper doses not logged"),
        (CaseloadRow(on_taper=True, days_since_taper_dose=None), 3, "taper doses not logged"),
        (CaseloadRow(on_taper=True, days_since_taper_dose=1), 4, ""),
        (CaseloadRow(alerts=[WARNING]), 3, "Missed follow-up"),
        (CaseloadRow(alerts=[INFO]), 4, ""),
        (CaseloadRow(), 4, ""),
    ],
)
def test_tiers(row: CaseloadRow, tier: int, why: str) -> None:
    priority = prioritize(row)
    assert priority.tier == tier
    assert why in priority.why
    assert bool(priority.why) == (tier < 4)


PROLONGED = frozenset({"prolonged-acute"})


@pytest.mark.parametrize(
    ("row", "tier"),
    [
        # Off course needs at least moderate SOWS (11): day 30 at SOWS 0–3 is not off course.
        (CaseloadRow(phase="post-acute", timeline_flags=PROLONGED, sows=2), 4),
        (CaseloadRow(phase="post-acute", timeline_flags=PROLONGED, sows=0), 4),
        (CaseloadRow(timeline_flags=PROLONGED, sows=OFF_COURSE_MIN_SOWS - 1), 4),
        (CaseloadRow(timeline_flags=PROLONGED, sows=OFF_COURSE_MIN_SOWS), 2),
        (CaseloadRow(timeline_flags=PROLONGED), 4),                   # no score shared
        (CaseloadRow(sows=10, previous_sows=10 - SOWS_RISE), 4),      # a rise, still mild
        (CaseloadRow(sows=11, previous_sows=11 - SOWS_RISE), 2),
    ],
)
def test_off_course_needs_moderate_sows(row: CaseloadRow, tier: int) -> None:
    assert prioritize(row).tier == tier


@pytest.mark.parametrize(
    ("taper_days", "flagged"),
    [(0, False), (TAPER_GRACE_DAYS - 1, False), (TAPER_GRACE_DAYS, True), (None, True)],
)
def test_new_taper_has_a_grace_period(taper_days: int | None, flagged: bool) -> None:
    row = CaseloadRow(on_taper=True, days_since_taper_dose=None, taper_days=taper_days)
    assert ("taper doses not logged" in prioritize(row).why) == flagged


def test_grace_period_is_a_bounded_setting() -> None:
    row = CaseloadRow(on_taper=True, taper_days=5)
    assert prioritize(row, taper_grace_days=7).tier == 4
    assert prioritize(row, taper_grace_days=5).tier == 3
    for bad in (1, 15):
        with pytest.raises(InvalidInput) as caught:
            prioritize(row, taper_grace_days=bad)
        assert caught.value.field == "taper_grace_days"


def test_order_within_and_across_tiers() -> None:
    rows = {
        "calm": CaseloadRow(),
        "urgent": CaseloadRow(alerts=[URGENT]),
        "emergency": CaseloadRow(alerts=[EMERGENCY]),
        "rising": CaseloadRow(sows=30, previous_sows=10),
        "quiet-peak": CaseloadRow(phase="peak", days_since_checkin=4),
    }
    waiting = {"quiet-peak": 4}
    order = sorted(rows, key=lambda n: sort_key(prioritize(rows[n]), waiting.get(n, 0), n))
    assert order == ["emergency", "urgent", "rising", "quiet-peak", "calm"]


@pytest.mark.parametrize(
    ("sows", "previous", "arrow"),
    [(10, 7, "up"), (10, 8, "flat"), (7, 10, "down"), (10, None, ""), (None, 3, "")],
)
def test_trend(sows: int | None, previous: int | None, arrow: str) -> None:
    assert trend(CaseloadRow(sows=sows, previous_sows=previous)) == arrow
