"""At 390×844: every questionnaire option shows its words, the "Get help" bar never covers a
focused answer, a table's disclosure keeps its ▸/▾ cue, and the weekly ratings fit the screen."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.test_phone_checkin import PHONE, onboarded, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Radios whose label, once the radio has focus (and so is scrolled into view), overlaps the
# "Get help" button.
COVERED_JS = """() => {
  const fab = document.querySelector('[data-testid=get-help]').getBoundingClientRect();
  const out = [];
  for (const input of document.querySelectorAll('form input[type=radio], form button')) {
    if (!input.offsetParent && input.type !== 'radio') continue;
    if (input.closest('[hidden]')) continue;
    input.focus();
    const box = (input.closest('label') || input).getBoundingClientRect();
    if (box.width === 0) continue;
    const overlap = box.left < fab.right && box.right > fab.left
      && box.top < fab.bottom && box.bottom > fab.top;
    if (overlap) out.push(`${input.name}=${input.value}`);
  }
  return out;
}"""


def test_questionnaire_options_show_their_words_and_help_covers_none(
    page: Page, live_server: Any, artifacts: Path
) -> None:
    onboarded()
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, "pat")
    page.goto(f"{live_server.url}/me/questionnaires/phq9/")
    first = page.locator("fieldset").first
    for words in ("Not at all", "Several days", "More than half the days", "Nearly every day"):
        expect(first.get_by_text(words, exact=True)).to_be_visible()
    expect(page.get_by_role("radio", name="3 Nearly every day").first).to_be_attached()
    page.screenshot(path=str(artifacts / "phq9-phone.png"))
    assert page.evaluate(COVERED_JS) == []
    page.goto(f"{live_server.url}/me/checkin/")
    assert page.evaluate(COVERED_JS) == []
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/me/questionnaires/gad7/")
    expect(page.locator("fieldset").first.get_by_text("Nearly every day")).to_be_visible()
    page.screenshot(path=str(artifacts / "gad7-desktop.png"))


def test_table_disclosure_cue_and_weekly_ratings_fit(
    page: Page, live_server: Any, artifacts: Path
) -> None:
    from kratom_recovery.web.patients.actions import record_checkin
    from kratom_recovery.web.patients.models import Patient, UseProfile

    pat = onboarded()
    now = timezone.now()
    UseProfile.objects.filter(patient=pat).update(last_dose=now - timedelta(days=30))
    Patient.objects.filter(pk=pat.pk).update(last_use_at=now - timedelta(days=30))
    for day in (9, 2):
        record_checkin(pat, pat.user, {"craving": [3], "daily-extra": [2, 2, 2, 2, 2]},
                       now=now - timedelta(days=day))
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, "pat")
    page.goto(f"{live_server.url}/me/")
    summary = page.locator("details.chart-table > summary").first
    cue = "(el) => getComputedStyle(el, '::before').content"
    assert "▸" in summary.evaluate(cue)
    summary.click()
    assert "▾" in summary.evaluate(cue)
    region = page.get_by_role("region", name="Your own ratings")
    expect(region).to_be_visible()
    region.scroll_into_view_if_needed()
    assert region.evaluate("(el) => el.scrollWidth <= el.clientWidth + 1")
    expect(region.get_by_text("Craving").first).to_be_in_viewport()
    page.screenshot(path=str(artifacts / "weekly-ratings-phone.png"))
