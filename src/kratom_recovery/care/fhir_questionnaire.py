"""Instruments as FHIR R4 Questionnaires (SDC style), and QuestionnaireResponses both ways.

Plain dicts, so the clinical core needs no FHIR library; tests validate the output with
fhir.resources (R4B models). Answer weights use the `ordinalValue` extension and totals the
SDC `calculatedExpression` [ref:hl7-sdc]. Items, panels and totals without a LOINC code (COWS,
SOWS, our own checklists) are coded in our local CodeSystem, never with a borrowed code
 [ref:loinc].
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.instruments import get_instrument
from kratom_recovery.care.instruments.base import (
    LOCAL_ANSWER_SYSTEM,
    LOCAL_ITEM_SYSTEM,
    LOINC_SYSTEM,
    Instrument,
    Item,
    Option,
    Score,
    score_mapping,
)

BASE_URL: Final = "https://kratom-recovery.org/fhir"
SDC_QUESTIONNAIRE: Final = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire"
SDC_RESPONSE: Final = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaireresponse"
)
ORDINAL_VALUE: Final = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
CALCULATED_EXPRESSION: Final = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
)
MIN_VALUE: Final = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE: Final = "http://hl7.org/fhir/StructureDefinition/maxValue"
QUESTIONNAIRE_UNIT: Final = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"
# Our own extension recording which documented scoring option was applied (e.g. the DSM-5
# medical-supervision rule for the SUD checklist), so a response scores back the same.
SCORING_OPTION: Final = f"{BASE_URL}/StructureDefinition/scoring-option"
TOTAL_LINK_ID: Final = "total"
INSTRUCTIONS_LINK_ID: Final = "instructions"
UCUM: Final = "http://unitsofmeasure.org"
UCUM_UNITS: Final[Mapping[str, tuple[str, str]]] = {"bpm": ("/min", "beats per minute")}


def questionnaire_url(instrument: Instrument) -> str:
    return f"{BASE_URL}/Questionnaire/{instrument.id}"


def _coding(system: str, code: str, display: str) -> dict[str, Any]:
    return {"system": system, "code": code, "display": display}


def item_coding(instrument: Instrument, item: Item) -> dict[str, Any]:
    if item.loinc:
        return _coding(LOINC_SYSTEM, item.loinc, item.text)
    return _coding(LOCAL_ITEM_SYSTEM, f"{instrument.id}-{item.id}", item.text)


def answer_coding(instrument: Instrument, item: Item, option: Option) -> dict[str, Any]:
    if option.loinc:
        return _coding(LOINC_SYSTEM, option.loinc, option.label)
    return _coding(LOCAL_ANSWER_SYSTEM, f"{instrument.id}-{item.id}-{option.value}", option.label)


def _panel_coding(instrument: Instrument) -> dict[str, Any]:
    if instrument.loinc_panel:
        return _coding(LOINC_SYSTEM, instrument.loinc_panel, instrument.name)
    return _coding(LOCAL_ITEM_SYSTEM, instrument.id, instrument.name)


def _total_coding(instrument: Instrument) -> dict[str, Any]:
    display = f"{instrument.short_name} total score"
    if instrument.loinc_total:
        return _coding(LOINC_SYSTEM, instrument.loinc_total, display)
    return _coding(LOCAL_ITEM_SYSTEM, f"{instrument.id}-total", display)


def _ordinal(value: int) -> dict[str, Any]:
    return {"url": ORDINAL_VALUE, "valueDecimal": value}


def _sum_expression(instrument: Instrument, excluded: frozenset[str] = frozenset()) -> str:
    counted = [item for item in instrument.items if item.scored and item.id not in excluded]
    if len(counted) == len(instrument.items):
        return "%resource.answers().value.ordinal().sum()"
    ids = " | ".join(f"'{item.id}'" for item in counted)
    return f"%resource.repeat(item).where(linkId in ({ids})).answer.value.ordinal().sum()"


def _total_expression(instrument: Instrument) -> str:
    """FHIRPath for the total: the SDC PHQ-9 form [ref:hl7-sdc] when every item is summed.

    A scoring option (e.g. sud's medically_supervised) is recorded on the response as a
    scoring-option extension; the expression leaves its items out when it is there, so the
    form's total agrees with `score(..., medically_supervised=True)`."""
    expression = _sum_expression(instrument)
    for option in instrument.options:
        applied = (f"%resource.extension.where(url = '{SCORING_OPTION}' and "
                   f"value = '{option.name}').exists()")
        expression = (f"iif({applied}, "
                      f"{_sum_expression(instrument, frozenset(option.excludes))}, "
                      f"{expression})")
    return expression


def _question(instrument: Instrument, item: Item) -> dict[str, Any]:
    question: dict[str, Any] = {
        "linkId": item.id,
        "code": [item_coding(instrument, item)],
        "prefix": f"{item.number}.",
        "text": item.text,
        "required": not item.optional,
    }
    if item.options:
        question["type"] = "choice"
        question["answerOption"] = [
            {
                "extension": [_ordinal(option.value)],
                "valueCoding": answer_coding(instrument, item, option),
            }
            for option in item.options
        ]
    else:
        question["type"] = "integer"
        question["extension"] = [
            {"url": MIN_VALUE, "valueInteger": item.minimum},
            {"url": MAX_VALUE, "valueInteger": item.maximum},
        ]
        if item.unit is not None and item.unit in UCUM_UNITS:
            code, display = UCUM_UNITS[item.unit]
            question["extension"].append(
                {"url": QUESTIONNAIRE_UNIT, "valueCoding": _coding(UCUM, code, display)}
            )
    return question


def questionnaire(instrument: Instrument) -> dict[str, Any]:
    """The instrument as an SDC Questionnaire (FHIR R4)."""
    description = instrument.description
    if instrument.caveat:
        description = f"{description} {instrument.caveat}"
    for option in instrument.options:
        description = f"{description} Scoring option {option.name}: {option.description}"
    return {
        "resourceType": "Questionnaire",
        "id": instrument.id,
        "meta": {"profile": [SDC_QUESTIONNAIRE]},
        "url": questionnaire_url(instrument),
        "version": instrument.version,
        "name": "".join(ch for ch in instrument.short_name.title() if ch.isalnum()),
        "title": instrument.name,
        "status": "active",
        "subjectType": ["Patient"],
        "description": description,
        "copyright": f"{instrument.licence} Source: {instrument.source}",
        "code": [_panel_coding(instrument)],
        "item": [
            {
                "linkId": INSTRUCTIONS_LINK_ID,
                "type": "display",
                "text": f"{instrument.instructions} (Time frame: {instrument.recall_period}.)",
            },
            *(_question(instrument, item) for item in instrument.items),
            {
                "linkId": TOTAL_LINK_ID,
                "code": [_total_coding(instrument)],
                "text": "Total score",
                "type": "integer",
                "readOnly": True,
                "extension": [
                    {
                        "url": CALCULATED_EXPRESSION,
                        "valueExpression": {
                            "language": "text/fhirpath",
                            "expression": _total_expression(instrument),
                        },
                    }
                ],
            },
        ],
    }


def questionnaire_response(
    instrument: Instrument, score: Score, authored: datetime, subject_ref: str | None = None
) -> dict[str, Any]:
    """A completed QuestionnaireResponse carrying each answer (with its ordinal) and the total."""
    if score.instrument != instrument.id or score.version != instrument.version:
        raise InvalidInput(
            "score", f"is for {score.instrument} v{score.version}, not {instrument.id} "
            f"v{instrument.version}"
        )
    if authored.tzinfo is None:
        raise InvalidInput("authored", "must include a UTC offset")
    answers: list[dict[str, Any]] = []
    for detail, item in zip(score.items, instrument.items, strict=True):
        if detail.value is None:
            continue  # unanswered optional item: FHIR wants no empty answer lists
        option = item.option_for(detail.value)
        if option is not None:
            coding = answer_coding(instrument, item, option)
            coding["extension"] = [_ordinal(option.value)]
            answer: dict[str, Any] = {"valueCoding": coding}
        else:
            answer = {"valueInteger": detail.value}
        answers.append({"linkId": item.id, "text": item.text, "answer": [answer]})
    answers.append(
        {"linkId": TOTAL_LINK_ID, "text": "Total score", "answer": [{"valueInteger": score.total}]}
    )
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "meta": {"profile": [SDC_RESPONSE]},
        "questionnaire": f"{questionnaire_url(instrument)}|{instrument.version}",
        "status": "completed",
        "authored": authored.isoformat(),
        "item": answers,
    }
    if score.options:
        resource["extension"] = [{"url": SCORING_OPTION, "valueCode": o} for o in score.options]
    if subject_ref is not None:
        resource["subject"] = {"reference": subject_ref}
    return resource


