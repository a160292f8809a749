"""FHIR Questionnaire / QuestionnaireResponse output, validated with the R4B models."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from hypothesis import given, settings
from hypothesis import strategies as st

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.fhir_questionnaire import (
    CALCULATED_EXPRESSION,
    ORDINAL_VALUE,
    SDC_QUESTIONNAIRE,
    questionnaire,
    questionnaire_response,
    score_questionnaire_response,
)
from kratom_recovery.care.instruments import INSTRUMENTS, get_instrument, score
from kratom_recovery.care.instruments.base import LOCAL_ITEM_SYSTEM, LOINC_SYSTEM

AUTHORED = datetime(2026, 11, 20, 8, 30, tzinfo=timezone(timedelta(hours=-5)))
ALL = list(INSTRUMENTS)


def questions(resource: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for i in resource["item"] if i["type"] != "display" and not i.get("readOnly")]


@pytest.mark.parametrize("instrument_id", ALL)
def test_questionnaire_validates_as_r4_and_follows_sdc(instrument_id: str) -> None:
    instrument = get_instrument(instrument_id)
    resource = questionnaire(instrument)
    Questionnaire.model_validate(resource)
    assert resource["meta"]["profile"] == [SDC_QUESTIONNAIRE]
    assert resource["status"] == "active" and resource["version"] == instrument.version
    assert resource["url"].endswith(f"/Questionnaire/{instrument_id}")
    assert instrument.licence in resource["copyright"]
    asked = questions(resource)
    assert [q["linkId"] for q in asked] == [i.id for i in instrument.items]
    for question, item in zip(asked, instrument.items, strict=True):
        assert question["required"] is not item.optional
        if item.options:
            ordinals = [o["extension"][0] for o in question["answerOption"]]
            assert all(e["url"] == ORDINAL_VALUE for e in ordinals)
            assert [e["valueDecimal"] for e in ordinals] == list(item.allowed_values)
    total = resource["item"][-1]
    assert total["readOnly"] is True
    assert total["extension"][0]["url"] == CALCULATED_EXPRESSION


@pytest.mark.parametrize(
    ("instrument_id", "panel", "first_item", "total"),
    [
        ("phq9", (LOINC_SYSTEM, "44249-1"), (LOINC_SYSTEM, "44250-9"), (LOINC_SYSTEM, "44261-6")),
        ("gad7", (LOINC_SYSTEM, "69737-5"), (LOINC_SYSTEM, "69725-0"), (LOINC_SYSTEM, "70274-6")),
        # [ref:loinc]: no LOINC for COWS or SOWS, so our own code system (never 72514-3).
        ("cows", (LOCAL_ITEM_SYSTEM, "cows"), (LOCAL_ITEM_SYSTEM, "cows-resting-pulse"),
         (LOCAL_ITEM_SYSTEM, "cows-total")),
        ("sows", (LOCAL_ITEM_SYSTEM, "sows"), (LOCAL_ITEM_SYSTEM, "sows-anxious"),
         (LOCAL_ITEM_SYSTEM, "sows-total")),
    ],
)
def test_codes(
    instrument_id: str, panel: tuple[str, str], first_item: tuple[str, str],
    total: tuple[str, str],
) -> None:
    resource = questionnaire(get_instrument(instrument_id))

    def pair(coding: dict[str, Any]) -> tuple[str, str]:
        return coding["system"], coding["code"]

    assert pair(resource["code"][0]) == panel
    assert pair(questions(resource)[0]["code"][0]) == first_item
    assert pair(resource["item"][-1]["code"][0]) == total


def test_phq9_answers_use_loinc_answer_codes() -> None:
    options = questions(questionnaire(get_instrument("phq9")))[8]["answerOption"]
    assert [o["valueCoding"]["code"] for o in options] == [
        "LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9",
    ]


def test_pulse_is_an_integer_item_with_limits() -> None:
    pulse = questions(questionnaire(get_instrument("daily-extra")))[-1]
    assert pulse["type"] == "integer" and pulse["required"] is False
    assert [e.get("valueInteger") for e in pulse["extension"][:2]] == [30, 220]


EXAMPLES = [
    ("cows", [1, 2, 3, 1, 2, 2, 2, 1, 1, 2, 3], {}),
    ("phq9", [0, 1, 2, 3, 0, 1, 2, 3, 1], {}),
    ("sud", [1] * 11, {"medically_supervised": True}),
    ("daily-extra", [0, 1, 2, 3, 4], {}),
    ("daily-extra", [0, 1, 2, 3, 4, 88], {}),
    ("craving", [10], {}),
]


@pytest.mark.parametrize(("instrument_id", "answers", "options"), EXAMPLES)
def test_round_trip(instrument_id: str, answers: list[int], options: dict[str, bool]) -> None:
    instrument = get_instrument(instrument_id)
    result = score(instrument_id, answers, **options)
    response = questionnaire_response(instrument, result, AUTHORED, "Patient/42")
    QuestionnaireResponse.model_validate(response)
    assert response["subject"] == {"reference": "Patient/42"}
    assert response["authored"] == "2026-11-20T08:30:00-05:00"
    assert score_questionnaire_response(response) == result


@settings(max_examples=25, deadline=None)
@given(data=st.data(), instrument_id=st.sampled_from(ALL))
def test_round_trip_any_valid_answers(data: st.DataObject, instrument_id: str) -> None:
    instrument = get_instrument(instrument_id)
    answers = [
        data.draw(st.sampled_from(item.allowed_values)) if item.options
        else data.draw(st.none() | st.integers(item.minimum or 0, item.maximum or 0))
        for item in instrument.items
    ]
    result = score(instrument_id, answers)
    response = questionnaire_response(instrument, result, datetime.now(UTC), None)
    assert "subject" not in response
    assert score_questionnaire_response(response) == result


def test_answers_are_read_back_by_ordinal_when_the_code_is_foreign() -> None:
    instrument = get_instrument("cows")
    result = score("cows", [4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5])
    response = questionnaire_response(instrument, result, AUTHORED, None)
    response["item"][0]["answer"][0]["valueCoding"]["system"] = "http://example.org/other"
    assert score_questionnaire_response(response) == result


def _response() -> dict[str, Any]:
    result = score("cows", [1, 2, 3, 1, 2, 2, 2, 1, 1, 2, 3])
    return questionnaire_response(get_instrument("cows"), result, AUTHORED, None)


def _set(path: list[Any], value: Any) -> Any:
    def change(resource: dict[str, Any]) -> dict[str, Any]:
        target: Any = resource
        for key in path[:-1]:
            target = target[key]
        if value is _DELETE:
            del target[path[-1]]
        else:
            target[path[-1]] = value
        return resource
    return change


_DELETE = object()
MALFORMED = [
    ("not a response", _set(["resourceType"], "Questionnaire"), "resourceType"),
    ("unknown questionnaire", _set(["questionnaire"], "http://loinc.org/q/44249-1"),
     "questionnaire"),
    ("unknown instrument",
     _set(["questionnaire"], "https://kratom-recovery.org/fhir/Questionnaire/ciwa|1"),
     "instrument"),
    ("other version",
     _set(["questionnaire"], "https://kratom-recovery.org/fhir/Questionnaire/cows|9"),
     "questionnaire"),
    ("in progress", _set(["status"], "in-progress"), "status"),
    ("no items", _set(["item"], _DELETE), "item"),
    ("unknown item", _set(["item", 0, "linkId"], "heart-rate"), "heart-rate"),
    ("missing item", lambda r: {**r, "item": r["item"][1:]}, "resting-pulse"),
    ("two answers", lambda r: _set(["item", 0, "answer"], r["item"][0]["answer"] * 2)(r),
     "resting-pulse"),
    ("no answer", _set(["item", 0, "answer"], []), "resting-pulse"),
    ("integer for a choice", _set(["item", 0, "answer"], [{"valueInteger": 1}]),
     "resting-pulse"),
    ("unknown code, no ordinal",
     _set(["item", 0, "answer", 0, "valueCoding"], {"system": "x", "code": "y"}),
     "resting-pulse"),
    ("ordinal not allowed",
     _set(["item", 0, "answer", 0, "valueCoding"],
          {"system": "x", "code": "y",
           "extension": [{"url": ORDINAL_VALUE, "valueDecimal": 3}]}),
     "resting-pulse"),
    ("code and ordinal disagree",
     _set(["item", 0, "answer", 0, "valueCoding", "extension", 0, "valueDecimal"], 2),
     "resting-pulse"),
    ("wrong total", _set(["item", -1, "answer"], [{"valueInteger": 21}]), "total"),
    ("unknown scoring option",
     _set(["extension"], [{"url": "https://kratom-recovery.org/fhir/StructureDefinition/"
                                  "scoring-option", "valueCode": "medically_supervised"}]),
     "options"),
]


@pytest.mark.parametrize(("why", "change", "field"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_responses_are_refused(why: str, change: Any, field: str) -> None:
    response = change(copy.deepcopy(_response()))
    with pytest.raises(InvalidInput) as caught:
        score_questionnaire_response(response)
    assert caught.value.field == field, why


def test_response_needs_an_aware_datetime_and_matching_score() -> None:
    result = score("craving", [3])
    with pytest.raises(InvalidInput):
        questionnaire_response(get_instrument("craving"), result, datetime(2026, 1, 1), None)  # noqa: DTZ001
    with pytest.raises(InvalidInput):
        questionnaire_response(get_instrument("cows"), result, AUTHORED, None)
