"""Issue 13 in a real browser on a phone (390×844): a patient with dark urine sees their care
team and a same-day check first on the crisis card, and the onboarding form's medicine boxes
and dependence questions fit the screen."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, ViewportSize, expect

from tests.support.personas import PASSWORD, make_patient, profile_data

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE: ViewportSize = {"width": 390, "height": 844}


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def fits_the_screen(page: Page) -> bool:
    width = page.evaluate("document.documentElement.scrollWidth")
    return bool(width <= PHONE["width"])


def test_liver_flag_card_and_onboarding_on_a_phone(page: Page, live_server: Any,
                                                   artifacts: Path) -> None:
    from kratom_recovery.web.accounts.actions import create_staff_user
    from kratom_recovery.web.patients.actions import complete_onboarding, record_checkin

    cleo = create_staff_user("cleo", PASSWORD, "clinician", "Cleo")
    pat = make_patient("pat", cleo, onboard=False)
    now = timezone.now()
    complete_onboarding(pat, pat.user, profile_data(
        last_dose=(now - timedelta(hours=30)).isoformat(),
        medications=["sertraline", "Calmherb tincture"]), now=now)
    record_checkin(pat, pat.user, {"sows": [1] * 16, "craving": [3]},
                   danger_symptoms=["dark-urine"], temperature_c="38.2", now=now)

    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, "pat")
    page.goto(f"{live_server.url}/me/")
    card = page.get_by_test_id("crisis-card")
    expect(card).to_be_visible()
    first = card.get_by_test_id("first-actions").locator("li")
    expect(first.first).to_contain_text("Contact your care team")
    expect(first.nth(1)).to_contain_text("Get a medical check today")
    expect(card).to_contain_text("dark urine")
    assert fits_the_screen(page)
    page.screenshot(path=str(artifacts / "home-liver-flag-phone.png"), full_page=True)
    card.screenshot(path=str(artifacts / "crisis-card-liver-phone.png"))

    page.goto(f"{live_server.url}/me/onboarding/")
    medicines = page.locator("input[name='medications']")
    expect(medicines.first).to_have_value("sertraline")
    expect(medicines.nth(1)).to_have_value("Calmherb tincture")
    assert medicines.first.get_attribute("list") == "medicine-names"
    expect(page.get_by_text("I drink alcohol every day or nearly every day.")).to_be_visible()
    assert fits_the_screen(page)
    page.screenshot(path=str(artifacts / "onboarding-phone.png"), full_page=True)
    page.locator(".field", has=medicines.first).screenshot(
        path=str(artifacts / "onboarding-medicines-phone.png"))
    page.locator(".field", has=page.locator("#id_dependence_0")).screenshot(
        path=str(artifacts / "onboarding-dependence-phone.png"))
