"""Issue 6 done-when: a PHQ-9 with item 9 above 0 shows the person the crisis card (988) at
once, and their clinician sees the alert on the caseload — in a real browser."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from kratom_recovery.care.instruments import get_instrument
from tests.support.personas import PASSWORD, make_patient, profile_data

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHQ9_ANSWERS = [1, 1, 0, 0, 0, 0, 0, 0, 2]  # item 9 ("better off dead") = 2


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_phq9_item9_shows_crisis_card_and_alerts_clinician(
    page: Page, browser: Browser, live_server: Any, artifacts: Path
) -> None:
    from kratom_recovery.web.accounts.actions import create_staff_user
    from kratom_recovery.web.patients.actions import complete_onboarding

    cleo = create_staff_user("cleo", PASSWORD, "clinician", "Cleo")
    pat = make_patient("pat", cleo, onboard=False)
    now = timezone.now()
    complete_onboarding(pat, pat.user, profile_data(
        last_dose=(now - timedelta(hours=30)).isoformat()), now=now)

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server.url, "pat")
    page.goto(f"{live_server.url}/me/questionnaires/phq9/")
    for item, value in zip(get_instrument("phq9").items, PHQ9_ANSWERS, strict=True):
        page.locator(f"input[name='phq9-{item.id}'][value='{value}']").check(force=True)
    page.get_by_role("button", name="Save").click()

    card = page.get_by_test_id("crisis-card")
    expect(card).to_be_visible()
    expect(card.locator("a[href='tel:988']")).to_be_visible()
    expect(card.locator("a[href='sms:988']")).to_be_visible()
    expect(card).to_contain_text("Cleo")
    page.screenshot(path=str(artifacts / "crisis-card-patient.png"), full_page=True)

    # One tap to our own follow-up questions, with the crisis numbers on the page itself.
    card.get_by_role("link", name="Answer 4 quick questions about right now").click()
    expect(page.locator("a[href='tel:988']").first).to_be_visible()
    page.screenshot(path=str(artifacts / "safety-check.png"), full_page=True)

    clinic = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        clinician = clinic.new_page()
        sign_in(clinician, live_server.url, "cleo")
        alerts = clinician.get_by_test_id("open-alerts")
        expect(alerts).to_be_visible()
        expect(alerts).to_contain_text("Pat")
        expect(alerts).to_contain_text("PHQ-9 item 9")
        clinician.screenshot(path=str(artifacts / "crisis-caseload-clinician.png"),
                             full_page=True)
    finally:
        clinic.close()
