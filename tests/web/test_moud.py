"""MOUD status and referral, naloxone and MOUD check-ins: the page, naltrexone refused before
withdrawal is complete with nothing written, audit entries, access, idempotent API writes, the
follow-up schedule's MOUD check-ins, the chart card and the FHIR bundle."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.audit.models import AuditEntry
from kratom_recovery.web.exports.actions import fhir_export, personal_download
from kratom_recovery.web.followup.actions import set_anchor
from kratom_recovery.web.followup.models import MoudCheckin, MoudRecord, NaloxoneRecord
from kratom_recovery.web.followup.moud import actions
from kratom_recovery.web.followup.views import followup_context
from kratom_recovery.web.patients.models import Patient
from tests.support.api import call, token_for

pytestmark = pytest.mark.django_db


def today(pat: Any) -> str:
    return str(pat.today(timezone.now()).isoformat())


def bup(pat: Any) -> dict[str, Any]:
    return {"medication": "buprenorphine", "status": "referred", "on": today(pat),
            "referred_to": "Harbor OTP", "referred_on": today(pat), "referral_status": "sent"}


def test_page_records_status_naloxone_and_checkin(client: Client, pat: Any,
                                                  cleo: Any) -> None:
    client.force_login(cleo)
    url = reverse("moud", args=[pat.pk])
    page = client.get(url)
    assert page.status_code == 200 and "No MOUD status recorded" in page.content.decode()
    moud = {f"moud-{k}": v for k, v in bup(pat).items()} | {"which": "moud"}
    assert client.post(url, moud).status_code == 302
    kit = {"which": "naloxone", "naloxone-action": "dispensed", "naloxone-on": today(pat),
           "naloxone-note": "nasal spray"}
    assert client.post(url, kit).status_code == 302
    check = {"which": "checkin", "checkin-on": today(pat), "checkin-answer": "taking"}
    assert client.post(url, check).status_code == 302
    shown = client.get(url).content.decode()
    assert "Referred to Harbor OTP" in shown and "dispensed (kit handed over)" in shown
    row = MoudRecord.objects.get()
    for target in (f"moud:{row.pk}", f"naloxone:{NaloxoneRecord.objects.get().pk}",
                   f"moud-checkin:{MoudCheckin.objects.get().pk}", "moud"):
        assert AuditEntry.objects.filter(target=target, actor=cleo).exists()


def test_naltrexone_before_withdrawal_is_complete_is_refused(client: Client, pat: Any,
                                                             cleo: Any) -> None:
    client.force_login(cleo)
    url = reverse("moud", args=[pat.pk])
    data = {"which": "moud", "moud-medication": "naltrexone", "moud-status": "started",
            "moud-on": today(pat)}
    refused = client.post(url, data)
    assert refused.status_code == 400
    errors = refused.context["forms"]["moud"].errors
    assert "withdrawal_complete_on" in errors
    assert "precipitate withdrawal" in errors["withdrawal_complete_on"][0]
    assert not MoudRecord.objects.exists()
    last_use = pat.today(pat.profile.last_dose)  # the onboarding's last dose
    too_early = client.post(url, data | {"moud-withdrawal_complete_on": last_use.isoformat()})
    assert too_early.status_code == 400 and not MoudRecord.objects.exists()
    assert "kratom use was logged" in str(too_early.context["forms"]["moud"].errors)
    # Discussed before then: kept, with the caution on the record and the chart.
    assert client.post(url, data | {"moud-status": "discussed"}).status_code == 302
    assert MoudRecord.objects.get().caution.startswith("Withdrawal is not yet recorded")
    done = (last_use + timedelta(days=1)).isoformat()
    assert client.post(url, data | {"moud-withdrawal_complete_on": done}).status_code == 302
    assert MoudRecord.objects.order_by("-pk").first().caution == ""  # type: ignore[union-attr]


def test_bad_input_names_the_field_and_writes_nothing(client: Client, pat: Any,
                                                      cleo: Any) -> None:
    client.force_login(cleo)
    url = reverse("moud", args=[pat.pk])
    future = (pat.today(timezone.now()) + timedelta(days=3)).isoformat()
    bad = client.post(url, {"which": "naloxone", "naloxone-action": "offered",
                            "naloxone-on": future})
    assert bad.status_code == 400 and "on" in bad.context["forms"]["naloxone"].errors
    no_status = client.post(url, {"which": "checkin", "checkin-on": today(pat),
                                  "checkin-answer": "taking"})
    assert no_status.status_code == 400
    assert not NaloxoneRecord.objects.exists() and not MoudCheckin.objects.exists()
    with pytest.raises(InvalidInput) as caught:
        actions.record_moud(pat, cleo, bup(pat) | {"referred_to": ""})
    assert caught.value.field == "referred_to"


def test_page_is_for_the_care_team(client: Client, pat: Any, otto: Any) -> None:
    url = reverse("moud", args=[pat.pk])
    client.force_login(otto)
    assert client.get(url).status_code == 404
    assert client.post(url, {"which": "naloxone", "naloxone-action": "offered",
                             "naloxone-on": today(pat)}).status_code == 404
    client.force_login(pat.user)
    assert client.get(url).status_code == 403
    with pytest.raises(InvalidInput):
        actions.record_naloxone(pat, otto, {"action": "offered", "on": today(pat)})
    assert not NaloxoneRecord.objects.exists()


def test_followup_schedule_asks_for_moud_checkins(pat: Any, cleo: Any) -> None:
    now = timezone.now()
    set_anchor(pat, cleo, pat.today(now) - timedelta(days=7), now=now)  # day 7 is due today
    pat = Patient.objects.get(pk=pat.pk)  # as a new request would load it
    labels = [item.label for row in followup_context(pat, now)["rows"] for item in row.items]
    assert not any("MOUD" in label for label in labels)
    actions.record_moud(pat, cleo, bup(pat))
    rows = followup_context(pat, now)["rows"]
    moud_items = [item for row in rows for item in row.items if "MOUD" in item.label]
    assert len(moud_items) == len(rows) == 5 and not any(item.done for item in moud_items)
    actions.record_moud_checkin(pat, cleo, {"on": today(pat), "answer": "taking"})
    done = {row.day: [i.done for i in row.items if "MOUD" in i.label]
            for row in followup_context(pat, now)["rows"]}
    assert done[7] == [True] and done[14] == [False]
    stopped = bup(pat) | {"status": "stopped", "referral_status": "", "referred_to": "",
                          "referred_on": ""}
    actions.record_moud(pat, cleo, stopped)
    labels = [item.label for row in followup_context(pat, now)["rows"] for item in row.items]
    assert not any("MOUD" in label for label in labels)


def test_chart_card_shows_moud_and_naloxone(client: Client, pat: Any, cleo: Any) -> None:
    client.force_login(cleo)
    chart = client.get(reverse("chart", args=[pat.pk])).content.decode()
    assert 'data-testid="chart-moud"' in chart and "not yet offered" in chart
    actions.record_moud(pat, cleo, bup(pat))
    actions.record_naloxone(pat, cleo, {"action": "prescribed", "on": today(pat)})
    chart = client.get(reverse("chart", args=[pat.pk])).content.decode()
    assert "Referral: Harbor OTP" in chart and "prescribed" in chart


def test_api_writes_are_idempotent_and_for_the_care_team(client: Client, pat: Any,
                                                         cleo: Any, otto: Any) -> None:
    path = f"/patients/{pat.pk}/moud"
    body = bup(pat)
    assert call(client, "POST", path, token_for(otto), body).status_code == 404
    assert call(client, "POST", path, token_for(pat.user), body).status_code == 403
    token = token_for(cleo)
    first = call(client, "POST", path, token, body, **{"Idempotency-Key": "m-1"})
    again = call(client, "POST", path, token, body, **{"Idempotency-Key": "m-1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and MoudRecord.objects.count() == 1
    refused = call(client, "POST", path, token, {"medication": "naltrexone",
                                                 "status": "started", "on": today(pat)})
    assert refused.status_code == 422 and "withdrawal_complete_on" in refused.content.decode()
    assert MoudRecord.objects.count() == 1
    kit = call(client, "POST", f"/patients/{pat.pk}/naloxone", token,
               {"action": "dispensed", "on": today(pat)}, **{"Idempotency-Key": "n-1"})
    replay = call(client, "POST", f"/patients/{pat.pk}/naloxone", token,
                  {"action": "dispensed", "on": today(pat)}, **{"Idempotency-Key": "n-1"})
    assert kit.status_code == replay.status_code == 201 and NaloxoneRecord.objects.count() == 1
    checkin = call(client, "POST", f"/patients/{pat.pk}/moud-checkins", token,
                   {"on": today(pat), "answer": "missing"})
    assert checkin.status_code == 201
    listed = call(client, "GET", path, token_for(pat.user))
    assert listed.status_code == 200 and listed.json()[0]["referred_to"] == "Harbor OTP"
    assert call(client, "GET", path, token_for(otto)).status_code == 404


def test_bundle_holds_moud_referral_and_naloxone(pat: Any, cleo: Any) -> None:
    actions.record_moud(pat, cleo, bup(pat))
    for action in ("offered", "prescribed", "dispensed"):
        actions.record_naloxone(pat, cleo, {"action": action, "on": today(pat)})
    bundle = fhir_export(pat, cleo, pseudonymous=True)
    Bundle.model_validate(bundle)
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("MedicationStatement") == 1 and kinds.count("ServiceRequest") == 1
    assert kinds.count("MedicationDispense") == 1
    statement = next(e["resource"] for e in bundle["entry"]
                     if e["resource"]["resourceType"] == "MedicationStatement")
    assert statement["status"] == "intended"


def test_care_team_words_stay_with_the_care_team(pat: Any, cleo: Any) -> None:
    """The clinician's note is in the clinician's named export only: not in a pseudonymous
    bundle, not in the patient's own download (docs/data-rights.md)."""
    actions.record_moud(pat, cleo, bup(pat) | {"note": "Sister Robin drives her."})
    actions.record_naloxone(pat, cleo, {"action": "offered", "on": today(pat),
                                        "note": "Robin keeps it"})
    named = json.dumps(fhir_export(pat, cleo, pseudonymous=False))
    assert "Sister Robin" in named and "Robin keeps it" in named
    assert "Robin" not in json.dumps(fhir_export(pat, cleo, pseudonymous=True))
    own = personal_download(pat)
    assert "Sister Robin" not in own and "Harbor OTP" in own


def test_patient_sees_the_moud_checkin_in_their_schedule(client: Client, pat: Any,
                                                         cleo: Any) -> None:
    actions.record_moud(pat, cleo, bup(pat))
    client.force_login(pat.user)
    page = client.get(reverse("followup")).content.decode()
    assert page.count("Medication (MOUD) check-in with your care team") == 5
    assert '<a href="">' not in page  # the care team's task: no link for the patient
    assert client.get(reverse("moud", args=[pat.pk])).status_code == 403
