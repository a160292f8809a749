"""The patient's forecast uses their own history: steady use, then logged lapses."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from kratom_recovery.web.patients import actions
from kratom_recovery.web.patients.forecasting import logged_doses, patient_forecast
from tests.personas import NOW

pytestmark = pytest.mark.django_db


def test_forecast_follows_onboarding_then_a_lapse(pat: Any) -> None:
    later = NOW + timedelta(days=20)
    before = patient_forecast(pat, later)
    assert before is not None and before[0].phase == "post-acute"
    actions.log_use(pat, pat.user, taken_at=(later - timedelta(hours=2)).isoformat(),
                    amount="5", unit="g", now=later)
    pat.refresh_from_db()
    after = patient_forecast(pat, later)
    assert after is not None
    forecast, _ = after
    assert forecast.hours_since_last_dose == pytest.approx(2.0)
    # One 5 g lapse after three weeks off is a much smaller hit than stopping daily use.
    assert max(p.expected for p in forecast.points) < max(p.expected for p in before[0].points)


def test_logged_doses_ignore_other_units_and_older_uses(pat: Any) -> None:
    actions.log_use(pat, pat.user, taken_at=(NOW - timedelta(hours=1)).isoformat(),
                    amount="2", unit="mg", now=NOW)
    assert logged_doses(pat, pat.profile.last_dose, "g") == []


def test_no_forecast_before_onboarding(make_patient: Any) -> None:
    assert patient_forecast(make_patient("new", None, onboard=False), NOW) is None
