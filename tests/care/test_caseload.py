"""Caseload triage order (care.caseload): a table of vignettes, one tier each."""

from __future__ import annotations

import pytest

from kratom_recovery.care.caseload import (
    SOWS_RISE,
    CaseloadRow,
    OpenAlert,
    prioritize,
    sort_key,
    trend,
)

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
        (CaseloadRow(timeline_flags=frozenset({"worse-than-expected"})), 2,
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
