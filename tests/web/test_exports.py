"""Exports and data rights: who may export what, what is in it, and account deletion."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from kratom_recovery.cli import main
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.audit.chain import patient_ref, verify
from kratom_recovery.web.audit.models import AuditEntry
from kratom_recovery.web.clinic.actions import write_note
from kratom_recovery.web.exports.models import Pseudonym, RetainedRecord
from kratom_recovery.web.patients import actions
from kratom_recovery.web.patients.models import CheckIn, InstrumentResponse, Patient, UseEvent
from kratom_recovery.web.recovery import actions as recovery_actions
from kratom_recovery.web.safety.actions import acknowledge_alert, raise_alert
from tests.support.personas import NOW, PASSWORD

pytestmark = pytest.mark.django_db

SOWS = [2, 1, 3, 0, 1, 2, 1, 0, 1, 3, 2, 1, 0, 1, 2, 3]
NOTE = "Felt awful at Grandma Rosa's house on Elm Street"


def seed(patient: Any, days: int = 2) -> None:
    """Check-ins with a free-text note, a weekly PHQ-9 and a logged use with a note."""
    for day in range(days):
        actions.record_checkin(
            patient, patient.user,
            {"sows": SOWS, "craving": [6], "daily-extra": [2, 1, 3, 2, 1, None]},
            sleep_hours="6.5", mood=3, note=NOTE, now=NOW - timedelta(days=days - day),
        )
    actions.record_questionnaire(patient, patient.user, "phq9", [1, 2, 1, 0, 1, 2, 0, 1, 0],
                                 now=NOW - timedelta(hours=2))
    actions.log_use(patient, patient.user, taken_at=(NOW - timedelta(hours=5)).isoformat(),
                    amount="3", unit="g", note="a private use note", now=NOW)


def users(pat: Any, cleo: Any, otto: Any, ada: Any) -> dict[str, Any]:
    return {"cleo": cleo, "otto": otto, "pat": pat.user, "ada": ada}


# --- clinician FHIR export -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"), [("cleo", 200), ("otto", 404), ("pat", 403), ("ada", 403)]
)
def test_fhir_export_access_matrix(
    client: Client, who: str, status: int, pat: Any, cleo: Any, otto: Any, ada: Any
) -> None:
    seed(pat, days=1)
    client.force_login(users(pat, cleo, otto, ada)[who])
    response = client.get(reverse("export-fhir", args=[pat.pk]))
    assert response.status_code == status
    exported = AuditEntry.objects.filter(patient=pat, action="export", target="fhir")
    assert exported.count() == (1 if status == 200 else 0)
    if status == 200:
        assert response["Content-Type"].startswith("application/fhir+json")
        assert "attachment" in response["Content-Disposition"]
        bundle = json.loads(response.content)
        Bundle.model_validate(bundle)
        kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
        assert kinds.count("QuestionnaireResponse") == kinds.count("Observation") == 4
        assert exported.get().actor == cleo


def test_fhir_export_pseudonymous_has_no_name_and_a_stable_pseudonym(
    client: Client, pat: Any, cleo: Any
) -> None:
    seed(pat, days=1)
    client.force_login(cleo)
    url = reverse("export-fhir", args=[pat.pk]) + "?pseudonymous=1"
    first, second = (json.loads(client.get(url).content) for _ in range(2))
    patient = first["entry"][0]["resource"]
    assert "name" not in patient and '"Pat"' not in json.dumps(first)
    assert patient["identifier"][0]["value"] == Pseudonym.objects.get(patient=pat).value
    assert first["entry"] == second["entry"]  # same records, same ids
    assert AuditEntry.objects.filter(patient=pat, target="fhir-pseudonymous").count() == 2


@pytest.mark.parametrize("days", [1, 6])
def test_fhir_export_query_count_does_not_grow_with_history(
    client: Client, pat: Any, cleo: Any, days: int, django_assert_max_num_queries: Any
) -> None:
    seed(pat, days=days)
    client.force_login(cleo)
    # Session, user, patient, pseudonym, consent, responses, tapers, follow-up, alerts,
    # messages, vitals, labs, audit (17 before the audit hash chain, whose head's lock and
    # move each audited write adds), the safety plan and risk ratings (2), MOUD and naloxone
    # (2) whether the history holds 1 or 6 days.
    with django_assert_max_num_queries(27):
        assert client.get(reverse("export-fhir", args=[pat.pk])).status_code == 200


def test_fhir_export_leaves_out_checkins_the_patient_stopped_sharing(
    client: Client, pat: Any, cleo: Any
) -> None:
    seed(pat, days=1)
    recovery_actions.update_sharing(pat, pat.user, checkins=False, journal=True, plan=True)
    client.force_login(cleo)
    bundle = json.loads(client.get(reverse("export-fhir", args=[pat.pk])).content)
    questionnaires = [e["resource"]["questionnaire"] for e in bundle["entry"]
                      if e["resource"]["resourceType"] == "QuestionnaireResponse"]
    # The chart's rule: the weekly PHQ-9 is the patient's own report, so it goes too.
    assert questionnaires == []
    assert InstrumentResponse.objects.filter(patient=pat, instrument="phq9").exists()
    (tag,) = bundle["meta"]["tag"]
    assert tag["code"] == "withheld-by-consent" and "left out" in tag["display"]
    Bundle.model_validate(bundle)


def test_clinician_export_carries_the_redisclosure_notice(
    client: Client, pat: Any, cleo: Any
) -> None:
    seed(pat, days=1)
    client.force_login(cleo)
    bundle = json.loads(client.get(reverse("export-fhir", args=[pat.pk])).content)
    meta = bundle["meta"]
    assert "tag" not in meta  # everything shared: nothing withheld
    assert {s["code"] for s in meta["security"]} == {"42CFRPart2", "NORDSCLCD"}
    (notice,) = meta["extension"]
    assert "42 CFR Part 2" in notice["valueString"]
    assert "may not use or disclose" in notice["valueString"]
    assert any(e["resource"]["resourceType"] == "QuestionnaireResponse"
               for e in bundle["entry"])
    Bundle.model_validate(bundle)
    client.force_login(pat.user)  # the patient's own download is not a disclosure
    own = json.loads(client.get(reverse("my-data-download")).content)
    assert "meta" not in own["fhir"]


# --- research CSV ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"), [("ada", 200), ("cleo", 403), ("pat", 403)]
)
def test_research_csv_access_and_content(
    client: Client, who: str, status: int, pat: Any, bob: Any, cleo: Any, otto: Any, ada: Any
) -> None:
    seed(pat)
    seed(bob, days=1)
    client.force_login(users(pat, cleo, otto, ada)[who])
    response = client.get(reverse("export-research"))
    assert response.status_code == status
    audited = AuditEntry.objects.filter(action="export", target="research-csv")
    if status != 200:
        assert not audited.exists()
        return
    text = response.content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 3 and len({r["research_id"] for r in rows}) == 2
    for secret in ("Pat", "Bob", "pat", "bob", "Rosa", "private"):
        assert secret not in text
    assert all(r["research_id"].startswith("r-") for r in rows)
    assert {r["sows_total"] for r in rows} == {"23"}
    assert audited.count() == 2
    assert {a.patient_id for a in audited} == {pat.pk, bob.pk}
    assert all(a.actor == ada for a in audited)


def test_program_exports_page(client: Client, ada: Any, cleo: Any) -> None:
    client.force_login(ada)
    assert client.get(reverse("program-exports")).status_code == 200
    client.force_login(cleo)
    assert client.get(reverse("program-exports")).status_code == 403


# --- the patient's own data ------------------------------------------------------------------


def test_patient_downloads_everything_including_free_text(
    client: Client, pat: Any, bob: Any
) -> None:
    seed(pat)
    seed(bob, days=1)
    client.force_login(pat.user)
    assert client.get(reverse("my-data")).status_code == 200
    response = client.get(reverse("my-data-download"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["username"] == "pat"
    records = data["records"]
    assert [c["note"] for c in records["patients.checkin"]] == [NOTE, NOTE]
    assert records["patients.useevent"][0]["note"] == "a private use note"
    assert len(records["patients.instrumentresponse"]) == 7
    assert records["patients.useprofile"][0]["product"] == "leaf"
    assert all(r["patient"] == pat.pk for r in records["patients.checkin"])
    assert "password" not in response.content.decode()
    Bundle.model_validate(data["fhir"])
    assert data["fhir"]["entry"][0]["resource"]["name"] == [{"text": "Pat"}]
    # Their own data: no access-log entry, and nothing of Bob's.
    assert not AuditEntry.objects.filter(patient=pat, action="export").exists()
    assert all(r["patient"] == pat.pk for r in records["patients.instrumentresponse"])


@pytest.mark.parametrize("name", ["my-data", "my-data-download", "delete-account"])
def test_patient_pages_are_for_patients(client: Client, cleo: Any, name: str) -> None:
    client.force_login(cleo)
    assert client.get(reverse(name)).status_code == 403


def test_wrong_password_deletes_nothing(client: Client, pat: Any) -> None:
    seed(pat, days=1)
    client.force_login(pat.user)
    response = client.post(reverse("delete-account"), {"password": "wrong", "confirm": "on"})
    assert response.status_code == 400
    assert "not your current password" in response.content.decode()
    assert Patient.objects.filter(pk=pat.pk).exists() and CheckIn.objects.count() == 1
    assert not RetainedRecord.objects.exists()


def test_unconfirmed_deletion_deletes_nothing(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    response = client.post(reverse("delete-account"), {"password": PASSWORD})
    assert response.status_code == 400
    assert User.objects.filter(pk=pat.user.pk).exists()


def test_account_deletion_removes_data_and_keeps_care_records(
    client: Client, pat: Any, bob: Any, cleo: Any
) -> None:
    seed(pat)
    seed(bob, days=1)
    client.force_login(cleo)
    client.get(reverse("chart", args=[pat.pk]))  # an audited read
    note = write_note(pat, cleo, {"assessment": "Withdrawal easing."})
    write_note(pat, cleo, {"plan": "Correction: review in a week."}, amends=note)
    alert = raise_alert(pat, rule="test-rule", severity="warning",
                               patient_message="p", clinician_message="c", source="test")
    acknowledge_alert(alert, cleo, "Called, all fine.")
    pat_entries = set(AuditEntry.objects.filter(patient=pat).values_list("pk", flat=True))
    assert pat_entries

    client.force_login(pat.user)
    with time_machine.travel(NOW, tick=False):
        response = client.post(reverse("delete-account"), {"password": PASSWORD,
                                                           "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(username="pat").exists()
    assert not Patient.objects.filter(pk=pat.pk).exists()
    assert not CheckIn.objects.filter(patient_id=pat.pk).exists()
    assert not InstrumentResponse.objects.filter(patient_id=pat.pk).exists()
    assert not UseEvent.objects.filter(patient_id=pat.pk).exists()
    # Bob is untouched.
    assert CheckIn.objects.filter(patient=bob).count() == 1
    # Audit entries stay, patient NULL, linked to the retained pseudonym (plus the deletion).
    pseudonym = Pseudonym.objects.get(patient=None)
    assert pseudonym.deleted_at == NOW
    linked = set(RetainedRecord.objects.filter(pseudonym=pseudonym, kind="audit-entry")
                 .values_list("source_id", flat=True))
    assert pat_entries < linked
    # Never rewritten: the plain references stay, the chain holds, a redaction is appended.
    ref = patient_ref(pat.pk)
    assert AuditEntry.objects.filter(pk__in=linked, patient_ref=ref).count() == len(linked)
    assert AuditEntry.objects.filter(pk__in=linked, action="delete", target="account").exists()
    assert AuditEntry.objects.filter(patient_ref=ref, action="redact").exists()
    assert verify()[1] is None
    kinds = list(RetainedRecord.objects.filter(pseudonym=pseudonym)
                 .exclude(kind="audit-entry").values_list("kind", "data"))
    assert [k for k, _ in kinds].count("clinical-note") == 2
    (alert_data,) = [d for k, d in kinds if k == "alert" and d["rule"] == "test-rule"]
    assert alert_data["acknowledgement_note"] == "Called, all fine."
    # Signed out.
    assert client.get(reverse("my-data")).status_code == 302


# --- CLI -------------------------------------------------------------------------------------


def test_cli_export_writes_valid_fhir_json(
    pat: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(pat, days=1)
    out = tmp_path / "pat.json"
    assert main(["export", "--patient", str(pat.pk), "--format", "fhir", "--pseudonymous",
                 "--output", str(out)]) == 0
    bundle = json.loads(out.read_text())
    Bundle.model_validate(bundle)
    assert "name" not in bundle["entry"][0]["resource"]
    entry = AuditEntry.objects.get(patient=pat, action="export")
    assert (entry.actor, entry.via, entry.target) == (None, "cli", "fhir-pseudonymous")
    assert capsys.readouterr().out == ""


def test_cli_export_csv_to_stdout(pat: Any, capsys: pytest.CaptureFixture[str]) -> None:
    seed(pat)
    assert main(["export", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 2
    assert AuditEntry.objects.filter(patient=pat, target="research-csv", via="cli").count() == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "--format", "fhir"], "--patient: is required"),
        (["export", "--patient", "999999"], "no patient with id 999999"),
    ],
)
def test_cli_export_bad_input_exits_2(
    pat: Any, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and message in captured.err
    assert not AuditEntry.objects.filter(action="export").exists()
