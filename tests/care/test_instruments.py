"""Instrument registry and scoring: golden tables from the cited sources (docs/references.md)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.instruments import (
    INSTRUMENTS,
    Band,
    Instrument,
    get_instrument,
    score,
    score_mapping,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "instruments.md"


def answers_for_total(instrument: Instrument, total: int) -> list[int]:
    """Answers (published order, optional items left out) whose scored sum is `total`.

    Found by search over each item's allowed values, so it works for COWS's gapped scores.
    """
    scored = [item for item in instrument.items if not item.optional]
    reachable: list[dict[int, int]] = [{0: 0}]  # per item prefix: sum -> last item's value
    for item in scored:
        values = item.allowed_values or tuple(range(item.lowest, item.highest + 1))
        step: dict[int, int] = {}
        for partial in reachable[-1]:
            for value in values:
                step.setdefault(partial + value, value)
        reachable.append(step)
    assert total in reachable[-1], f"{instrument.id}: total {total} is unreachable"
    chosen: list[int] = []
    remaining = total
    for step in reversed(reachable[1:]):
        chosen.append(step[remaining])
        remaining -= step[remaining]
    return chosen[::-1]


# --- shape of each instrument ---------------------------------------------------------

SHAPES = [
    # id, items, min, max, respondent, source
    ("sows", 16, 0, 64, "patient", "[ref:handelsman1987] (Handelsman 1987)"),
    ("cows", 11, 0, 48, "clinician", "[ref:wesson-ling2003] (Wesson & Ling 2003)"),
    ("phq9", 9, 0, 27, "patient", "[ref:kroenke2001] (Kroenke 2001)"),
    ("gad7", 7, 0, 21, "patient", "[ref:spitzer2006] (Spitzer 2006)"),
    ("sud", 11, 0, 11, "patient", "[ref:dsm5] (DSM-5, 11 criteria)"),
    ("craving", 1, 0, 10, "patient", "[ref:craving-rating] (0-10 rating)"),
    ("daily-extra", 6, 0, 20, "patient", "our design (5 symptoms 0-4, pulse not summed)"),
    ("audit-c", 3, 0, 12, "patient", "bush1998 (AUDIT items 1-3, 0-4 each)"),
    ("ciwa-ar", 10, 0, 67, "clinician", "[ref:sullivan1989] (nine items 0-7, orientation 0-4)"),
]


def test_registry_holds_exactly_the_specified_instruments() -> None:
    assert sorted(INSTRUMENTS) == sorted(row[0] for row in SHAPES)
    # Each id loads its own definition (the registry imports a scale on first use).
    assert [INSTRUMENTS[i].id for i in INSTRUMENTS] == list(INSTRUMENTS)
    assert [i.id for i in INSTRUMENTS.values()] == list(INSTRUMENTS)
    assert INSTRUMENTS.get("nope") is None and "nope" not in INSTRUMENTS


@pytest.mark.parametrize(("instrument_id", "count", "low", "high", "respondent", "source"), SHAPES)
def test_item_count_range_and_respondent(
    instrument_id: str, count: int, low: int, high: int, respondent: str, source: str
) -> None:
    instrument = get_instrument(instrument_id)
    assert len(instrument.items) == count, source
    assert (instrument.min_total, instrument.max_total) == (low, high), source
    assert instrument.respondent == respondent, source
    assert score(instrument_id, answers_for_total(instrument, high)).total == high


def test_fixed_item_ids_shared_across_the_project() -> None:
    # PREAMBLE: fixed ids other modules rely on.
    assert [i.id for i in get_instrument("sows").items] == [
        "anxious", "yawning", "sweating", "tearing", "runny-nose", "gooseflesh", "shaking",
        "hot-flashes", "cold-flashes", "aches", "restless", "nauseous", "vomit-urge",
        "twitching", "cramps", "urge-to-use",
    ]
    assert [i.id for i in get_instrument("daily-extra").items] == [
        "low-mood", "irritability", "mental-fog", "fatigue", "poor-sleep", "pulse",
    ]
    assert [i.id for i in get_instrument("craving").items] == ["craving"]


COWS_ALLOWED = [  # [ref:wesson-ling2003] table, item by item
    (1, "resting-pulse", (0, 1, 2, 4)),
    (2, "sweating", (0, 1, 2, 3, 4)),
    (3, "restlessness", (0, 1, 3, 5)),
    (4, "pupil-size", (0, 1, 2, 5)),
    (5, "aches", (0, 1, 2, 4)),
    (6, "runny-nose-tearing", (0, 1, 2, 4)),
    (7, "gi-upset", (0, 1, 2, 3, 5)),
    (8, "tremor", (0, 1, 2, 4)),
    (9, "yawning", (0, 1, 2, 4)),
    (10, "anxiety-irritability", (0, 1, 2, 4)),
    (11, "gooseflesh", (0, 3, 5)),
]


@pytest.mark.parametrize(("number", "item_id", "allowed"), COWS_ALLOWED)
def test_cows_allowed_scores_per_item(number: int, item_id: str, allowed: tuple[int, ...]) -> None:
    item = get_instrument("cows").items[number - 1]
    assert (item.id, item.allowed_values) == (item_id, allowed)


@pytest.mark.parametrize(
    ("instrument_id", "values"),
    [("sows", (0, 1, 2, 3, 4)), ("phq9", (0, 1, 2, 3)), ("gad7", (0, 1, 2, 3)),
     ("sud", (0, 1)), ("craving", tuple(range(11)))],
)
def test_uniform_item_scales(instrument_id: str, values: tuple[int, ...]) -> None:
    for item in get_instrument(instrument_id).items:
        assert item.allowed_values == values, item.id


def test_daily_extra_pulse_is_optional_integer_and_not_summed() -> None:
    pulse = get_instrument("daily-extra").items[-1]
    assert (pulse.kind, pulse.minimum, pulse.maximum) == ("integer", 30, 220)
    assert pulse.optional and not pulse.scored
    without = score("daily-extra", [1, 2, 3, 4, 0])
    with_pulse = score("daily-extra", [1, 2, 3, 4, 0, 95])
    assert without.total == with_pulse.total == 10
    assert with_pulse.value_of("pulse") == 95 and without.value_of("pulse") is None


# --- codes ------------------------------------------------------------------------------

LOINC = [  # [ref:loinc]
    ("phq9", "44249-1", "44261-6",
     ("44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3",
      "44260-8")),
    # GAD-7 codes are [V-2nd] in [ref:loinc].
    ("gad7", "69737-5", "70274-6",
     ("69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7")),
]


@pytest.mark.parametrize(("instrument_id", "panel", "total", "items"), LOINC)
def test_loinc_codes(
    instrument_id: str, panel: str, total: str, items: tuple[str, ...]
) -> None:
    instrument = get_instrument(instrument_id)
    assert (instrument.loinc_panel, instrument.loinc_total) == (panel, total)
    assert tuple(i.loinc for i in instrument.items) == items
    for item in instrument.items:
        assert [(o.value, o.label, o.loinc) for o in item.options] == [
            (0, "Not at all", "LA6568-5"), (1, "Several days", "LA6569-3"),
            (2, "More than half the days", "LA6570-1"), (3, "Nearly every day", "LA6571-9"),
        ]


@pytest.mark.parametrize("instrument_id", ["sows", "cows", "sud", "craving", "daily-extra"])
def test_no_borrowed_codes_where_loinc_has_none(instrument_id: str) -> None:
    # [ref:loinc]: no genuine LOINC for COWS/SOWS; 72514-3 is a pain score.
    instrument = get_instrument(instrument_id)
    assert instrument.loinc_panel is None and instrument.loinc_total is None
    assert all(item.loinc is None for item in instrument.items)
    assert all(o.loinc is None for item in instrument.items for o in item.options)


@pytest.mark.parametrize("instrument", INSTRUMENTS.values(), ids=list(INSTRUMENTS))
def test_every_definition_is_complete(instrument: Instrument) -> None:
    for text in (instrument.name, instrument.short_name, instrument.instructions,
                 instrument.recall_period, instrument.source, instrument.licence,
                 instrument.description, instrument.version):
        assert text.strip()
    assert all(item.text.strip() for item in instrument.items)
    if instrument.id in ("sows", "cows"):
        assert instrument.caveat and "not been validated for kratom" in instrument.caveat


def test_every_instrument_is_documented() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    for instrument_id, instrument in INSTRUMENTS.items():
        assert f"`{instrument_id}`" in docs, instrument_id
        assert f"{instrument.min_total}–{instrument.max_total}" in docs, instrument_id


# --- bands: every edge, both sides --------------------------------------------------------

BAND_EDGES = [
    # instrument, total, band id, source
    ("sows", 0, "none", "[ref:ctn0094-data]"),
    ("sows", 1, "mild", "[ref:ctn0094-data]"),
    ("sows", 10, "mild", "[ref:ctn0094-data]"),
    ("sows", 11, "moderate", "[ref:ctn0094-data]"),
    ("sows", 20, "moderate", "[ref:ctn0094-data]"),
    ("sows", 21, "severe", "[ref:ctn0094-data]"),
    ("sows", 64, "severe", "[ref:ctn0094-data]"),
    ("cows", 0, "none", "[ref:wesson-ling2003] (below 5: no published label)"),
    ("cows", 4, "none", "[ref:wesson-ling2003] (below 5: no published label)"),
    ("cows", 5, "mild", "[ref:wesson-ling2003]"),
    ("cows", 12, "mild", "[ref:wesson-ling2003]"),
    ("cows", 13, "moderate", "[ref:wesson-ling2003]"),
    ("cows", 24, "moderate", "[ref:wesson-ling2003]"),
    ("cows", 25, "moderately-severe", "[ref:wesson-ling2003]"),
    ("cows", 36, "moderately-severe", "[ref:wesson-ling2003]"),
    ("cows", 37, "severe", "[ref:wesson-ling2003]"),
    ("cows", 48, "severe", "[ref:wesson-ling2003]"),
    ("phq9", 0, "minimal", "[ref:kroenke2001]"),
    ("phq9", 4, "minimal", "[ref:kroenke2001]"),
    ("phq9", 5, "mild", "[ref:kroenke2001]"),
    ("phq9", 9, "mild", "[ref:kroenke2001]"),
    ("phq9", 10, "moderate", "[ref:kroenke2001]"),
    ("phq9", 14, "moderate", "[ref:kroenke2001]"),
    ("phq9", 15, "moderately-severe", "[ref:kroenke2001]"),
    ("phq9", 19, "moderately-severe", "[ref:kroenke2001]"),
    ("phq9", 20, "severe", "[ref:kroenke2001]"),
    ("phq9", 27, "severe", "[ref:kroenke2001]"),
    ("gad7", 0, "minimal", "[ref:spitzer2006]"),
    ("gad7", 4, "minimal", "[ref:spitzer2006]"),
    ("gad7", 5, "mild", "[ref:spitzer2006]"),
    ("gad7", 9, "mild", "[ref:spitzer2006]"),
    ("gad7", 10, "moderate", "[ref:spitzer2006]"),
    ("gad7", 14, "moderate", "[ref:spitzer2006]"),
    ("gad7", 15, "severe", "[ref:spitzer2006]"),
    ("gad7", 21, "severe", "[ref:spitzer2006]"),
    ("sud", 0, "none", "[ref:dsm5]"),
    ("sud", 1, "none", "[ref:dsm5]"),
    ("sud", 2, "mild", "[ref:dsm5]"),
    ("sud", 3, "mild", "[ref:dsm5]"),
    ("sud", 4, "moderate", "[ref:dsm5]"),
    ("sud", 5, "moderate", "[ref:dsm5]"),
    ("sud", 6, "severe", "[ref:dsm5]"),
    ("sud", 11, "severe", "[ref:dsm5]"),
]


@pytest.mark.parametrize(("instrument_id", "total", "band", "source"), BAND_EDGES)
def test_band_edges(instrument_id: str, total: int, band: str, source: str) -> None:
    answers = answers_for_total(get_instrument(instrument_id), total)
    result = score(instrument_id, answers)
    assert result.total == total
    assert result.band is not None and result.band.id == band, source


def test_cows_below_five_is_labelled_as_ours() -> None:
    band = get_instrument("cows").band_for(3)
    assert band is not None and band.label == "Below the withdrawal range"
    assert "Not a published" in band.note


@pytest.mark.parametrize(("instrument_id", "count"),
                         [("craving", 1), ("daily-extra", 5), ("audit-c", 3)])
def test_instruments_without_bands(instrument_id: str, count: int) -> None:
    # Unvalidated scales, and AUDIT-C, whose cut-off depends on sex (audit_c.is_positive).
    assert get_instrument(instrument_id).bands == ()
    assert score(instrument_id, [3] * count).band is None


# --- worked examples ------------------------------------------------------------------------

EXAMPLES = [
    # instrument, answers, options, total, max, band, flags, why
    ("cows", [1, 2, 3, 1, 2, 2, 2, 1, 1, 2, 3], {}, 20, 48, "moderate", [], "allowed values"),
    ("cows", [4, 4, 5, 5, 4, 4, 5, 4, 4, 4, 5], {}, 48, 48, "severe", [], "every item at max"),
    ("phq9", [0] * 8 + [1], {}, 1, 27, "minimal", ["suicidal-thoughts"], "item 9"),
    ("phq9", [3] * 8 + [0], {}, 24, 27, "severe", [], "item 9 at 0 raises nothing"),
    ("phq9", [1] * 9, {}, 9, 27, "mild", ["suicidal-thoughts"], "any item-9 answer > 0"),
    ("gad7", [1, 1, 1, 1, 1, 0, 0], {}, 5, 21, "mild", [], "[ref:spitzer2006]"),
    ("sud", [1] * 11, {}, 11, 11, "severe", [], "[ref:dsm5]"),
    ("sud", [1] * 11, {"medically_supervised": True}, 9, 9, "severe", [],
     "[ref:dsm5]: tolerance and withdrawal not counted"),
    ("sud", [0] * 9 + [1, 1], {}, 2, 11, "mild", [], "[ref:dsm5]"),
    ("sud", [0] * 9 + [1, 1], {"medically_supervised": True}, 0, 9, "none", [], "[ref:dsm5]"),
    ("sud", [1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1], {"medically_supervised": False}, 6, 11,
     "severe", [], "option off scores normally"),
    ("craving", [7], {}, 7, 10, None, [], "[ref:craving-rating]: no bands"),
    ("daily-extra", [4, 4, 4, 4, 4, 200], {}, 20, 20, None, [], "pulse not summed"),
]


@pytest.mark.parametrize(
    ("instrument_id", "answers", "options", "total", "maximum", "band", "flags", "why"), EXAMPLES
)
def test_worked_examples(
    instrument_id: str, answers: list[int], options: dict[str, bool], total: int, maximum: int,
    band: str | None, flags: list[str], why: str,
) -> None:
    result = score(instrument_id, answers, **options)
    data = result.as_dict()
    assert (data["total"], data["max"], data["band"], data["flags"]) == (
        total, maximum, band, flags
    ), why
    assert data["instrument"] == instrument_id
    assert data["version"] == INSTRUMENTS[instrument_id].version
    assert [i["value"] for i in data["items"]] == answers
    assert [i["number"] for i in data["items"]] == list(range(1, len(answers) + 1))


def test_medically_supervised_marks_criteria_10_and_11_not_counted() -> None:
    result = score("sud", [1] * 11, medically_supervised=True)
    assert [i.id for i in result.items if not i.counted] == ["tolerance", "withdrawal"]
    assert result.options == ("medically_supervised",)


def test_item_labels_come_from_the_options() -> None:
    result = score("cows", [4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5])
    assert result.items[0].label == "Above 120"
    assert result.items[-1].label == "Prominent gooseflesh"


def test_mapping_and_sequence_give_the_same_score() -> None:
    instrument = get_instrument("cows")
    answers = [2, 1, 3, 0, 4, 2, 5, 1, 2, 4, 3]
    by_id = {item.id: value for item, value in zip(instrument.items, answers, strict=True)}
    assert score_mapping("cows", by_id) == score("cows", answers)


def test_strings_and_whole_floats_are_accepted_as_numbers() -> None:
    assert score("gad7", ["1", " 2", 3.0, 0, 0, 0, 0]).total == 6


# --- invalid input --------------------------------------------------------------------------

INVALID = [
    # instrument, answers, options, fragments the message must contain
    ("cows", [3] + [0] * 10, {}, ["item 1 (resting-pulse)", "0, 1, 2, 4", "got 3"]),
    ("cows", [0] * 10 + [1], {}, ["item 11 (gooseflesh)", "0, 3, 5"]),
    ("cows", [0, 0, 2] + [0] * 8, {}, ["item 3 (restlessness)", "0, 1, 3, 5"]),
    ("cows", [0] * 10, {}, ["11 answers", "item 11 (gooseflesh)"]),
    ("phq9", [0] * 10, {}, ["9 answers", "no item 10"]),
    ("phq9", [0] * 8, {}, ["item 9 (self-harm-thoughts)", "missing"]),
    ("phq9", [True] + [0] * 8, {}, ["item 1 (interest)", "0, 1, 2, 3", "True"]),
    ("phq9", [0, "x"] + [0] * 7, {}, ["item 2 (low-mood)", "'x'"]),
    ("phq9", [0, 0, 1.5] + [0] * 6, {}, ["item 3 (sleep)", "1.5"]),
    ("phq9", [0] * 8 + [None], {}, ["item 9 (self-harm-thoughts)", "missing"]),
    ("phq9", [0] * 8 + [4], {}, ["item 9 (self-harm-thoughts)", "got 4"]),
    ("gad7", [0] * 6 + [-1], {}, ["item 7 (afraid)", "got -1"]),
    ("gad7", [0] * 6 + [float("nan")], {}, ["item 7 (afraid)", "nan"]),
    ("gad7", [0] * 6 + [[1]], {}, ["item 7 (afraid)", "[1]"]),
    ("sows", [0] * 15 + [5], {}, ["item 16 (urge-to-use)", "0, 1, 2, 3, 4"]),
    ("sud", [2] + [0] * 10, {}, ["item 1 (larger-longer)", "0, 1"]),
    ("craving", [11], {}, ["item 1 (craving)", "got 11"]),
    ("daily-extra", [0] * 5 + [29], {}, ["item 6 (pulse)", "30 to 220"]),
    ("daily-extra", [0] * 5 + [221], {}, ["item 6 (pulse)", "30 to 220"]),
    ("daily-extra", [0] * 5 + ["fast"], {}, ["item 6 (pulse)", "'fast'"]),
    ("daily-extra", [0] * 4, {}, ["5 to 6 answers", "item 5 (poor-sleep)"]),
    ("daily-extra", [0] * 5 + [70, 1], {}, ["no item 7"]),
    ("craving", "5", {}, ["list"]),
    ("cows", [0] * 11, {"medically_supervised": True}, ["no scoring option", "none"]),
    ("sud", [0] * 11, {"medically_supervised": "yes"}, ["true or false"]),
    ("sud", [0] * 11, {"supervised": True}, ["medically_supervised"]),
]


@pytest.mark.parametrize(("instrument_id", "answers", "options", "fragments"), INVALID)
def test_invalid_answers_raise_one_clear_error(
    instrument_id: str, answers: object, options: dict[str, object], fragments: list[str]
) -> None:
    with pytest.raises(InvalidInput) as caught:
        score(instrument_id, answers, **options)  # type: ignore[arg-type]
    for fragment in fragments:
        assert fragment in str(caught.value)


@pytest.mark.parametrize(
    ("answers", "fragments"),
    [
        ({"nervous": 0, "worry": 1}, ["'worry' is not an item of gad7", "uncontrolled-worry"]),
        ({"nervous": 0}, ["item 2 (uncontrolled-worry)", "missing"]),
        ({}, ["item 1 (nervous)", "missing"]),
    ],
)
def test_invalid_mappings(answers: dict[str, object], fragments: list[str]) -> None:
    with pytest.raises(InvalidInput) as caught:
        score_mapping("gad7", answers)
    for fragment in fragments:
        assert fragment in str(caught.value)


def test_unknown_instrument_lists_the_known_ones() -> None:
    with pytest.raises(InvalidInput) as caught:
        get_instrument("ciwa")
    assert caught.value.field == "instrument"
    for instrument_id in INSTRUMENTS:
        assert instrument_id in caught.value.message


@pytest.mark.parametrize(
    "bands",
    [
        (Band("a", "A", 0, 4), Band("b", "B", 6, 27)),  # gap
        (Band("a", "A", 0, 5), Band("b", "B", 5, 27)),  # overlap
        (Band("a", "A", 0, 4), Band("b", "B", 5, 26)),  # stops short of max
        (Band("a", "A", 1, 27),),  # starts above min
    ],
)
def test_definitions_whose_bands_do_not_tile_are_rejected(bands: tuple[Band, ...]) -> None:
    with pytest.raises(ValueError, match="band"):
        dataclasses.replace(get_instrument("phq9"), bands=bands)
