"""The patient bundle: valid R4 resources, the right codes, reproducible ids, a clean round trip."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from hypothesis import given, settings
from hypothesis import strategies as st

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.fhir_bundle import (
    ExportAlert,
    ExportData,
    ExportFollowUp,
    ExportPatient,
    ExportResponse,
    ExportTaper,
    build_bundle,
    import_bundle,
    taper_steps_from_plan,
)
from kratom_recovery.care.fhir_questionnaire import questionnaire
from kratom_recovery.care.instruments import INSTRUMENTS, get_instrument, score
from kratom_recovery.care.instruments.base import LOCAL_ITEM_SYSTEM, LOINC_SYSTEM
from kratom_recovery.care.taper import parse_taper_request, plan_taper

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
EST = timezone(timedelta(hours=-5))
ANSWERS: dict[str, list[int | None]] = {
    "sows": [2, 1, 3, 0, 1, 2, 1, 0, 1, 3, 2, 1, 0, 1, 2, 3],
    "cows": [2, 1, 1, 2, 1, 1, 0, 2, 1, 4, 3],
    "phq9": [1, 2, 1, 0, 1, 2, 0, 1, 0],
    "gad7": [2, 1, 2, 1, 0, 1, 2],
    "craving": [6],
    "daily-extra": [2, 1, 3, 2, 1, None],
}


def response(instrument_id: str, hours_ago: int, answers: list[int | None] | None = None,
             key: str = "") -> ExportResponse:
    given_answers = ANSWERS[instrument_id] if answers is None else answers
    result = score(instrument_id, given_answers)
    return ExportResponse(
        instrument_id=instrument_id,
        version=result.version,
        answers=tuple(i.value for i in result.items),
        authored=(NOW - timedelta(hours=hours_ago)).astimezone(EST),
        total=result.total,
        band=result.band.id if result.band else None,
        key=key or f"{instrument_id}-{hours_ago}",
    )


def taper() -> ExportTaper:
    plan = plan_taper(parse_taper_request({
        "amount_per_day": 12, "unit": "g", "doses_per_day": 3, "rate_percent": 25,
        "strategy": "percent", "product": "leaf", "precision": 0.5,
        "step_days": 7, "start": "2026-11-10",
    }))
    return ExportTaper(key="7", name="Leaf taper", status="active",
                       steps=taper_steps_from_plan(plan.as_dict()), product="kratom (leaf)")


def data(**overrides: Any) -> ExportData:
    base = ExportData(
        patient=ExportPatient("k7Qp2xVb", display_name="Pat Example", birth_year=1990),
        responses=tuple(response(iid, 24 * n) for n, iid in enumerate(ANSWERS)),
        tapers=(taper(),),
        followups=(
            ExportFollowUp(7, date(2026, 11, 10), date(2026, 11, 12), ("sows", "craving"), "done"),
            ExportFollowUp(14, date(2026, 11, 17), date(2026, 11, 20), ("phq9",), "due"),
            ExportFollowUp(30, date(2026, 12, 3), date(2026, 12, 9), ("phq9", "gad7"), "upcoming"),
        ),
        alerts=(
            ExportAlert("1", "severe-withdrawal", "urgent", "SOWS 31: severe", NOW, open=True),
            ExportAlert("2", "missed-followup", "info", "Missed day 7", NOW, open=False),
        ),
    )
    return replace(base, **overrides)


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


@pytest.mark.parametrize("include_questionnaires", [False, True])
def test_every_resource_validates_as_r4(include_questionnaires: bool) -> None:
    bundle = build_bundle(data(), now=NOW, include_questionnaires=include_questionnaires)
    Bundle.model_validate(bundle)
    for entry in bundle["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    assert bundle["type"] == "collection"
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("Patient") == 1
    assert kinds.count("QuestionnaireResponse") == kinds.count("Observation") == len(ANSWERS)
    assert kinds.count("CarePlan") == 2  # taper + follow-up
    assert kinds.count("Flag") == 1  # only the open alert
    assert kinds.count("Questionnaire") == (len(ANSWERS) if include_questionnaires else 0)


@pytest.mark.parametrize(
    ("instrument_id", "system", "code"),
    [
        ("phq9", LOINC_SYSTEM, "44261-6"),
        ("gad7", LOINC_SYSTEM, "70274-6"),
        # [ref:loinc]: no LOINC code exists for COWS or SOWS; ours, never a borrowed one.
        ("sows", LOCAL_ITEM_SYSTEM, "sows-total"),
        ("cows", LOCAL_ITEM_SYSTEM, "cows-total"),
        ("craving", LOCAL_ITEM_SYSTEM, "craving-total"),
    ],
)
def test_observation_total_codes(instrument_id: str, system: str, code: str) -> None:
    bundle = build_bundle(data(), now=NOW)
    refs = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    observation = next(
        o for o in resources(bundle, "Observation")
        if refs[o["derivedFrom"][0]["reference"]]["questionnaire"].split("/")[-1]
        .startswith(instrument_id + "|")
    )
    coding = observation["code"]["coding"][0]
    assert (coding["system"], coding["code"]) == (system, code)
    assert observation["category"][0]["coding"][0]["code"] == "survey"
    assert observation["status"] == "final"
    assert observation["valueInteger"] == score(instrument_id, ANSWERS[instrument_id]).total
    # Same code as the Questionnaire's own total item, so the two never drift apart.
    total_item = questionnaire(get_instrument(instrument_id))["item"][-1]["code"][0]
    assert (total_item["system"], total_item["code"]) == (system, code)


def test_no_loinc_code_anywhere_for_cows_or_sows() -> None:
    bundle = build_bundle(data(responses=(response("sows", 1), response("cows", 2))), now=NOW,
                          include_questionnaires=True)
    text = json.dumps(bundle)
    assert LOINC_SYSTEM not in text
    assert "72514-3" not in text and "92103-9" not in text


def test_band_is_interpretation_and_qr_links() -> None:
    bundle = build_bundle(data(responses=(response("phq9", 1),)), now=NOW)
    (observation,) = resources(bundle, "Observation")
    assert observation["interpretation"][0]["text"] == "Mild"  # total 8
    (qr,) = resources(bundle, "QuestionnaireResponse")
    patient_url = bundle["entry"][0]["fullUrl"]
    assert qr["subject"]["reference"] == observation["subject"]["reference"] == patient_url
    qr_url = next(e["fullUrl"] for e in bundle["entry"] if e["resource"] is qr)
    assert observation["derivedFrom"] == [{"reference": qr_url}]


def test_ids_are_deterministic_and_per_patient() -> None:
    first = build_bundle(data(), now=NOW)
    assert first == build_bundle(data(), now=NOW)
    urls = [e["fullUrl"] for e in first["entry"]]
    assert all(u.startswith("urn:uuid:") for u in urls) and len(set(urls)) == len(urls)
    other = build_bundle(data(patient=ExportPatient("another")), now=NOW)
    assert not set(urls) & {e["fullUrl"] for e in other["entry"]}


@pytest.mark.parametrize(
    ("pseudonymous", "has_name"), [(True, False), (False, True)]
)
def test_pseudonymous_patient_has_no_name_or_birth_date(pseudonymous: bool, has_name: bool) -> None:
    bundle = build_bundle(data(), now=NOW, pseudonymous=pseudonymous)
    (patient,) = resources(bundle, "Patient")
    assert patient["identifier"][0]["value"] == "k7Qp2xVb"
    assert ("name" in patient) is has_name and ("birthDate" in patient) is has_name
    assert ("Pat Example" in json.dumps(bundle)) is has_name
    if has_name:
        assert patient["birthDate"] == "1990"


def test_taper_care_plan_steps_and_statuses() -> None:
    bundle = build_bundle(data(), now=NOW)
    plans = {p["title"]: p for p in resources(bundle, "CarePlan")}
    steps = plans["Leaf taper"]["activity"]
    assert len(steps) == len(taper().steps)
    first = steps[0]["detail"]
    assert first["dailyAmount"] == {"value": 12.0, "unit": "g",
                                    "system": "http://unitsofmeasure.org", "code": "g"}
    assert first["status"] == "completed"  # 2026-11-10..16, before NOW
    assert steps[1]["detail"]["status"] == "in-progress"  # 2026-11-17..23
    assert steps[2]["detail"]["status"] == "not-started"
    states = [a["detail"]["status"] for a in plans["Follow-up schedule"]["activity"]]
    assert states == ["completed", "scheduled", "not-started"]


def test_flag_carries_rule_severity_and_message() -> None:
    (flag,) = resources(build_bundle(data(), now=NOW), "Flag")
    assert flag["status"] == "active"
    assert flag["code"]["coding"][0]["code"] == "severe-withdrawal"
    assert flag["code"]["text"] == "SOWS 31: severe"
    assert flag["extension"][0]["valueCode"] == "urgent"


def test_round_trip_reproduces_responses_and_totals() -> None:
    original = data()
    bundle = json.loads(json.dumps(build_bundle(original, now=NOW, pseudonymous=False)))
    back = import_bundle(bundle)
    assert back.pseudonym == "k7Qp2xVb" and back.display_name == "Pat Example"
    expected = sorted(original.responses, key=lambda r: r.authored)
    assert [(r.instrument_id, r.version, r.answers, r.authored, r.total, r.band)
            for r in back.responses] == [
        (r.instrument_id, r.version, r.answers, r.authored, r.total, r.band) for r in expected
    ]
    assert [(o.instrument_id, o.value, o.band) for o in back.observations] == [
        (r.instrument_id, r.total, r.band) for r in expected
    ]
    assert len(back.care_plans) == 2 and len(back.flags) == 1


@settings(max_examples=15, deadline=None)
@given(st.data())
def test_round_trip_property(draw: st.DataObject) -> None:
    instrument = get_instrument(draw.draw(st.sampled_from(sorted(INSTRUMENTS))))
    answers: list[int | None] = []
    for item in instrument.items:
        values = list(item.allowed_values) or list(range(item.lowest, item.highest + 1))
        choice = draw.draw(st.sampled_from(values + ([None] if item.optional else [])))
        answers.append(choice)
    result = score(instrument.id, answers)
    original = ExportResponse(instrument.id, instrument.version,
                              tuple(i.value for i in result.items), NOW, result.total,
                              result.band.id if result.band else None, key="x")
    back = import_bundle(build_bundle(data(responses=(original,)), now=NOW))
    (again,) = back.responses
    assert (again.answers, again.total, again.band) == (original.answers, original.total,
                                                        original.band)


def test_stored_total_that_disagrees_is_refused() -> None:
    bad = replace(response("phq9", 1), total=26)
    with pytest.raises(InvalidInput, match="answers add up to 8"):
        build_bundle(data(responses=(bad,)), now=NOW)


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda b: b.update(resourceType="Patient"), "resourceType"),
        (lambda b: b["entry"].pop(0), "Patient"),
        (lambda b: b["entry"][0]["resource"].pop("identifier"), "Patient.identifier"),
        (lambda b: b["entry"][1]["resource"]["item"][-1]["answer"][0].update(valueInteger=3),
         "total"),
        (lambda b: b["entry"][2]["resource"].update(valueInteger=99), "Observation"),
    ],
)
def test_import_refuses_malformed_bundles(mutate: Any, field: str) -> None:
    bundle = copy.deepcopy(build_bundle(data(responses=(response("phq9", 1),)), now=NOW))
    mutate(bundle)
    with pytest.raises(InvalidInput) as caught:
        import_bundle(bundle)
    assert caught.value.field == field


def test_response_from_another_version_is_refused() -> None:
    with pytest.raises(InvalidInput, match="version"):
        build_bundle(data(responses=(replace(response("phq9", 1), version="0.9"),)), now=NOW)


def test_naive_now_is_refused() -> None:
    with pytest.raises(InvalidInput, match="UTC offset"):
        build_bundle(data(), now=NOW.replace(tzinfo=None))
