"""The printable summary for an appointment: the patient's own plan, taper, milestones and
check-ins on one page, linked beside the JSON download."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kratom_recovery.web.patients import actions
from tests.support.api import sows
from tests.support.personas import NOW

pytestmark = pytest.mark.django_db


def test_summary_shows_each_part_and_the_chart(client: Client, pat: Any) -> None:
    for days in (2, 1):
        actions.record_checkin(pat, pat.user, {"sows": sows(2), "craving": [5]},
                               now=NOW + timedelta(days=days))
    client.force_login(pat.user)
    response = client.get(reverse("appointment-summary"))
    assert response.status_code == 200
    text = response.content.decode()
    for heading in ("Kratom use", "Taper", "Milestones", "Check-ins",
                    "Relapse-prevention plan"):
        assert f">{heading}</h2>" in text, heading
    assert "<svg" in text  # the check-in chart, two days drawn
    assert "data-print" in text and "@media print" not in text  # the stylesheet prints it
    assert response["Cache-Control"] == "private, no-store"


def test_data_page_links_the_summary_beside_the_download(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    text = client.get(reverse("my-data")).content.decode()
    assert reverse("my-data-download") in text and reverse("appointment-summary") in text


def test_summary_waits_for_onboarding(client: Client, make_patient: Any) -> None:
    patient = make_patient("newby", None, onboard=False)
    client.force_login(patient.user)
    assert client.get(reverse("appointment-summary"))["Location"] == reverse("onboarding")


def test_summary_is_the_patients_own(client: Client, cleo: Any) -> None:
    client.force_login(cleo)
    assert client.get(reverse("appointment-summary")).status_code == 403


def test_summary_is_read_only(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    assert client.post(reverse("appointment-summary")).status_code == 405