def _instrument_of(resource: Mapping[str, Any]) -> Instrument:
    canonical = resource.get("questionnaire")
    prefix = f"{BASE_URL}/Questionnaire/"
    if not isinstance(canonical, str) or not canonical.startswith(prefix):
        raise InvalidInput(
            "questionnaire", f"must be one of our canonical URLs ({prefix}<id>|<version>)"
        )
    instrument_id, _, version = canonical[len(prefix):].partition("|")
    instrument = get_instrument(instrument_id)
    if version and version != instrument.version:
        raise InvalidInput(
            "questionnaire",
            f"version {version!r} of {instrument.id} is not supported; use {instrument.version}",
        )
    return instrument


def _ordinal_in(*elements: object) -> object | None:
    for element in elements:
        if isinstance(element, Mapping):
            for extension in element.get("extension") or []:
                if isinstance(extension, Mapping) and extension.get("url") == ORDINAL_VALUE:
                    return extension.get("valueDecimal")
    return None


def _answer_value(instrument: Instrument, item: Item, entry: Mapping[str, Any]) -> object:
    where = f"item {item.number} ({item.id}) of {instrument.id}"
    answers = entry.get("answer")
    if not isinstance(answers, list) or len(answers) != 1 or not isinstance(answers[0], Mapping):
        raise InvalidInput(item.id, f"{where} needs exactly one answer")
    answer = answers[0]
    if not item.options:
        if "valueInteger" not in answer:
            raise InvalidInput(item.id, f"{where} needs a valueInteger answer")
        return answer["valueInteger"]
    coding = answer.get("valueCoding")
    if not isinstance(coding, Mapping):
        raise InvalidInput(item.id, f"{where} needs a valueCoding answer")
    by_code = next(
        (
            option.value
            for option in item.options
            if (
                (c := answer_coding(instrument, item, option))["system"] == coding.get("system")
                and c["code"] == coding.get("code")
            )
        ),
        None,
    )
    ordinal = _ordinal_in(coding, answer)
    if by_code is not None:
        if ordinal is not None and ordinal != by_code:
            raise InvalidInput(item.id, f"{where}: code and ordinalValue disagree")
        return by_code
    if ordinal is not None:
        return ordinal
    raise InvalidInput(
        item.id,
        f"{where}: answer code {coding.get('code')!r} is unknown and has no ordinalValue; "
        f"allowed values are {item.describe_allowed()}",
    )


