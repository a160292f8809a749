"""MOUD, naloxone and the discharge summary's pure core: the naltrexone rule as a table, the
referral's fields, the summary's peaks and ranges, and the FHIR resources validated with
fhir.resources."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.medicationdispense import MedicationDispense
from fhir.resources.R4B.medicationrequest import MedicationRequest
from fhir.resources.R4B.medicationstatement import MedicationStatement
from fhir.resources.R4B.servicerequest import ServiceRequest

from kratom_recovery.care import discharge, moud
from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.fhir_bundle import ExportPatient
from kratom_recovery.care.fhir_discharge import DISCHARGE_SUMMARY, build_document
from kratom_recovery.care.fhir_mar import ExportAdministration
from kratom_recovery.care.fhir_moud import (
    ExportMoud,
    ExportNaloxone,
    moud_entries,
    naloxone_entry,
)

TODAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
BASE = {"medication": "buprenorphine", "status": "started", "on": "2026-11-28"}


def uuid_for(key: str) -> str:
    return f"urn:uuid:{key}"


@pytest.mark.parametrize(("status", "complete", "last_use", "outcome"), [
    # naltrexone taken: needs a completed withdrawal after the last logged use
    ("started", None, date(2026, 11, 20), "refused"),
    ("continuing", None, None, "refused"),
    ("started", date(2026, 11, 25), date(2026, 11, 26), "refused"),
    ("started", date(2026, 11, 25), date(2026, 11, 25), "refused"),
    ("started", date(2026, 11, 25), date(2026, 11, 20), "clean"),
    ("continuing", date(2026, 11, 25), None, "clean"),
    # discussed or referred before then: kept, with the caution
    ("discussed", None, date(2026, 11, 20), "caution"),
    ("stopped", date(2026, 11, 25), date(2026, 11, 26), "caution"),
    ("discussed", date(2026, 11, 25), date(2026, 11, 20), "clean"),
])
def test_naltrexone_waits_for_a_completed_withdrawal(status: str, complete: date | None,
                                                     last_use: date | None,
                                                     outcome: str) -> None:
    data = {"medication": "naltrexone", "status": status, "on": TODAY,
            "withdrawal_complete_on": complete}
    if outcome == "refused":
        with pytest.raises(InvalidInput) as caught:
            moud.check_moud(data, today=TODAY, last_use_on=last_use)
        assert caught.value.field == "withdrawal_complete_on"
        assert "PMC10337879" in caught.value.message  # the source, readable on screen
        return
    entry = moud.check_moud(data, today=TODAY, last_use_on=last_use)
    assert bool(entry.caution) is (outcome == "caution")


@pytest.mark.parametrize("medication", ["buprenorphine", "methadone"])
def test_other_moud_needs_no_completed_withdrawal(medication: str) -> None:
    entry = moud.check_moud(BASE | {"medication": medication}, today=TODAY,
                            last_use_on=TODAY)
    assert entry.caution == "" and entry.on == date(2026, 11, 28)


@pytest.mark.parametrize(("change", "field"), [
    ({"medication": "kratom"}, "medication"),
    ({"status": ""}, "status"),
    ({"on": ""}, "on"),
    ({"on": "2026-12-05"}, "on"),
    ({"on": "30/11/2026"}, "on"),
    ({"on": "2024-01-01"}, "on"),
    ({"status": "referred"}, "referral_status"),
    ({"referral_status": "sent", "referred_on": "2026-11-29"}, "referred_to"),
    ({"referral_status": "sent", "referred_to": "OTP"}, "referred_on"),
    ({"referred_to": "OTP"}, "referral_status"),
    ({"referral_status": "maybe"}, "referral_status"),
    ({"note": "x" * 501}, "note"),
    ({"referral_status": "sent", "referred_to": "a\nb", "referred_on": "2026-11-29"},
     "referred_to"),
])
def test_bad_moud_input_names_the_field(change: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        moud.check_moud(BASE | change, today=TODAY, last_use_on=None)
    assert caught.value.field == field


def test_a_referral_keeps_to_whom_when_and_its_state() -> None:
    entry = moud.check_moud(BASE | {"status": "referred", "referral_status": "accepted",
                                    "referred_to": " Harbor OTP ", "referred_on": "2026-11-29"},
                            today=TODAY, last_use_on=None)
    assert (entry.referred_to, entry.referred_on, entry.referral_status) == (
        "Harbor OTP", date(2026, 11, 29), "accepted")
    assert "referral to Harbor OTP on 2026-11-29" in entry.describe()


@pytest.mark.parametrize(("data", "field"), [
    ({"action": "given", "on": TODAY}, "action"),
    ({"action": "dispensed"}, "on"),
    ({"action": "offered", "on": TODAY + timedelta(days=1)}, "on"),
])
def test_naloxone_needs_an_action_and_a_date(data: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        moud.check_naloxone(data, today=TODAY)
    assert caught.value.field == field
    assert moud.check_naloxone({"action": "dispensed", "on": TODAY}, today=TODAY).on == TODAY


def test_checkins_fall_in_their_followup_window() -> None:
    windows = [(7, date(2026, 12, 5), date(2026, 12, 9)), (14, date(2026, 12, 11),
                                                            date(2026, 12, 17))]
    found = moud.checkins_by_followup(windows, [date(2026, 12, 8), date(2026, 12, 6),
                                                date(2026, 12, 20)])
    assert found == {7: date(2026, 12, 6), 14: None}


def record(**change: Any) -> ExportMoud:
    base: dict[str, Any] = dict(
        key="1", medication="buprenorphine", status="started", on=TODAY, recorded=NOW,
        withdrawal_complete_on=None, referred_to="Harbor OTP", referred_on=TODAY,
        referral_status="sent", note="", caution="", last_checkin=(TODAY, "taking"))
    return ExportMoud(**(base | change))


@pytest.mark.parametrize(("status", "fhir"), [
    ("started", "active"), ("discussed", "intended"), ("stopped", "stopped"),
    ("declined", "not-taken")])
def test_moud_is_a_valid_medication_statement_with_its_referral(status: str,
                                                                fhir: str) -> None:
    (_, statement), (_, referral) = moud_entries(record(status=status), "urn:uuid:p",
                                                 uuid_for)
    MedicationStatement.model_validate(statement)
    ServiceRequest.model_validate(referral)
    assert statement["status"] == fhir
    assert statement["medicationCodeableConcept"] == {"text": "buprenorphine"}  # no code
    assert referral["performer"] == [{"display": "Harbor OTP"}]
    assert len(moud_entries(record(referral_status="", referred_to=""), "p", uuid_for)) == 1


@pytest.mark.parametrize(("action", "kind", "intent"), [
    ("offered", MedicationRequest, "proposal"), ("declined", MedicationRequest, "proposal"),
    ("prescribed", MedicationRequest, "order"), ("dispensed", MedicationDispense, None)])
def test_naloxone_resources_validate(action: str, kind: Any, intent: str | None) -> None:
    _, resource = naloxone_entry(ExportNaloxone("1", action, TODAY, NOW, "nasal spray"),
                                 "urn:uuid:p", uuid_for)
    kind.model_validate(resource)
    assert resource.get("intent") == intent
    assert "coding" not in resource["medicationCodeableConcept"]  # naloxone: text only


# --- the discharge summary ----------------------------------------------------------------


@pytest.mark.parametrize(("admitted", "discharged", "destination", "field"), [
    ("2026-11-29", "2026-11-28", "home", "discharged_on"),
    ("2026-12-02", "2026-12-02", "home", "admitted_on"),
    ("", "2026-11-28", "home", "admitted_on"),
    ("2026-11-20", "2026-11-28", " ", "destination"),
    ("2025-01-01", "2026-11-28", "home", "admitted_on"),
])
def test_bad_stay_names_the_field(admitted: str, discharged: str, destination: str,
                                  field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        discharge.check_stay(admitted, discharged, destination, "", today=TODAY)
    assert caught.value.field == field


def test_peaks_and_ranges() -> None:
    first = NOW - timedelta(hours=5)
    scores = [(first, 12, 48, "moderate"), (NOW, 12, 48, "moderate"),
              (NOW - timedelta(hours=1), 3, 48, "mild")]
    assert discharge.peak(scores) == discharge.Peak(12, 48, "moderate", first, 3)
    assert discharge.peak([]) is None
    ranges = discharge.vital_ranges([{"pulse": 112, "temperature_c": 37.4},
                                     {"pulse": 84}, {"temperature_c": 36.9}])
    assert [(r.label, r.text()) for r in ranges] == [("Pulse", "84–112 /min"),
                                                     ("Temperature", "36.9–37.4 °C")]


def summary() -> discharge.Summary:
    return discharge.Summary(
        stay=discharge.check_stay("2026-11-26", "2026-11-30", "home", "Settled by day 3.",
                                  today=TODAY),
        clinician="Cleo", cows=discharge.Peak(14, 48, "moderate", NOW, 6), sows=None,
        checkins=0, vitals=discharge.vital_ranges([{"pulse": 90}]), vital_sets=1,
        medicines=(discharge.MedicineGiven("clonidine 0.1 mg by mouth", 2, 1, 0, "0.2 mg",
                                           NOW, NOW),),
        decisions=(discharge.Decision("3.7", "Medically Managed Residential", "unstable",
                                      NOW, "Cleo"),),
        suggestion="", moud=("Buprenorphine: started.",), naloxone=("Naloxone dispensed.",),
        followups=(discharge.FollowUp(NOW, "Phone call appointment"),), relapse=None,
        withheld=(), more={})


def test_the_document_is_a_valid_bundle_led_by_a_discharge_composition() -> None:
    dose = ExportAdministration("9", "4", "clonidine", "oral", "given", NOW, 0.1, "mg", "")
    bundle = build_document(summary(), ExportPatient("pseudo", "Pat"), key="1", now=NOW,
                            moud=(record(),),
                            naloxone=(ExportNaloxone("1", "dispensed", TODAY, NOW, ""),),
                            administrations=(dose,), notice="Part 2 notice")
    Bundle.model_validate(bundle)
    assert bundle["type"] == "document"
    first = bundle["entry"][0]["resource"]
    assert first["resourceType"] == "Composition"
    assert first["type"]["coding"][0] == {"system": "http://loinc.org",
                                          "code": DISCHARGE_SUMMARY,
                                          "display": "Discharge summary"}
    titles = [s["title"] for s in first["section"]]
    assert titles == ["Course", "Medicines given", "Level-of-care decisions",
                      "MOUD and naloxone", "Follow-up", "Relapse plan"]
    urls = {e["fullUrl"] for e in bundle["entry"]}
    for section in first["section"]:  # every section's entries are in the document
        assert {ref["reference"] for ref in section.get("entry", [])} <= urls
    assert "Highest COWS 14/48" in first["section"][0]["text"]["div"]
    assert build_document(summary(), ExportPatient("pseudo", "Pat"), key="1",
                          now=NOW) == build_document(summary(), ExportPatient("pseudo", "Pat"),
                                                     key="1", now=NOW)
