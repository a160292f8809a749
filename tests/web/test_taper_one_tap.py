"""One tap logs today's next scheduled taper dose, with the amount the plan gives."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kratom_recovery.web.tapers.models import DoseTaken
from tests.web.test_tapers import at_now, start  # noqa: F401  (at_now: a fixture)

# Frozen at the personas' NOW (test_tapers.at_now).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_now")]


def test_one_tap_logs_each_scheduled_dose_then_asks(client: Client, pat: Any) -> None:
    record = start(pat)  # 15 g a day in 3 doses
    client.force_login(pat.user)
    url = reverse("taper-log", args=[record.series])
    plan = client.get(reverse("taper-plan", args=[record.series])).content.decode()
    assert "Log 5.0 g now" in plan
    assert client.get(url).context["form"].initial["amount"] == "5.0"
    for _ in range(3):
        response = client.post(url, {"one_tap": "1", "back": "home"})
        assert response["Location"] == reverse("patient-home")
    doses = DoseTaken.objects.filter(patient=pat, plan=record)
    assert [str(d.amount) for d in doses] == ["5.0000"] * 3
    # All of today's doses logged: nothing is guessed, the form opens instead.
    response = client.post(url, {"one_tap": "1"})
    assert response["Location"] == url and doses.count() == 3
    assert "Log 5.0 g now" not in client.get(
        reverse("taper-plan", args=[record.series])).content.decode()


def test_home_card_offers_one_tap(client: Client, pat: Any) -> None:
    start(pat)
    client.force_login(pat.user)
    assert 'data-testid="one-tap-dose"' in client.get(reverse("patient-home")).content.decode()


def test_one_tap_on_someone_elses_plan_is_404(client: Client, pat: Any, make_patient: Any) -> None:
    record = start(pat)
    other = make_patient("otto", None)
    client.force_login(other.user)
    response = client.post(reverse("taper-log", args=[record.series]), {"one_tap": "1"})
    assert response.status_code == 404
    assert not DoseTaken.objects.exists()


def test_as_needed_plan_has_no_one_tap(client: Client, pat: Any, cleo: Any) -> None:
    from tests.web.test_tapers import medication

    record = medication(pat, cleo, schedule="as-needed", as_needed="for sweating")
    client.force_login(pat.user)
    response = client.post(reverse("taper-log", args=[record.series]), {"one_tap": "1"})
    assert response["Location"] == reverse("taper-log", args=[record.series])
    assert not DoseTaken.objects.exists()
