"""Issue 13, section D: instrument wording (PHQ-9 verbatim, SOWS item 16 as an intensity, the
use-disorder checklist's DSM qualifiers) and the clinician-only supervised-use exclusion,
with the FHIR total expression agreeing with the scoring."""

from __future__ import annotations

import re

import pytest

from kratom_recovery.care.fhir_questionnaire import (
    SCORING_OPTION,
    TOTAL_LINK_ID,
    questionnaire,
)
from kratom_recovery.care.instruments import INSTRUMENTS, score

# The published English PHQ-9 [ref:phq-screeners], free to reproduce.
PHQ9_STEM = ("Over the last 2 weeks, how often have you been bothered by any of the following "
             "problems?")
PHQ9_ITEMS = (
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself \u2014 or that you are a failure or have let yourself or your "
    "family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite "
    "\u2014 being so fidgety or restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead or of hurting yourself in some way",
)
PHQ9_ANSWERS = ("Not at all", "Several days", "More than half the days", "Nearly every day")


def test_phq9_is_the_published_wording_verbatim() -> None:
    phq9 = INSTRUMENTS["phq9"]
    assert phq9.instructions == PHQ9_STEM
    assert tuple(item.text for item in phq9.items) == PHQ9_ITEMS
    for item in phq9.items:
        assert tuple(o.label for o in item.options) == PHQ9_ANSWERS
        assert tuple(o.value for o in item.options) == (0, 1, 2, 3)
    assert phq9.version == "2"  # the wording changed


def test_sows_item_16_asks_for_intensity() -> None:
    sows = INSTRUMENTS["sows"]
    item = sows.items[15]
    assert (item.number, item.id, item.text) == (16, "urge-to-use",
                                                  "I feel like taking kratom now.")
    assert [o.value for o in item.options] == [0, 1, 2, 3, 4]
    assert "strong" not in item.text.lower()  # no threshold in the question
    assert sows.version == "2"


@pytest.mark.parametrize(("item_id", "qualifier"), [
    ("cut-down", "kept wanting"),
    ("cut-down", "more than once"),
    ("role-failure", "again and again"),
    ("social-problems", "kept causing"),
    ("hazardous-use", "more than once"),
    ("despite-problems", "lasting or recurring"),
    ("tolerance", "much more"),
    ("tolerance", "much less"),
])
def test_use_disorder_checklist_keeps_dsm_qualifiers(item_id: str, qualifier: str) -> None:
    sud = INSTRUMENTS["sud"]
    item = sud.item(item_id)
    assert item is not None and qualifier in item.text.lower()
    assert sud.version == "2"


def test_medically_supervised_is_for_clinicians_and_says_self_directed_use_counts() -> None:
    (option,) = INSTRUMENTS["sud"].options
    assert option.name == "medically_supervised" and option.clinician_only
    assert "For clinicians only" in option.description
    assert "does not apply to self-directed kratom use" in option.description
    assert set(option.excludes) == {"tolerance", "withdrawal"}


def _evaluate_total(expression: str, answers: dict[str, int], options: set[str]) -> int:
    """Evaluate the two shapes our total expressions take (a sum over all answers or over
    listed linkIds, optionally inside iif on a scoring-option extension)."""
    choice = re.fullmatch(r"iif\((.*?)\.exists\(\), (.*?ordinal\(\)\.sum\(\)), (.*)\)",
                          expression)
    if choice:
        name = re.search(r"value = '([a-z_]+)'", choice.group(1))
        assert name is not None and SCORING_OPTION in choice.group(1)
        branch = choice.group(2) if name.group(1) in options else choice.group(3)
        return _evaluate_total(branch, answers, options)
    if expression == "%resource.answers().value.ordinal().sum()":
        return sum(answers.values())
    listed = re.fullmatch(r"%resource\.repeat\(item\)\.where\(linkId in \((.*)\)\)"
                          r"\.answer\.value\.ordinal\(\)\.sum\(\)", expression)
    assert listed is not None, expression
    ids = {part.strip().strip("'") for part in listed.group(1).split("|")}
    return sum(value for link, value in answers.items() if link in ids)


@pytest.mark.parametrize("supervised", [False, True])
@pytest.mark.parametrize("values", [[1] * 11, [0] * 9 + [1, 1], [1, 0] * 5 + [1]])
def test_fhir_total_expression_agrees_with_the_scoring(values: list[int],
                                                       supervised: bool) -> None:
    sud = INSTRUMENTS["sud"]
    form = questionnaire(sud)
    total_item = next(i for i in form["item"] if i["linkId"] == TOTAL_LINK_ID)
    expression = total_item["extension"][0]["valueExpression"]["expression"]
    answers = {item.id: value for item, value in zip(sud.items, values, strict=True)}
    options = {"medically_supervised"} if supervised else set()
    expected = score("sud", values, medically_supervised=supervised).total
    assert _evaluate_total(expression, answers, options) == expected


def test_instruments_without_options_keep_the_plain_sum() -> None:
    form = questionnaire(INSTRUMENTS["phq9"])
    total_item = next(i for i in form["item"] if i["linkId"] == TOTAL_LINK_ID)
    expression = total_item["extension"][0]["valueExpression"]["expression"]
    assert expression == "%resource.answers().value.ordinal().sum()"
