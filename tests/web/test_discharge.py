"""The discharge and transition summary: what the page reads from a stay (highest COWS and
SOWS, vital ranges, medicines from the MAR, decisions, MOUD and naloxone, follow-up, the
relapse plan), the sharing consent, bad input, access, the API and the FHIR document."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from kratom_recovery.web.audit.models import AuditEntry
from kratom_recovery.web.exports.actions import write_discharge_summary
from kratom_recovery.web.exports.discharge import summarise
from kratom_recovery.web.exports.models import DischargeSummary
from kratom_recovery.web.recovery.actions import update_sharing
from tests.support.api import call, token_for
from tests.support.stay import MEDICINES, PEAK_COWS, make_stay

pytestmark = pytest.mark.django_db


@pytest.fixture
def stay(pat: Any, cleo: Any) -> DischargeSummary:
    row: DischargeSummary = make_stay(pat, cleo, timezone.now())
    return row


def test_summary_reads_the_stay(stay: DischargeSummary, pat: Any) -> None:
    s = summarise(stay, pat)
    assert s.stay.days == 10 and s.checkins == 10 and s.vital_sets == 20
    assert s.cows is not None and s.cows.total == PEAK_COWS and s.cows.count == 20
    assert s.sows is not None and s.sows.total == 48  # 16 items at 3 on the second day
    assert {m.description.split()[0] for m in s.medicines} == set(MEDICINES)
    assert all((m.given, m.held) == (2, 1) for m in s.medicines)
    pulse = next(v for v in s.vitals if v.label == "Pulse")
    assert pulse.text() == "74–112 /min"
    assert [d.level for d in s.decisions] == ["2.1", "3.7"]
    assert "Harbor Opioid Treatment Program" in " ".join(s.moud)
    assert "dispensed" in " ".join(s.naloxone)
    assert any("appointment" in f.text for f in s.followups)
    assert s.relapse is not None and s.relapse.naloxone == "kitchen drawer"


def test_what_the_patient_does_not_share_is_left_out(stay: DischargeSummary,
                                                     pat: Any) -> None:
    update_sharing(pat, pat.user, checkins=False, journal=False, plan=False)
    s = summarise(stay, pat)
    assert s.sows is None and s.relapse is None and s.checkins == 0
    assert len(s.withheld) == 2
    assert s.cows is not None  # the clinician's own rating stays


def test_page_form_and_print_view(client: Client, stay: DischargeSummary, pat: Any,
                                  cleo: Any) -> None:
    client.force_login(cleo)
    listing = client.get(reverse("discharge", args=[pat.pk]))
    assert listing.status_code == 200 and "home, with intensive" in listing.content.decode()
    page = client.get(reverse("discharge-summary", args=[pat.pk, stay.pk])).content.decode()
    for text in (f'data-testid="ds-cows">{PEAK_COWS}<', 'data-testid="ds-sows">48<', "ondansetron",
                 "Harbor Opioid Treatment Program", "kitchen drawer", "42 CFR Part 2",
                 "Settled; step down"):
        assert text in page
    assert AuditEntry.objects.filter(target=f"discharge-summary:{stay.pk}", action="read",
                                     actor=cleo).exists()
    today = pat.today(timezone.now()).isoformat()
    made = client.post(reverse("discharge", args=[pat.pk]), {
        "admitted_on": today, "discharged_on": today, "destination": "residential program"})
    assert made.status_code == 302 and DischargeSummary.objects.count() == 2
    assert "residential program" in client.get(made["Location"]).content.decode()


def test_a_stay_with_no_records_says_so(client: Client, pat: Any, cleo: Any) -> None:
    today = pat.today(timezone.now())
    row = write_discharge_summary(pat, cleo, {"admitted_on": today, "discharged_on": today,
                                              "destination": "home"})
    client.force_login(cleo)
    page = client.get(reverse("discharge-summary", args=[pat.pk, row.pk])).content.decode()
    for text in ("none recorded", "No vital signs recorded in the stay.",
                 "None given in the stay.", "No MOUD status recorded.",
                 "Naloxone: not recorded.", "No relapse plan written."):
        assert text in page


def test_bad_input_names_the_field_and_writes_nothing(client: Client, pat: Any,
                                                      cleo: Any) -> None:
    client.force_login(cleo)
    url = reverse("discharge", args=[pat.pk])
    today = pat.today(timezone.now())
    bad = client.post(url, {"admitted_on": today.isoformat(),
                            "discharged_on": today.replace(day=1).isoformat()
                            if today.day > 1 else "2000-01-01",
                            "destination": "home"})
    assert bad.status_code == 400 and "discharged_on" in bad.context["form"].errors
    blank = client.post(url, {"admitted_on": today.isoformat(),
                              "discharged_on": today.isoformat(), "destination": "  "})
    assert blank.status_code == 400 and "destination" in blank.context["form"].errors
    assert not DischargeSummary.objects.exists()


def test_pages_are_for_the_care_team(client: Client, stay: DischargeSummary, pat: Any,
                                     otto: Any, bob: Any) -> None:
    urls = [reverse("discharge", args=[pat.pk]),
            reverse("discharge-summary", args=[pat.pk, stay.pk]),
            reverse("discharge-fhir", args=[pat.pk, stay.pk])]
    client.force_login(otto)
    assert [client.get(u).status_code for u in urls] == [404, 404, 404]
    client.force_login(pat.user)
    assert [client.get(u).status_code for u in urls] == [403, 403, 403]
    # Pat's summary under Bob's id: not found.
    client.force_login(stay.written_by)  # type: ignore[arg-type]
    assert client.get(reverse("discharge-summary", args=[bob.pk, stay.pk])).status_code == 404


def test_fhir_document(client: Client, stay: DischargeSummary, pat: Any, cleo: Any) -> None:
    client.force_login(cleo)
    response = client.get(reverse("discharge-fhir", args=[pat.pk, stay.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/fhir+json")
    bundle = json.loads(response.content)
    Bundle.model_validate(bundle)
    assert bundle["type"] == "document"
    composition = bundle["entry"][0]["resource"]
    assert composition["resourceType"] == "Composition"
    assert composition["type"]["coding"][0]["code"] == "18842-5"
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("MedicationAdministration") == 10  # the doses given in the stay
    assert {"MedicationStatement", "ServiceRequest", "MedicationDispense"} <= set(kinds)
    assert AuditEntry.objects.filter(target=f"discharge-summary:{stay.pk}",
                                     action="export").exists()


def test_api(client: Client, pat: Any, cleo: Any, otto: Any) -> None:
    path = f"/patients/{pat.pk}/discharge-summaries"
    today = pat.today(timezone.now()).isoformat()
    body = {"admitted_on": today, "discharged_on": today, "destination": "home"}
    assert call(client, "POST", path, token_for(otto), body).status_code == 404
    assert call(client, "POST", path, token_for(pat.user), body).status_code == 403
    token = token_for(cleo)
    first = call(client, "POST", path, token, body, **{"Idempotency-Key": "d-1"})
    again = call(client, "POST", path, token, body, **{"Idempotency-Key": "d-1"})
    assert first.status_code == again.status_code == 201
    assert DischargeSummary.objects.count() == 1
    bad = call(client, "POST", path, token, body | {"admitted_on": "2099-01-01"})
    assert bad.status_code == 422 and "admitted_on" in bad.content.decode()
    document = call(client, "GET", f"{path}/{first.json()['id']}/fhir", token)
    assert document.status_code == 200
    Bundle.model_validate(document.json())
    assert call(client, "GET", f"{path}/{first.json()['id']}/fhir",
                token_for(otto)).status_code == 404


def test_demo_patient_leaves_with_moud_naloxone_and_a_summary(pat: Any, cleo: Any) -> None:
    from kratom_recovery.web.bedside.demo import seed_demo_bedside
    from kratom_recovery.web.exports.demo import DEMO_SERVICE, seed_demo_discharge

    now = timezone.now()
    seed_demo_bedside(pat, cleo, now)
    s = summarise(seed_demo_discharge(pat, cleo, now), pat, now)
    assert s.cows is not None and s.vital_sets == 5 and s.medicines[0].given == 2
    assert DEMO_SERVICE in " ".join(s.moud) and "dispensed" in " ".join(s.naloxone)
    assert s.decisions[0].level == "2.1" and s.followups
