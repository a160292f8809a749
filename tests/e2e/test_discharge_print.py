"""The discharge summary prints on one page in Letter and in A4 with a full stay (10
check-ins, 20 sets of vitals, 5 medicines), through Chromium's own print to PDF."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.support.personas import PASSWORD, make_patient
from tests.support.stay import make_stay

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def pages_in(pdf: bytes) -> int:
    """Page objects in a PDF (Chromium writes each page as an uncompressed /Type /Page)."""
    return len(PAGE_OBJECT.findall(pdf))


def test_summary_prints_on_one_page(page: Page, live_server: Any, artifacts: Path) -> None:
    from kratom_recovery.web.accounts.actions import create_staff_user

    cleo = create_staff_user("cleo", PASSWORD, "clinician", "Cleo")
    pat = make_patient("pat", cleo)
    row = make_stay(pat, cleo, timezone.now())
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "cleo")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/clinic/patients/{pat.pk}/discharge/{row.pk}/")
    summary = page.get_by_test_id("discharge-summary")
    expect(summary).to_contain_text("ondansetron")
    expect(page.get_by_test_id("ds-vitals")).to_contain_text("20 sets")
    expect(page.get_by_test_id("ds-medicines").locator("tbody tr")).to_have_count(5)
    for paper in ("Letter", "A4"):
        pdf = page.pdf(format=paper, print_background=False)
        (artifacts / f"discharge-{paper.lower()}.pdf").write_bytes(pdf)
        assert pages_in(pdf) == 1, f"{paper}: {pages_in(pdf)} pages"
        assert re.search(rb"/Type\s*/Pages\b[^>]*/Count 1\b", pdf) or b"/Count 1" in pdf
    assert pages_in(b"<< /Type /Pages /Kids [3 0 R 4 0 R] >> << /Type /Page >>"
                    b"<< /Type /Page /Parent 2 0 R >>") == 2  # the counter itself
