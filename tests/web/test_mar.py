"""Comfort-medication orders and the administration record: the order form, doses refused
by the 24-hour maximum, hold parameters and COWS condition with nothing written, COWS before
and after, access, idempotent API writes and the FHIR bundle."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.instruments import get_instrument
from kratom_recovery.web.audit.models import AuditEntry
from kratom_recovery.web.bedside import actions
from kratom_recovery.web.bedside.models import MedicationDose, MedicationOrder
from kratom_recovery.web.exports.actions import fhir_export
from tests.support.api import call, token_for

pytestmark = pytest.mark.django_db

ORDER = {"medicine": "catapres", "dose": "0.1", "unit": "mg", "route": "oral", "kind": "prn",
         "indication": "restlessness", "cows_at_least": "8", "max_per_24h": "0.2",
         "window_minutes": "60"}
HOLD = [{"vital": "systolic", "comparator": "<", "value": "90"},
        {"vital": "pulse", "comparator": "<", "value": "55"}]
PAGES = ("mar", "mar-order")


def cows(patient: Any, clinician: Any, total_items: int, minutes_ago: int) -> None:
    """A COWS whose items score 1 each for the first `total_items` items."""
    items = get_instrument("cows").items
    answers = {item.id: 1 if i < total_items else 0 for i, item in enumerate(items)}
    actions.record_assessment(patient, clinician, "cows", answers,
                              assessed_at=timezone.now() - timedelta(minutes=minutes_ago))


def clonidine(pat: Any, cleo: Any) -> MedicationOrder:
    return actions.create_order(pat, cleo, ORDER, HOLD,
                                now=timezone.now() - timedelta(hours=3))


def test_order_form_stores_the_generic_and_refuses_a_bad_field(client: Client, pat: Any,
                                                               cleo: Any) -> None:
    client.force_login(cleo)
    url = reverse("mar-order", args=[pat.pk])
    page = client.get(url).content.decode()
    assert '<datalist id="medicine-names">' in page and 'value="catapres"' in page
    bad = client.post(url, ORDER | {"hold_0_vital": "pulse", "hold_0_comparator": "<",
                                    "hold_0_value": "300"})
    assert bad.status_code == 400 and "hold_0_value" in bad.context["form"].errors
    assert client.post(url, ORDER | {"window_minutes": ""}).status_code == 400
    assert not MedicationOrder.objects.exists()
    ok = client.post(url, ORDER | {"hold_0_vital": "systolic", "hold_0_comparator": "<",
                                   "hold_0_value": "90"})
    assert ok.status_code == 302
    order = MedicationOrder.objects.get()
    assert (order.generic, order.entered_name) == ("clonidine", "catapres")
    assert order.hold_rules == [{"vital": "systolic", "comparator": "<", "value": "90"}]
    assert AuditEntry.objects.filter(target=f"medication-order:{order.pk}").exists()


def test_a_dose_past_the_24_hour_maximum_writes_nothing(pat: Any, cleo: Any) -> None:
    order = clonidine(pat, cleo)
    actions.record_vitals(pat, cleo, {"pulse": 80, "systolic": 120, "diastolic": 70},
                          taken_at=timezone.now() - timedelta(minutes=55))
    cows(pat, cleo, 9, 56)
    for minutes in (50, 30):
        actions.record_dose(order, cleo, outcome="given",
                            at=timezone.now() - timedelta(minutes=minutes))
    with pytest.raises(InvalidInput) as caught:
        actions.record_dose(order, cleo, outcome="given", at=timezone.now())
    assert caught.value.field == "max_per_24h" and "0.3 mg" in caught.value.message
    assert MedicationDose.objects.count() == 2
    held = actions.record_dose(order, cleo, outcome="held", at=timezone.now(),
                               reason="24-hour maximum reached")
    assert held.outcome == "held"


def test_hold_parameters_refuse_on_the_latest_vitals(client: Client, pat: Any,
                                                     cleo: Any) -> None:
    order = clonidine(pat, cleo)
    cows(pat, cleo, 9, 10)
    client.force_login(cleo)
    url = reverse("mar-dose", args=[pat.pk, order.pk])
    no_vitals = client.post(url, {f"o{order.pk}-outcome": "given"})
    assert no_vitals.status_code == 400 and "no vitals in the 60 min" in \
        no_vitals.content.decode()
    actions.record_vitals(pat, cleo, {"pulse": 80, "systolic": 86, "diastolic": 50},
                          taken_at=timezone.now() - timedelta(minutes=5))
    refused = client.post(url, {f"o{order.pk}-outcome": "given"})
    html = refused.content.decode()
    assert refused.status_code == 400 and 'data-testid="dose-refused"' in html
    assert "hold:systolic" in html and "systolic &lt; 90 mmHg (measured 86" in html
    assert not MedicationDose.objects.exists()
    held = client.post(url, {f"o{order.pk}-outcome": "held"})
    assert held.status_code == 400 and "reason" in held.context["orders"][0][2].errors
    assert client.post(url, {f"o{order.pk}-outcome": "held",
                             f"o{order.pk}-reason": "systolic 86"}).status_code == 302
    actions.record_vitals(pat, cleo, {"pulse": 80, "systolic": 118, "diastolic": 70},
                          taken_at=timezone.now() - timedelta(minutes=1))
    assert client.post(url, {f"o{order.pk}-outcome": "given"}).status_code == 302
    assert list(MedicationDose.objects.values_list("outcome", flat=True)) == ["given", "held"]


def test_cows_condition_and_cows_before_and_after(client: Client, pat: Any,
                                                  cleo: Any) -> None:
    order = clonidine(pat, cleo)
    actions.record_vitals(pat, cleo, {"pulse": 80, "systolic": 120, "diastolic": 70},
                          taken_at=timezone.now() - timedelta(minutes=50))
    cows(pat, cleo, 5, 45)
    with pytest.raises(InvalidInput) as caught:
        actions.record_dose(order, cleo, outcome="given",
                            at=timezone.now() - timedelta(minutes=40))
    assert caught.value.field == "cows_at_least" and "was 5" in caught.value.message
    cows(pat, cleo, 9, 35)
    actions.record_dose(order, cleo, outcome="given", at=timezone.now() - timedelta(minutes=30))
    cows(pat, cleo, 3, 5)
    actions.record_dose(order, cleo, outcome="refused", at=timezone.now() - timedelta(minutes=1))
    client.force_login(cleo)
    page = client.get(reverse("mar", args=[pat.pk]))
    rows = {r.dose.outcome: r for r in page.context["doses"]}
    assert rows["given"].cows_before is not None and rows["given"].cows_before[1] == 9
    assert rows["given"].cows_after is not None and rows["given"].cows_after[1] == 3
    assert rows["refused"].cows_after is None
    assert "refused by the patient" in page.content.decode()


def test_stopped_order_takes_no_doses(pat: Any, cleo: Any) -> None:
    order = clonidine(pat, cleo)
    actions.stop_order(order, cleo)
    with pytest.raises(InvalidInput) as caught:
        actions.record_dose(order, cleo, outcome="refused", at=timezone.now())
    assert caught.value.field == "order" and not MedicationDose.objects.exists()


@pytest.mark.parametrize("page", PAGES)
def test_pages_are_for_the_care_team(client: Client, pat: Any, cleo: Any, otto: Any,
                                     page: str) -> None:
    url = reverse(page, args=[pat.pk])
    client.force_login(otto)
    assert client.get(url).status_code == 404
    client.force_login(pat.user)
    assert client.get(url).status_code == 403
    client.force_login(cleo)
    assert client.get(url).status_code == 200


def test_dose_post_is_for_the_care_team(client: Client, pat: Any, cleo: Any,
                                        otto: Any) -> None:
    order = clonidine(pat, cleo)
    url = reverse("mar-dose", args=[pat.pk, order.pk])
    client.force_login(otto)
    assert client.post(url, {f"o{order.pk}-outcome": "refused"}).status_code == 404
    client.force_login(pat.user)
    assert client.post(url, {f"o{order.pk}-outcome": "refused"}).status_code == 403
    assert not MedicationDose.objects.exists()


def test_api_orders_and_doses(client: Client, pat: Any, cleo: Any, otto: Any) -> None:
    path = f"/patients/{pat.pk}/medication-orders"
    body: dict[str, Any] = {
        "medicine": "ondansetron", "dose": 4, "unit": "mg", "route": "oral",
        "kind": "scheduled", "times": ["08:00", "20:00"], "max_per_24h": 8,
        "window_minutes": 30, "hold": [{"vital": "pulse", "comparator": "<", "value": 50}]}
    assert call(client, "POST", path, token_for(otto), body).status_code == 404
    assert call(client, "POST", path, token_for(pat.user), body).status_code == 403
    token = token_for(cleo)
    first = call(client, "POST", path, token, body, **{"Idempotency-Key": "o-1"})
    again = call(client, "POST", path, token, body, **{"Idempotency-Key": "o-1"})
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert MedicationOrder.objects.count() == 1
    assert "at 08:00, 20:00" in first.json()["description"]
    bad = call(client, "POST", path, token, body | {"max_per_24h": 2})
    assert bad.status_code == 422 and "max_per_24h" in bad.content.decode()
    assert MedicationOrder.objects.count() == 1
    doses = f"{path}/{first.json()['id']}/doses"
    refused = call(client, "POST", doses, token, {"outcome": "given"})
    assert refused.status_code == 422 and "vitals" in refused.content.decode()
    actions.record_vitals(pat, cleo, {"pulse": 70}, taken_at=timezone.now())
    given = call(client, "POST", doses, token, {"outcome": "given"}, **{"Idempotency-Key": "d"})
    replay = call(client, "POST", doses, token, {"outcome": "given"}, **{"Idempotency-Key": "d"})
    assert given.status_code == replay.status_code == 201
    assert replay["Idempotent-Replayed"] == "true" and MedicationDose.objects.count() == 1
    assert call(client, "POST", doses, token_for(otto), {"outcome": "held"}).status_code == 404
    listed = call(client, "GET", f"/patients/{pat.pk}/medication-doses", token_for(pat.user))
    assert listed.status_code == 200 and listed.json()["items"][0]["outcome"] == "given"
    assert call(client, "GET", path, token_for(otto)).status_code == 404


def test_bundle_holds_medication_requests_and_administrations(pat: Any, cleo: Any) -> None:
    order = clonidine(pat, cleo)
    actions.record_vitals(pat, cleo, {"pulse": 80, "systolic": 120, "diastolic": 70},
                          taken_at=timezone.now() - timedelta(minutes=5))
    cows(pat, cleo, 9, 10)
    actions.record_dose(order, cleo, outcome="given", at=timezone.now())
    actions.record_dose(order, cleo, outcome="held", at=timezone.now(), reason="asleep")
    bundle = fhir_export(pat, cleo, pseudonymous=True)
    Bundle.model_validate(bundle)
    by_type: dict[str, list[dict[str, Any]]] = {}
    for entry in bundle["entry"]:
        by_type.setdefault(entry["resource"]["resourceType"], []).append(entry)
    request = by_type["MedicationRequest"][0]
    dosage = request["resource"]["dosageInstruction"][0]
    assert dosage["maxDosePerPeriod"]["numerator"]["value"] == 0.2
    assert dosage["asNeededCodeableConcept"]["text"] == "restlessness (COWS ≥ 8)"
    statuses = sorted(e["resource"]["status"] for e in by_type["MedicationAdministration"])
    assert statuses == ["completed", "not-done"]
    assert all(e["resource"]["request"]["reference"] == request["fullUrl"]
               for e in by_type["MedicationAdministration"])


def test_demo_seeds_an_order_with_doses_given_held_and_refused(pat: Any, cleo: Any) -> None:
    from kratom_recovery.web.bedside.demo import seed_demo_bedside

    seed_demo_bedside(pat, cleo, timezone.now())
    assert MedicationOrder.objects.get().generic == "clonidine"
    assert sorted(MedicationDose.objects.values_list("outcome", flat=True)) == [
        "given", "given", "held", "refused"]
