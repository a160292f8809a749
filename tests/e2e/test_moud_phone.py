"""MOUD and naloxone on a phone (390×844): naltrexone started before withdrawal is recorded
complete is refused on the field with the reason, naloxone is recorded, the page does not
scroll sideways, and the chart's card shows both."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.support.personas import PASSWORD, make_patient

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE: ViewportSize = {"width": 390, "height": 844}


def test_moud_on_a_phone(page: Page, live_server: Any, artifacts: Path) -> None:
    from kratom_recovery.web.accounts.actions import create_staff_user
    from kratom_recovery.web.followup.models import MoudRecord

    cleo = create_staff_user("cleo", PASSWORD, "clinician", "Cleo")
    pat = make_patient("pat", cleo)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "cleo")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/clinic/patients/{pat.pk}/moud/")
    page.get_by_text("Record a MOUD status or referral").click()
    page.select_option("#id_moud-medication", "naltrexone")
    page.select_option("#id_moud-status", "started")
    page.get_by_role("button", name="Save status").click()
    expect(page.locator(".field.has-error")).to_contain_text("only once withdrawal is complete")
    assert not MoudRecord.objects.exists()
    page.get_by_label("dispensed (kit handed over)").check()
    page.get_by_role("button", name="Save naloxone").click()
    expect(page.get_by_test_id("moud-naloxone")).to_contain_text("dispensed")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(artifacts / "moud-phone.png"), full_page=True)
    page.goto(f"{live_server.url}/clinic/patients/{pat.pk}/")
    expect(page.get_by_test_id("chart-moud")).to_contain_text("dispensed")