def score_questionnaire_response(resource: Mapping[str, Any]) -> Score:
    """Score a QuestionnaireResponse for one of our instruments; refuse anything malformed."""
    if not isinstance(resource, Mapping) or resource.get("resourceType") != (
        "QuestionnaireResponse"
    ):
        raise InvalidInput("resourceType", "must be QuestionnaireResponse")
    instrument = _instrument_of(resource)
    if resource.get("status") not in ("completed", "amended"):
        raise InvalidInput("status", "must be completed or amended to be scored")
    options = {
        str(ext.get("valueCode")): True
        for ext in resource.get("extension") or []
        if isinstance(ext, Mapping) and ext.get("url") == SCORING_OPTION
    }
    entries = resource.get("item")
    if not isinstance(entries, list):
        raise InvalidInput("item", "must be a list of answered items")
    answers: dict[str, object] = {}
    stated_total: object = None
    for entry in entries:
        link_id = entry.get("linkId") if isinstance(entry, Mapping) else None
        if not isinstance(link_id, str):
            raise InvalidInput("item", "every item needs a linkId")
        if link_id in answers or (link_id == TOTAL_LINK_ID and stated_total is not None):
            raise InvalidInput(link_id, "is answered more than once")
        if link_id == TOTAL_LINK_ID:
            total_answers = entry.get("answer")
            if (
                not isinstance(total_answers, list)
                or len(total_answers) != 1
                or not isinstance(total_answers[0], Mapping)
            ):
                raise InvalidInput(TOTAL_LINK_ID, "needs exactly one answer")
            stated_total = total_answers[0].get(
                "valueInteger", total_answers[0].get("valueDecimal")
            )
            continue
        item = instrument.item(link_id)
        if item is None:
            ids = ", ".join(i.id for i in instrument.items)
            raise InvalidInput(
                link_id, f"{link_id!r} is not an item of {instrument.id}; its items are {ids}"
            )
        answers[link_id] = _answer_value(instrument, item, entry)
    result = score_mapping(instrument, answers, **options)
    if stated_total is not None and stated_total != result.total:
        raise InvalidInput(
            TOTAL_LINK_ID,
            f"states {stated_total!r} but the answers add up to {result.total}",
        )
    return result
