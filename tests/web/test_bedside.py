"""Bedside records: vitals flowsheet, serial COWS and CIWA-Ar, orders, labs; access,
idempotent API writes, alerts, the caseload's due list and the FHIR bundle."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.instruments import get_instrument
from kratom_recovery.care.vitals import VITALS
from kratom_recovery.web.audit.models import AuditEntry
from kratom_recovery.web.bedside import actions
from kratom_recovery.web.bedside.defaults import ensure_default_analytes
from kratom_recovery.web.bedside.models import LabAnalyte, LabResult, VitalSigns
from kratom_recovery.web.exports.actions import fhir_export
from kratom_recovery.web.patients.models import InstrumentResponse
from kratom_recovery.web.safety.models import Alert
from tests.support.api import call, token_for

pytestmark = pytest.mark.django_db

PAGES = ("vitals", "cows", "ciwa-ar", "labs", "bedside-orders")


def cows_items(values: list[int]) -> dict[str, str]:
    items = get_instrument("cows").items
    return {f"cows-{item.id}": str(v) for item, v in zip(items, values, strict=True)
            if v is not None}


# --- ranges: each bound ±1, nothing written ------------------------------------------------


@pytest.mark.parametrize("vital", VITALS, ids=[v.name for v in VITALS])
def test_vitals_bounds_through_the_action(pat: Any, cleo: Any, vital: Any) -> None:
    now = timezone.now()
    pair = {"systolic": {"diastolic": 20}, "diastolic": {"systolic": 260}}.get(vital.name, {})
    for bad in (vital.low - 1, vital.high + 1):
        with pytest.raises(InvalidInput) as caught:
            actions.record_vitals(pat, cleo, {vital.name: bad, **pair}, taken_at=now)
        assert caught.value.field == vital.name
    assert not VitalSigns.objects.exists()
    for ok in (vital.low, vital.high):
        actions.record_vitals(pat, cleo, {vital.name: ok, **pair}, taken_at=now)
    assert VitalSigns.objects.count() == 2


def test_vitals_page_names_the_field_and_writes_nothing(client: Client, pat: Any,
                                                        cleo: Any) -> None:
    client.force_login(cleo)
    response = client.post(reverse("vitals", args=[pat.pk]), {"pulse": "251", "spo2": "97"})
    assert response.status_code == 400
    assert "pulse" in response.context["form"].errors
    assert "20–250" in response.content.decode()
    assert not VitalSigns.objects.exists() and not Alert.objects.exists()


def test_vitals_page_saves_and_shows_trends(client: Client, pat: Any, cleo: Any) -> None:
    client.force_login(cleo)
    url = reverse("vitals", args=[pat.pk])
    earlier = timezone.localtime() - timedelta(hours=2)
    assert client.post(url, {"taken_at": earlier.strftime("%Y-%m-%dT%H:%M"), "pulse": "88",
                             "systolic": "128", "diastolic": "84"}).status_code == 302
    assert client.post(url, {"pulse": "104", "temperature_c": "37.6"}).status_code == 302
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert [r.pulse for r in VitalSigns.objects.order_by("taken_at")] == [88, 104]
    assert "<svg" in html and "↑" in html  # pulse chart and a rising arrow
    assert "104 <span class=\"small\">(2)</span>" in html  # COWS item 1 for 104/min
    assert AuditEntry.objects.filter(actor=cleo, patient=pat, target="vitals").exists()


def test_future_or_stale_times_are_refused(pat: Any, cleo: Any) -> None:
    now = timezone.now()
    for when in (now + timedelta(hours=1), now - timedelta(days=8)):
        with pytest.raises(InvalidInput) as caught:
            actions.record_vitals(pat, cleo, {"pulse": 80}, taken_at=when)
        assert caught.value.field == "taken_at"
    assert not VitalSigns.objects.exists()


# --- access -------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_care_team_clinician_reaches_every_bedside_page(client: Client, pat: Any, cleo: Any,
                                                        page: str) -> None:
    client.force_login(cleo)
    assert client.get(reverse(page, args=[pat.pk])).status_code == 200


@pytest.mark.parametrize(("who", "status"), [("otto", 404), ("pat", 403)])
@pytest.mark.parametrize("page", PAGES)
def test_others_are_refused_and_nothing_is_written(client: Client, pat: Any, otto: Any,
                                                   who: str, status: int, page: str) -> None:
    client.force_login(otto if who == "otto" else pat.user)
    url = reverse(page, args=[pat.pk])
    assert client.get(url).status_code == status
    body = {"pulse": "80", "resting_pulse": "80", "mitragynine": "positive",
            "interval_minutes": "60", **cows_items([0] * 11)}
    assert client.post(url, body).status_code == status
    assert not VitalSigns.objects.exists() and not LabResult.objects.exists()
    assert not InstrumentResponse.objects.filter(instrument__in=["cows", "ciwa-ar"]).exists()


def test_actions_refuse_a_clinician_off_the_team(pat: Any, otto: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        actions.record_vitals(pat, otto, {"pulse": 80}, taken_at=timezone.now())
    assert caught.value.field == "role"


# --- serial COWS -----------------------------------------------------------------------------


def test_typed_pulse_scores_cows_item_one(client: Client, pat: Any, cleo: Any) -> None:
    client.force_login(cleo)
    values: list[Any] = [None, 1, 3, 1, 2, 1, 2, 1, 1, 2, 3]  # item 1 left untapped
    response = client.post(reverse("cows", args=[pat.pk]),
                           {"resting_pulse": "112", **cows_items(values)})
    assert response.status_code == 302
    saved = InstrumentResponse.objects.get(patient=pat, instrument="cows")
    assert saved.answers[0] == 2  # 101-120/min scores 2 [ref:wesson-ling2003]
    assert saved.total == 19
    assert VitalSigns.objects.get(patient=pat).pulse == 112  # also on the flowsheet


def test_pulse_and_tapped_item_must_agree(client: Client, pat: Any, cleo: Any) -> None:
    client.force_login(cleo)
    response = client.post(reverse("cows", args=[pat.pk]),
                           {"resting_pulse": "75", **cows_items([4, *[0] * 10])})
    assert response.status_code == 400
    assert "cows-resting-pulse" in response.context["form"].errors
    assert not InstrumentResponse.objects.exists() and not VitalSigns.objects.exists()


def test_assessed_at_and_next_due(client: Client, pat: Any, cleo: Any) -> None:
    client.force_login(cleo)
    actions.set_orders(pat, cleo, interval_minutes="120", limits={})
    assessed = timezone.localtime() - timedelta(minutes=30)
    response = client.post(reverse("cows", args=[pat.pk]), {
        "assessed_at": assessed.strftime("%Y-%m-%dT%H:%M"), **cows_items([0] * 11)})
    assert response.status_code == 302
    saved = InstrumentResponse.objects.get(instrument="cows")
    assert saved.recorded_at == assessed.replace(second=0, microsecond=0)
    page = client.get(reverse("cows", args=[pat.pk]))
    due = page.context["due"]
    assert due.due_at == saved.recorded_at + timedelta(minutes=120)
    assert due.status == "upcoming"
    html = page.content.decode()
    assert 'id="live-score"' in html and "js/bedside-score.js" in html and "nonce=" in html


def test_ciwa_ar_is_recorded_like_cows(client: Client, pat: Any, cleo: Any) -> None:
    client.force_login(cleo)
    items = get_instrument("ciwa-ar").items
    body = {f"ciwa-ar-{item.id}": "2" for item in items[:9]}
    body["ciwa-ar-orientation"] = "1"
    assert client.post(reverse("ciwa-ar", args=[pat.pk]), body).status_code == 302
    saved = InstrumentResponse.objects.get(instrument="ciwa-ar")
    assert (saved.total, saved.band, saved.recorded_by) == (19, "severe", cleo)
    body["ciwa-ar-orientation"] = "5"
    response = client.post(reverse("ciwa-ar", args=[pat.pk]), body)
    assert response.status_code == 400 and "ciwa-ar-orientation" in response.context["form"].errors
    assert InstrumentResponse.objects.filter(instrument="ciwa-ar").count() == 1


# --- alerts --------------------------------------------------------------------------------


def test_only_limits_someone_set_raise_alerts(pat: Any, cleo: Any) -> None:
    from kratom_recovery.web.program.models import ProgramSettingsRow

    now = timezone.now()
    actions.record_vitals(pat, cleo, {"pulse": 170, "temperature_c": "39.0"}, taken_at=now)
    assert not Alert.objects.filter(rule__startswith="vitals-").exists()  # nothing built in
    actions.set_orders(pat, cleo, interval_minutes="", limits={"spo2_below": "92"})
    actions.record_vitals(pat, cleo, {"spo2": 92}, taken_at=now)
    assert not Alert.objects.filter(rule__startswith="vitals-").exists()
    actions.record_vitals(pat, cleo, {"spo2": 91}, taken_at=now)
    assert list(Alert.objects.filter(rule__startswith="vitals-").values_list("rule", flat=True)) \
        == ["vitals-spo2-below"]
    # Once the program has saved its settings, its pulse line raises an alert.
    ProgramSettingsRow.objects.create(clinical={"pulse_limit": 110})
    actions.record_vitals(pat, cleo, {"pulse": 110}, taken_at=now)
    assert not Alert.objects.filter(rule="vitals-pulse-above").exists()
    actions.record_vitals(pat, cleo, {"pulse": 111}, taken_at=now)
    alert = Alert.objects.get(rule="vitals-pulse-above")
    assert "program" in alert.clinician_message and "111" not in alert.patient_message


# --- labs ----------------------------------------------------------------------------------


@pytest.fixture
def default_analytes(db: None) -> None:
    """The seeded analytes, present whatever ran before (a transactional test flushes the
    rows the data migration wrote)."""
    ensure_default_analytes()


def test_an_emptied_analyte_table_gets_the_defaults_back(client: Client, pat: Any,
                                                         cleo: Any, ada: Any) -> None:
    LabAnalyte.objects.all().delete()
    client.force_login(cleo)
    page = client.get(reverse("labs", args=[pat.pk]))
    assert page.status_code == 200 and 'name="alt"' in page.content.decode()
    LabAnalyte.objects.all().delete()
    actions.record_labs(pat, cleo, {"mitragynine": "positive"}, collected_at=timezone.now())
    LabAnalyte.objects.update(active=False)
    with pytest.raises(InvalidInput):  # a program that retired every analyte is not refilled
        actions.record_labs(pat, cleo, {"alt": "30"}, collected_at=timezone.now())
    client.force_login(ada)
    html = client.get(reverse("lab-analytes")).content.decode()
    assert "Kratom (mitragynine)" in html
    assert ensure_default_analytes() == 0 and not LabAnalyte.objects.filter(active=True).exists()


@pytest.mark.usefixtures("default_analytes")
def test_labs_are_flagged_against_the_programs_range(client: Client, pat: Any, cleo: Any,
                                                     ada: Any) -> None:
    alt = LabAnalyte.objects.get(code="alt")
    assert (alt.low, alt.high) == (None, None)  # no built-in range
    client.force_login(ada)
    edit = reverse("lab-analyte-edit", args=[alt.pk])
    refused = client.post(edit, {f"a{alt.pk}-name": "ALT", f"a{alt.pk}-low": "50",
                                 f"a{alt.pk}-high": "7", f"a{alt.pk}-active": "on"})
    assert refused.status_code == 400
    assert client.post(edit, {f"a{alt.pk}-name": "ALT", f"a{alt.pk}-high": "40",
                              f"a{alt.pk}-active": "on"}).status_code == 302
    client.force_login(cleo)
    page = client.get(reverse("labs", args=[pat.pk])).content.decode()
    assert "do not detect" in page and "specific assay" in page
    response = client.post(reverse("labs", args=[pat.pk]), {
        "alt": "41", "ast": "400", "mitragynine": "positive", "opiates": "negative"})
    assert response.status_code == 302
    flags = dict(LabResult.objects.values_list("analyte__code", "flag"))
    assert flags == {"alt": "high", "ast": "", "mitragynine": "positive", "opiates": ""}
    assert LabResult.objects.get(analyte__code="alt").high == Decimal("40.00")


def test_bad_lab_value_names_the_analyte_and_writes_nothing(client: Client, pat: Any,
                                                           cleo: Any) -> None:
    client.force_login(cleo)
    response = client.post(reverse("labs", args=[pat.pk]), {"alt": "lots", "ast": "30"})
    assert response.status_code == 400 and "alt" in response.context["form"].errors
    assert not LabResult.objects.exists()


def test_analyte_page_is_for_program_admins(client: Client, cleo: Any, ada: Any) -> None:
    client.force_login(cleo)
    assert client.get(reverse("lab-analytes")).status_code == 403
    client.force_login(ada)
    html = client.get(reverse("lab-analytes")).content.decode()
    assert "UNVERIFIED" in html and "Kratom (mitragynine)" in html
    assert client.post(reverse("lab-analyte-new"), {
        "code": "ethanol", "name": "Ethanol", "panel": "uds", "kind": "qualitative",
        "loinc": "X-1"}).status_code == 302
    added = LabAnalyte.objects.get(code="ethanol")
    assert (added.loinc, added.code_status) == ("X-1", "program")


# --- API -----------------------------------------------------------------------------------


def test_api_access_and_idempotent_post(client: Client, pat: Any, cleo: Any,
                                        otto: Any) -> None:
    path = f"/patients/{pat.pk}/vitals"
    body = {"pulse": 96, "systolic": 132, "diastolic": 86, "temperature_c": 37.2}
    assert call(client, "POST", path, token_for(otto), body).status_code == 404
    assert call(client, "POST", path, token_for(pat.user), body).status_code == 403
    cleo_token = token_for(cleo)
    first = call(client, "POST", path, cleo_token, body, **{"Idempotency-Key": "k-1"})
    again = call(client, "POST", path, cleo_token, body, **{"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and first.json() == again.json()
    assert VitalSigns.objects.count() == 1
    other = call(client, "POST", path, cleo_token, {"pulse": 70}, **{"Idempotency-Key": "k-1"})
    assert other.status_code == 422
    too_fast = call(client, "POST", path, cleo_token, {"pulse": 251})
    assert too_fast.status_code == 422 and "pulse" in too_fast.content.decode()
    assert VitalSigns.objects.count() == 1
    listed = call(client, "GET", path, token_for(pat.user))
    assert listed.status_code == 200 and listed.json()["items"][0]["pulse"] == 96
    assert call(client, "GET", path, token_for(otto)).status_code == 404


def test_api_assessment_and_labs(client: Client, pat: Any, cleo: Any) -> None:
    token = token_for(cleo)
    answers = {item.id: 0 for item in get_instrument("cows").items[1:]}
    response = call(client, "POST", f"/patients/{pat.pk}/assessments/cows", token,
                    {"answers": answers, "resting_pulse": 125}, **{"Idempotency-Key": "c1"})
    assert response.status_code == 201 and response.json()["answers"][0] == 4
    replay = call(client, "POST", f"/patients/{pat.pk}/assessments/cows", token,
                  {"answers": answers, "resting_pulse": 125}, **{"Idempotency-Key": "c1"})
    assert replay.status_code == 201
    assert InstrumentResponse.objects.filter(instrument="cows").count() == 1
    bad = call(client, "POST", f"/patients/{pat.pk}/assessments/ciwa-ar", token,
               {"answers": {"orientation": 9}})
    assert bad.status_code == 422
    labs = call(client, "POST", f"/patients/{pat.pk}/labs", token,
                {"results": {"7-oh-mitragynine": "positive", "qtc": 430}},
                **{"Idempotency-Key": "l1"})
    assert labs.status_code == 201
    assert {r["analyte"]: r["flag"] for r in labs.json()} == {"7-oh-mitragynine": "positive",
                                                              "qtc": None}
    assert call(client, "POST", f"/patients/{pat.pk}/labs", token,
                {"results": {"unknown-test": "positive"}}).status_code == 422
    assert LabResult.objects.count() == 2
    assert call(client, "POST", f"/patients/{pat.pk}/labs", token_for(pat.user),
                {"results": {"qtc": 430}}).status_code == 403


# --- caseload and FHIR -------------------------------------------------------------------------


def test_caseload_lists_due_assessments_in_constant_queries(
    client: Client, cleo: Any, make_patient: Any,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cleo)
    counts = []
    patients = []
    for batch in range(2):
        for i in range(3):
            patient = make_patient(f"p{batch}{i}", cleo)
            actions.set_orders(patient, cleo, interval_minutes="60", limits={})
            patients.append(patient)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("caseload"))
        counts.append(len(queries))
    assert counts[0] == counts[1]  # the due list costs one query for any caseload
    assert {row.patient.pk for row in response.context["assessments_due"]} == {
        p.pk for p in patients}
    actions.record_assessment(patients[0], cleo, "cows",
                              {i.id: 0 for i in get_instrument("cows").items},
                              assessed_at=timezone.now())
    response = client.get(reverse("caseload"))
    assert patients[0].pk not in {r.patient.pk for r in response.context["assessments_due"]}
    assert 'data-testid="assessments-due"' in response.content.decode()


def test_bundle_holds_vitals_and_labs(pat: Any, cleo: Any) -> None:
    now = timezone.now()
    actions.record_vitals(pat, cleo, {"pulse": 90, "systolic": 120, "diastolic": 80,
                                      "spo2": 98}, taken_at=now)
    actions.record_labs(pat, cleo, {"alt": "30", "mitragynine": "negative"}, collected_at=now)
    bundle = fhir_export(pat, cleo, pseudonymous=True)
    Bundle.model_validate(bundle)
    observations = [e["resource"] for e in bundle["entry"]
                    if e["resource"]["resourceType"] == "Observation"]
    categories = [o["category"][0]["coding"][0]["code"] for o in observations]
    assert categories.count("vital-signs") == 4 and categories.count("laboratory") == 2
