"""In a real browser: sign-up fills in the phone's time zone and says so, onboarding offers
the phone's zone when it differs, and a clinician's invite shows its QR code and link."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.support.personas import PASSWORD, make_patient

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def denver(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 390, "height": 844},
                                  timezone_id="America/Denver")
    yield context
    context.close()


def test_signup_takes_the_phones_zone_and_says_so(denver: BrowserContext,
                                                 live_server: Any) -> None:
    from kratom_recovery.web.accounts.models import User

    page = denver.new_page()
    page.goto(f"{live_server.url}/signup/")
    expect(page.get_by_label("Your time zone")).to_have_value("America/Denver")
    expect(page.get_by_test_id("zone-note")).to_contain_text("America/Denver")
    page.get_by_label("Username").fill("robin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Your age").fill("34")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="About your kratom use")).to_be_visible()
    assert User.objects.get(username="robin").patient.timezone == "America/Denver"


def test_onboarding_offers_the_phones_zone_when_it_differs(denver: BrowserContext,
                                                          live_server: Any) -> None:
    patient = make_patient("pat", None)  # onboarded in America/New_York
    page = denver.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", patient.user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/me/onboarding/")
    zone = page.get_by_label("Your time zone")
    expect(zone).to_have_value("America/New_York")
    page.get_by_role("button", name="Use America/Denver").click()
    expect(zone).to_have_value("America/Denver")


def test_invite_shows_a_qr_code_and_the_link(page: Any, live_server: Any, cleo: Any) -> None:
    from django.conf import settings

    from kratom_recovery.web.accounts.models import InviteCode

    cleo.set_password(PASSWORD)
    cleo.save()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "cleo")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="New invite code").click()
    code = InviteCode.objects.get(clinician=cleo).code
    qr = page.get_by_test_id("invite-qr")
    expect(qr).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth > 0", qr.element_handle())
    expect(page.get_by_test_id("invite-link")).to_have_value(
        f"{settings.SITE_URL}/signup/?invite={code}")
