"""One triage of a profile document for the CLI and the API, and one ZIP rule everywhere a
ZIP is read (care/triage.triage_document, care/resources.check_zip)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kratom_recovery.cli import main
from kratom_recovery.web.followup.models import Referral
from kratom_recovery.web.followup.referrals import actions as directory
from tests.support.api import call, token_for

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
DOCUMENT: dict[str, Any] = {
    "product": "leaf", "amount_per_day": 10, "unit": "g", "doses_per_day": 2,
    "years_of_use": 1, "danger_symptoms": ["chest-pain"],
    "answers": {"phq9": [1, 1, 1, 1, 1, 1, 1, 1, 0]}, "zip": "20001-1234",
}


def locator(payload: dict[str, Any]) -> str:
    hrefs = [c["href"] for r in payload["resources"] for c in r["contacts"]]
    return str(next(h for h in hrefs if "findtreatment.gov/locator" in h))


def test_cli_and_api_triage_a_document_alike(client: Client, pat: Any, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(DOCUMENT), encoding="utf-8")
    assert main(["triage", "--profile", str(path), "--format", "json"]) == 0
    from_cli = json.loads(capsys.readouterr().out)
    response = call(client, "POST", "/triage", token_for(pat.user), DOCUMENT)
    assert response.status_code == 200, response.content
    assert response.json() == from_cli
    assert locator(from_cli).endswith("sAddr=20001")  # ZIP+4 kept as its five digits


@pytest.mark.parametrize("bad", ["2000", "20001 ", "20001-12", "２０００１"])
def test_cli_and_api_refuse_the_same_zip(client: Client, pat: Any, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str], bad: str) -> None:
    path = tmp_path / "profile.json"
    path.write_text(json.dumps({**DOCUMENT, "zip": bad}), encoding="utf-8")
    assert main(["triage", "--profile", str(path)]) == 2
    assert "zip" in capsys.readouterr().err
    response = call(client, "POST", "/triage", token_for(pat.user), {**DOCUMENT, "zip": bad})
    assert response.status_code == 422


def test_zip_plus_four_in_forms_and_imports(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    response = client.get(reverse("find-treatment"), {"zip": " 20001-1234 "})
    assert response["Location"] == "https://findtreatment.gov/locator?sAddr=20001"
    page = client.get(reverse("directory"), {"zip": "10001-0001", "radius": "100"})
    assert page.status_code == 200 and not page.context["form"].errors
    bad = client.get(reverse("directory"), {"zip": "10001-1"})
    assert bad.context["form"].errors["zip"]

    csv = ("name,kind,street,city,state,zip\n"
           "Example Plus Four,outpatient,1 Example Way,Boston,MA,02108-1234\n"
           "Sample Blank Zip,outpatient,2 Example Way,Boston,MA,\n")
    report = directory.import_csv(csv.encode(), source="test", pulled_on=date(2026, 11, 1),
                                  actor=None, now=NOW)
    assert report.created == 1
    assert Referral.objects.get(name="Example Plus Four").zip == "02108"
    assert [message.split(":")[0] for _line, message in report.errors] == ["zip"]
