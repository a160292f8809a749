"""The medication administration record on a phone (390×844): the orders, the dose form and
the record with COWS before and after fit the screen, and a refused dose names the
parameter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, ViewportSize, expect

from tests.support.personas import PASSWORD, make_patient

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE: ViewportSize = {"width": 390, "height": 844}


def test_mar_on_a_phone(page: Page, live_server: Any, artifacts: Path) -> None:
    from kratom_recovery.web.accounts.actions import create_staff_user
    from kratom_recovery.web.bedside.demo import seed_demo_bedside

    cleo = create_staff_user("cleo", PASSWORD, "clinician", "Cleo")
    pat = make_patient("pat", cleo)
    seed_demo_bedside(pat, cleo, timezone.now())
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "cleo")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/clinic/patients/{pat.pk}/mar/")
    expect(page.get_by_test_id("mar-order")).to_contain_text("clonidine")
    expect(page.get_by_test_id("mar-dose-row")).to_have_count(4)
    page.get_by_label("given").check()
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_test_id("dose-refused")).to_contain_text("no vitals in the 30 min")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(artifacts / "mar-phone.png"), full_page=True)
