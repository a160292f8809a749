"""Staff choose the zone clinician-side times are shown in (empty: the program's zone)."""

from __future__ import annotations

from typing import Any

import time_machine
from django.test import Client
from django.urls import reverse

from kratom_recovery.web.program.config import user_zone
from tests.support.personas import NOW

URL = "/account/time-zone/"


def test_the_account_page_offers_staff_a_time_zone(client: Client, cleo: Any) -> None:
    client.force_login(cleo)
    page = client.get(reverse("account")).content.decode()
    assert 'action="/account/time-zone/"' in page and "America/Chicago" in page


def test_a_clinician_picks_a_zone_and_times_follow_it(client: Client, cleo: Any,
                                                      pat: Any) -> None:
    client.force_login(cleo)
    response = client.post(URL, {"timezone": "America/Chicago"})
    assert response.status_code == 302
    cleo.refresh_from_db()
    assert cleo.timezone == "America/Chicago"
    assert str(user_zone(cleo)) == "America/Chicago"
    with time_machine.travel(NOW):  # November: Chicago is on CST
        caseload = client.get(reverse("caseload")).content.decode()
    assert "CST" in caseload  # the caseload's times carry the chosen zone's abbreviation


def test_empty_means_the_programs_zone(client: Client, cleo: Any) -> None:
    cleo.timezone = "Asia/Tokyo"
    cleo.save(update_fields=["timezone"])
    client.force_login(cleo)
    assert client.post(URL, {"timezone": ""}).status_code == 302
    cleo.refresh_from_db()
    assert cleo.timezone == ""


def test_an_unknown_zone_is_refused_and_nothing_changes(client: Client, cleo: Any) -> None:
    client.force_login(cleo)
    response = client.post(URL, {"timezone": "Mars/Olympus_Mons"})
    assert response.status_code == 400
    assert "timezone" in response.content.decode() or "valid choice" in response.content.decode()
    cleo.refresh_from_db()
    assert cleo.timezone == ""


def test_patients_set_their_zone_on_their_profile_not_here(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    assert 'action="/account/time-zone/"' not in client.get(reverse("account")).content.decode()
    assert client.post(URL, {"timezone": "America/Chicago"}).status_code == 403
    pat.user.refresh_from_db()
    assert pat.user.timezone == ""
