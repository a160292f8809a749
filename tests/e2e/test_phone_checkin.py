"""The patient's phone at 390×844: crisis buttons in the first screen, the check-in one screen
at a time with progress, answers kept across a reload, focus on the error summary, and no text
under 16 px."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, ViewportSize, expect

from kratom_recovery.care.instruments import get_instrument
from tests.support.personas import PASSWORD, make_patient, profile_data

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 390, "height": 844}
# Text smaller than 16 px as the reader sees it (SVG text scaled by its viewBox), ignoring
# what is not shown and screen-reader-only text (clipped to 1 px).
SMALL_TEXT_JS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    if (el.closest('[hidden], details:not([open]) > :not(summary)')) continue;
    let size = parseFloat(getComputedStyle(el).fontSize);
    const svg = el.closest('svg');
    if (svg && svg.viewBox.baseVal && svg.viewBox.baseVal.width) {
      size *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    }
    if (size < 15.95) out.push(`${el.tagName} ${size.toFixed(1)} ${el.textContent.trim()}`);
  }
  return out;
}"""


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def onboarded(username: str = "pat", clinician: Any = None) -> Any:
    from kratom_recovery.web.patients.actions import complete_onboarding

    patient = make_patient(username, clinician, onboard=False)
    now = timezone.now()
    complete_onboarding(patient, patient.user, profile_data(
        last_dose=(now - timedelta(hours=60)).isoformat()), now=now)
    return patient


def answer_screen(page: Page, values: dict[str, str]) -> None:
    for name, value in values.items():
        page.locator(f"input[name='{name}'][value='{value}']").check(force=True)


def sows(start: int, end: int, value: str = "1") -> dict[str, str]:
    return {f"sows-{item.id}": value for item in get_instrument("sows").items[start:end]}


def test_checkin_one_screen_at_a_time_with_progress_reload_and_error_focus(
    page: Page, live_server: Any, artifacts: Path
) -> None:
    onboarded()
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, "pat")
    page.goto(f"{live_server.url}/me/checkin/")
    form = page.locator("#checkin-form")
    progress = page.locator("#checkin-progress")
    expect(progress).to_have_text("Screen 1 of 5 · 0 of 23 answered")
    expect(page.locator("#screen-sows-1")).to_be_hidden()
    assert page.evaluate(SMALL_TEXT_JS) == []

    # Next with a question unanswered: a summary that takes focus, and nothing moves on.
    page.get_by_test_id("next").first.click()
    summary = form.locator(".screen-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("thoughts that you would be better off dead")
    answer_screen(page, {"self_harm_thoughts": "no", "craving-craving": "3"})
    expect(progress).to_have_text("Screen 1 of 5 · 2 of 23 answered")
    page.locator("#screen-now").get_by_test_id("next").click()
    expect(page.locator("#screen-sows-1")).to_be_visible()
    answer_screen(page, sows(0, 4))

    # A reload (or a dropped connection) keeps the answers and the screen.
    page.reload()
    expect(progress).to_have_text("Screen 2 of 5 · 6 of 23 answered")
    expect(page.locator("input[name='craving-craving'][value='3']")).to_be_checked()
    expect(page.locator(".draft-restored")).to_be_visible()
    page.screenshot(path=str(artifacts / "checkin-phone-restored.png"))

    answer_screen(page, sows(4, 8))
    page.locator("#screen-sows-1").get_by_test_id("next").click()
    answer_screen(page, sows(8, 16))
    page.locator("#screen-sows-2").get_by_test_id("next").click()
    answer_screen(page, {f"daily-extra-{i.id}": "1" for i in get_instrument("daily-extra").items
                         if not i.optional})
    page.locator("#screen-extras").get_by_test_id("next").click()
    expect(progress).to_have_text("Screen 5 of 5 · 23 of 23 answered")
    page.get_by_test_id("save-checkin").click()

    card = page.get_by_test_id("result-card")
    expect(card).to_be_visible()
    expect(card.get_by_test_id("result-total")).to_have_text("16 of 64")
    expect(card.get_by_test_id("result-place")).to_contain_text("day 2")
    expect(card.get_by_test_id("result-eases")).to_be_visible()
    expect(card.locator("circle.chart-today")).to_have_count(1)
    assert page.evaluate("() => Object.keys(sessionStorage).filter(k => "
                         "k.startsWith('checkin-draft:')).length") == 0
    page.screenshot(path=str(artifacts / "checkin-result-phone.png"), full_page=True)


def test_server_error_summary_takes_focus_without_javascript(
    browser: Browser, live_server: Any
) -> None:
    onboarded()
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, live_server.url, "pat")
        page.goto(f"{live_server.url}/me/checkin/?quick=1")
        expect(page.locator("#screen-sows-1")).to_have_count(0)  # quick: safety and craving
        page.get_by_test_id("save-checkin").click()
        summary = page.locator("#form-summary")
        expect(summary).to_be_focused()
        expect(summary.locator("a")).to_have_count(2)  # self-harm and craving
    finally:
        context.close()


def test_crisis_buttons_fill_the_first_phone_screen(
    page: Page, live_server: Any, artifacts: Path
) -> None:
    from kratom_recovery.web.accounts.actions import create_staff_user
    from kratom_recovery.web.patients.actions import record_checkin

    cleo = create_staff_user("cleo", PASSWORD, "clinician", "Cleo")
    pat = onboarded(clinician=cleo)
    record_checkin(pat, pat.user, {"craving": [6]}, self_harm_thoughts=True)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, "pat")
    page.goto(f"{live_server.url}/me/")
    buttons = page.get_by_test_id("crisis-buttons")
    for href in ("tel:988", "sms:988", "tel:911"):
        box = buttons.locator(f"a[href='{href}']").bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"], href
        assert box["height"] >= 48
    expect(page.get_by_test_id("get-help")).to_be_in_viewport()
    page.mouse.wheel(0, 3000)
    expect(page.get_by_test_id("get-help")).to_be_in_viewport()
    assert page.locator("footer a[href='tel:911']").count() == 1
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    assert page.evaluate(SMALL_TEXT_JS) == []
    page.screenshot(path=str(artifacts / "crisis-first-phone.png"))


PATIENT_PAGES = ("/me/", "/me/checkin/", "/me/checkin/?quick=1", "/me/coping/?saved=1", "/help/",
                 "/me/tapers/", "/me/progress/", "/me/messages/", "/me/plan/", "/me/journal/",
                 "/learn/", "/me/follow-up/", "/me/data/", "/me/contact/")


def test_no_text_under_16px_on_patient_pages_at_390(page: Page, live_server: Any) -> None:
    from kratom_recovery.web.patients.actions import record_checkin
    from kratom_recovery.web.tapers.actions import start_taper

    pat = onboarded()
    now = timezone.now()
    for day in (2, 1, 0):
        record_checkin(pat, pat.user, {"sows": [1] * 16, "craving": [day + 2]},
                       now=now - timedelta(days=day))
    start_taper(pat, pat.user, {"product": "leaf", "amount_per_day": "15", "unit": "g",
                                "doses_per_day": 3, "years_of_use": "2", "strategy": "percent",
                                "rate_percent": "10", "step_days": 7,
                                "start": pat.today(now).isoformat()}, now=now)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, "pat")
    found = {}
    for path in PATIENT_PAGES:
        response = page.goto(live_server.url + path)
        assert response is not None and response.ok, path
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        if small := page.evaluate(SMALL_TEXT_JS):
            found[path] = small[:3]
    assert found == {}
