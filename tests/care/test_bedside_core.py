"""Bedside clinical core: vital-sign plausibility bounds, COWS pulse scoring, limits, lab
flagging, CIWA-Ar scoring, the assessment schedule and the FHIR resources."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from fhir.resources.R4B.observation import Observation

from kratom_recovery.care import labs
from kratom_recovery.care.bedside import check_interval, next_due
from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.fhir_bedside import ExportLab, ExportVitals, lab_entry, vitals_entries
from kratom_recovery.care.instruments import get_instrument, score
from kratom_recovery.care.vitals import (
    VITAL_BY_NAME,
    VITALS,
    VitalsReading,
    breaches,
    check_limits,
    check_vitals,
    cows_pulse_score,
    trend,
)

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)

# Each bound ±1 (input plausibility bounds, [ref:assumption:bedside-input-bounds]).
BOUNDS = [(v.name, v.low, v.high) for v in VITALS]


def with_bp(name: str, value: object) -> dict[str, object]:
    """Blood pressure comes in pairs: give the other half a value that always fits."""
    data: dict[str, object] = {name: value}
    if name == "systolic":
        data["diastolic"] = 20
    elif name == "diastolic":
        data["systolic"] = 260
    return data


@pytest.mark.parametrize(("name", "low", "high"), BOUNDS)
def test_each_bound_is_accepted_and_one_beyond_refused(name: str, low: float,
                                                       high: float) -> None:
    for ok in (low, high):
        reading = check_vitals(with_bp(name, str(ok)))
        assert float(getattr(reading, name)) == ok
    for bad in (low - 1, high + 1):
        with pytest.raises(InvalidInput) as caught:
            check_vitals(with_bp(name, str(bad)))
        assert caught.value.field == name
        assert VITAL_BY_NAME[name].label in caught.value.message


@pytest.mark.parametrize(("data", "field"), [
    ({"pulse": "72.5"}, "pulse"),  # whole numbers only
    ({"temperature_c": "37.25"}, "temperature_c"),  # one decimal place
    ({"pulse": "abc"}, "pulse"),
    ({"pulse": "nan"}, "pulse"),
    ({"pulse": True}, "pulse"),
    ({}, "vitals"),
    ({"systolic": "120"}, "diastolic"),
    ({"systolic": "80", "diastolic": "90"}, "diastolic"),
    ({"height": "170"}, "height"),
])
def test_bad_readings_name_the_field(data: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_vitals(data)
    assert caught.value.field == field


def test_decimal_readings_keep_their_precision() -> None:
    reading = check_vitals({"temperature_c": "37.8", "weight_kg": 71, "pulse": "88.0"})
    assert reading.temperature_c == Decimal("37.8")
    assert reading.weight_kg == Decimal("71.0")
    assert reading.pulse == 88


@pytest.mark.parametrize(("pulse", "points"), [
    (20, 0), (80, 0), (81, 1), (100, 1), (101, 2), (120, 2), (121, 4), (250, 4),
])
def test_cows_pulse_bands(pulse: int, points: int) -> None:
    # [ref:wesson-ling2003]: 80 or below 0, 81-100 1, 101-120 2, above 120 4.
    assert cows_pulse_score(pulse) == points
    assert points in get_instrument("cows").items[0].allowed_values


def test_trend_arrows() -> None:
    assert trend([80]) is None
    assert trend([80, 90]) == "up"
    assert trend([90, 80]) == "down"
    assert trend([80, 80.0]) == "flat"


def test_no_limit_no_breach() -> None:
    reading = VitalsReading(pulse=180, temperature_c=Decimal("40.0"))
    assert breaches(reading, clinician={}, program={}) == []


def test_limits_fire_just_past_them() -> None:
    clinician = check_limits({"pulse_above": "100", "spo2_below": "92", "systolic_below": ""})
    assert clinician == {"pulse_above": 100.0, "spo2_below": 92.0}
    at = VitalsReading(pulse=100, spo2=92)
    past = VitalsReading(pulse=101, spo2=91)
    assert breaches(at, clinician=clinician, program={}) == []
    found = breaches(past, clinician=clinician, program={})
    assert [(b.vital, b.direction, b.set_by) for b in found] == [
        ("pulse", "above", "clinician"), ("spo2", "below", "clinician")]
    # The program's fever line counts at or above it (as the safety rule does).
    fever = breaches(VitalsReading(temperature_c=Decimal("38.0")), clinician={},
                     program={"temperature_above": 38.0})
    assert [b.vital for b in fever] == ["temperature_c"]


@pytest.mark.parametrize(("limits", "field"), [
    ({"pulse_above": "400"}, "pulse_above"),
    ({"pulse_below": "120", "pulse_above": "100"}, "pulse_below"),
    ({"heart": "1"}, "heart"),
])
def test_bad_limits_are_refused(limits: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_limits(limits)
    assert caught.value.field == field


def alt() -> labs.Analyte:
    return next(a for a in labs.DEFAULT_ANALYTES if a.code == "alt")


@pytest.mark.parametrize(("value", "low", "high", "flag"), [
    (Decimal("41"), None, Decimal("40"), "high"),
    (Decimal("40"), None, Decimal("40"), None),
    (Decimal("6"), Decimal("7"), Decimal("40"), "low"),
    (Decimal("7"), Decimal("7"), Decimal("40"), None),
    (Decimal("500"), None, None, None),  # no range set: never flagged
    ("positive", None, None, "positive"),
    ("negative", None, None, None),
    ("indeterminate", None, None, None),
])
def test_lab_flagging(value: Any, low: Decimal | None, high: Decimal | None,
                      flag: str | None) -> None:
    assert labs.flag_result(value, low, high) == flag


def test_lab_results_are_checked() -> None:
    assert labs.check_result(alt(), "41.5") == Decimal("41.50")
    assert labs.check_result(alt(), "") is None
    for bad in ("-1", "abc", "1e9", True):
        with pytest.raises(InvalidInput) as caught:
            labs.check_result(alt(), bad)
        assert caught.value.field == "alt"
    kratom = next(a for a in labs.DEFAULT_ANALYTES if a.code == "mitragynine")
    assert labs.check_result(kratom, " Positive ") == "positive"
    with pytest.raises(InvalidInput):
        labs.check_result(kratom, "12")
    with pytest.raises(InvalidInput):
        labs.check_range(alt(), "40", "7")
    with pytest.raises(InvalidInput):
        labs.check_range(kratom, "1", None)


def test_default_analytes_ship_no_ranges_and_label_codes() -> None:
    codes = {a.code: a for a in labs.DEFAULT_ANALYTES}
    assert len(codes) == len(labs.DEFAULT_ANALYTES)
    for code in ("mitragynine", "7-oh-mitragynine"):
        assert codes[code].specific_assay and codes[code].loinc == ""
        assert "do not detect" in codes[code].note
    # [ref:loinc-labs]: recalled codes, marked UNVERIFIED until checked.
    assert {c: codes[c].loinc for c in ("alt", "ast", "alp", "bilirubin", "hcg-urine", "qtc")} \
        == {"alt": "1742-6", "ast": "1920-8", "alp": "6768-6", "bilirubin": "1975-2",
            "hcg-urine": "2106-3", "qtc": "8636-3"}
    assert all(a.code_status == "unverified" for a in labs.DEFAULT_ANALYTES if a.loinc)


# --- CIWA-Ar [ref:sullivan1989] -------------------------------------------------------------


@pytest.mark.parametrize(("answers", "total", "band"), [
    ([0] * 10, 0, "minimal"),
    ([7, 0, 0, 0, 0, 0, 0, 0, 0, 0], 7, "minimal"),
    ([7, 1, 0, 0, 0, 0, 0, 0, 0, 0], 8, "moderate"),
    ([7, 7, 1, 0, 0, 0, 0, 0, 0, 0], 15, "moderate"),
    ([7, 7, 2, 0, 0, 0, 0, 0, 0, 0], 16, "severe"),
    ([7] * 9 + [4], 67, "severe"),
])
def test_ciwa_ar_totals_and_bands(answers: list[int], total: int, band: str) -> None:
    result = score("ciwa-ar", answers)
    assert (result.total, result.band and result.band.id, result.max) == (total, band, 67)


@pytest.mark.parametrize(("answers", "field"), [
    ([8] + [0] * 9, "nausea-vomiting"),
    ([0] * 9 + [5], "orientation"),
    ([0] * 9 + [-1], "orientation"),
    ([0] * 9, "answers"),
])
def test_ciwa_ar_refuses_scores_outside_each_item(answers: list[int], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        score("ciwa-ar", answers)
    assert caught.value.field == field


def test_ciwa_ar_says_its_wording_is_a_paraphrase() -> None:
    ciwa = get_instrument("ciwa-ar")
    assert ciwa.respondent == "clinician" and len(ciwa.items) == 10
    assert "paraphrase" in ciwa.description and "pending verification" in ciwa.description


# --- schedule -------------------------------------------------------------------------------


def test_next_due() -> None:
    since = NOW - timedelta(hours=5)
    assert next_due(None, None, since, NOW) is None
    first = next_due(None, 60, since, NOW)
    assert first is not None and (first.due_at, first.status) == (since, "overdue")
    last = NOW - timedelta(minutes=50)
    soon = next_due(last, 60, since, NOW)
    assert soon is not None and soon.status == "due" and soon.due_at == NOW + timedelta(minutes=10)
    later = next_due(NOW, 60, since, NOW)
    assert later is not None and later.status == "upcoming"


@pytest.mark.parametrize("raw", ["14", "4321", "abc", "1.5", True, -5])
def test_interval_bounds(raw: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_interval(raw)
    assert caught.value.field == "interval_minutes"


def test_interval_accepts_its_bounds() -> None:
    assert (check_interval("15"), check_interval(4320), check_interval("")) == (15, 4320, None)


# --- FHIR -----------------------------------------------------------------------------------


def uuid_for(key: str) -> str:
    import uuid

    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, key)}"


def test_vitals_are_valid_vital_signs_observations() -> None:
    reading = check_vitals({"pulse": "92", "systolic": "130", "diastolic": "85",
                            "temperature_c": "37.4", "respiratory_rate": "16", "spo2": "97",
                            "weight_kg": "70.5"})
    entries = vitals_entries(ExportVitals("1", NOW, reading.values()), "urn:uuid:p", uuid_for)
    resources = {r["code"]["coding"][0]["code"]: r for _, r in entries}
    assert set(resources) == {"85353-1", "8867-4", "85354-9", "8310-5", "9279-1", "2708-6",
                              "29463-7"}
    for resource in resources.values():
        Observation.model_validate(resource)
        assert resource["category"][0]["coding"][0]["code"] == "vital-signs"
    bp = resources["85354-9"]
    assert [c["code"]["coding"][0]["code"] for c in bp["component"]] == ["8480-6", "8462-4"]
    assert bp["component"][0]["valueQuantity"]["code"] == "mm[Hg]"
    assert resources["8310-5"]["valueQuantity"]["code"] == "Cel"
    assert [c["code"] for c in resources["2708-6"]["code"]["coding"]] == ["2708-6", "59408-5"]
    assert len(resources["85353-1"]["hasMember"]) == 6


def test_labs_are_valid_laboratory_observations() -> None:
    alt_row = ExportLab("1", "alt", "ALT", "liver", "1742-6", "U/L", 52.0, "high", None, 40.0,
                        NOW)
    uds = ExportLab("2", "mitragynine", "Kratom (mitragynine)", "specific", "", "",
                    "positive", "positive", None, None, NOW)
    for lab in (alt_row, uds):
        _, resource = lab_entry(lab, "urn:uuid:p", uuid_for)
        Observation.model_validate(resource)
        assert resource["category"][0]["coding"][0]["code"] == "laboratory"
    _, alt_fhir = lab_entry(alt_row, "urn:uuid:p", uuid_for)
    assert alt_fhir["code"]["coding"][0] == {"system": "http://loinc.org", "code": "1742-6",
                                             "display": "ALT"}
    assert alt_fhir["interpretation"][0]["coding"][0]["code"] == "H"
    assert alt_fhir["referenceRange"][0]["high"]["value"] == 40.0
    _, uds_fhir = lab_entry(uds, "urn:uuid:p", uuid_for)
    assert all(c["system"] != "http://loinc.org" for c in uds_fhir["code"]["coding"])
    assert uds_fhir["valueCodeableConcept"]["coding"][0]["code"] == "positive"
