"""The safety plan in a real browser: on a phone (390×844) the help page shows the patient's
plan with call and text buttons large enough to tap and nothing wider than the screen, light
and dark; printed to PDF by Chromium it fits one or two pages in Letter and A4; the
clinician's chart, plan and risk pages render on a desktop."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, ViewportSize, expect

from tests.support.personas import PASSWORD, make_patient

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
SCHEMES: tuple[Literal["light", "dark"], ...] = ("light", "dark")
TAP = 44  # px: the smallest comfortable touch target
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?!s)")


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def pdf_pages(page: Page, paper: str) -> int:
    return len(PAGE_OBJECT.findall(page.pdf(format=paper, print_background=True)))


def test_safety_plan_on_a_phone_printed_and_on_the_chart(page: Page, live_server: Any,
                                                         artifacts: Path) -> None:
    from kratom_recovery.web.accounts.actions import create_staff_user
    from kratom_recovery.web.safety.plan.demo import seed_demo_safety_plan

    cleo = create_staff_user("cleo", PASSWORD, "clinician", "Cleo")
    pat = make_patient("pat", cleo)
    seed_demo_safety_plan(pat, cleo, timezone.now(), high=True)
    base = live_server.url

    page.set_viewport_size(PHONE)
    sign_in(page, base, "pat")
    page.goto(f"{base}/help/")
    card = page.get_by_test_id("help-safety-plan")
    expect(card).to_contain_text("Robin (sister)")
    call = card.locator('a[href="tel:5550102233"]')
    expect(call).to_be_visible()
    expect(card.locator('a[href="sms:5550102233"]')).to_be_visible()
    for button in card.locator(".sp-buttons a").all():
        box = button.bounding_box()
        assert box is not None and box["height"] >= TAP and box["width"] >= TAP
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        page.screenshot(path=str(artifacts / f"safety-plan-help-phone-{scheme}.png"),
                        full_page=True)

    page.goto(f"{base}/me/safety-plan/")
    expect(page.get_by_test_id("plan-meta")).to_contain_text("Version 2")
    page.emulate_media(color_scheme="light")
    page.screenshot(path=str(artifacts / "safety-plan-page-phone.png"), full_page=True)
    page.emulate_media(media="print")
    for paper in ("Letter", "A4"):
        assert 1 <= pdf_pages(page, paper) <= 2, paper
    page.set_viewport_size({"width": 816, "height": 1056})  # Letter at 96 dpi
    page.screenshot(path=str(artifacts / "safety-plan-print.png"), full_page=True)
    page.emulate_media(media="screen")
    page.set_viewport_size(PHONE)

    page.goto(f"{base}/me/safety-plan/edit/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(artifacts / "safety-plan-edit-phone.png"), full_page=True)

    page.context.clear_cookies()
    page.set_viewport_size(DESKTOP)
    sign_in(page, base, "cleo")
    page.goto(f"{base}/clinic/patients/{pat.pk}/")
    expect(page.get_by_test_id("chart-safety-plan")).to_contain_text("High")
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        page.screenshot(path=str(artifacts / f"safety-plan-chart-desktop-{scheme}.png"))
    page.goto(f"{base}/clinic/patients/{pat.pk}/risk-assessment/")
    page.screenshot(path=str(artifacts / "safety-plan-risk-desktop-dark.png"), full_page=True)
    page.emulate_media(color_scheme="light")
    page.goto(f"{base}/clinic/patients/{pat.pk}/safety-plan/")
    expect(page.get_by_test_id("safety-plan")).to_contain_text("Community clinic")
    page.screenshot(path=str(artifacts / "safety-plan-page-desktop.png"), full_page=True)


def test_the_fullest_plan_prints_on_two_pages(page: Page, live_server: Any) -> None:
    """Every section at its limits (lines, characters, people, name length) still prints on
    at most two pages of Letter and of A4."""
    from kratom_recovery.care.safety_plan import (
        MAX_CONTACTS,
        MAX_ITEM,
        MAX_ITEMS,
        MAX_NAME,
        PLAN_SECTIONS,
    )
    from kratom_recovery.web.safety.plan import actions

    pat = make_patient("pat", None)
    line = ("withdrawal " * MAX_ITEM)[:MAX_ITEM]
    person = {"name": ("Name " * MAX_NAME)[:MAX_NAME], "phone": "+1 (555) 010-0000"}
    sections: dict[str, list[Any]] = {
        s.id: [person] * MAX_CONTACTS if s.kind == "contacts" else [line] * MAX_ITEMS
        for s in PLAN_SECTIONS}
    actions.save_safety_plan(pat, pat.user, sections)
    sign_in(page, live_server.url, "pat")
    page.goto(f"{live_server.url}/me/safety-plan/")
    page.emulate_media(media="print")
    for paper in ("Letter", "A4"):
        assert pdf_pages(page, paper) <= 2, paper
