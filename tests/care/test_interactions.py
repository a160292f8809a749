"""Medication matching against the interaction table."""

from __future__ import annotations

from pathlib import Path

import pytest

from kratom_recovery.care.interactions import (
    CLASS_BY_ID,
    CLASS_IDS,
    INTERACTION_CLASSES,
    MEDICINES,
    VERIFICATION_TAGS,
    Medicine,
    classes_of,
    match_medications,
    matches_in,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "safety.md"


@pytest.mark.parametrize(
    ("entered", "medicine", "classes"),
    [
        ("Xanax 0.5mg", "alprazolam", {"benzodiazepine", "cyp3a-substrate"}),
        ("XANAX", "alprazolam", {"benzodiazepine", "cyp3a-substrate"}),
        ("oxycodone/acetaminophen", "oxycodone", {"opioid", "cyp3a-substrate"}),
        ("Percocet 5-325", "oxycodone", {"opioid", "cyp3a-substrate"}),
        ("suboxone film 8-2", "buprenorphine", {"buprenorphine"}),
        ("Contrave", "naltrexone", {"naltrexone"}),
        ("ms   contin 30", "morphine", {"opioid"}),
        ("Tylenol #3", "codeine", {"opioid"}),
        ("zolpidem ER", "zolpidem", {"z-drug"}),
        ("Lyrica", "pregabalin", {"gabapentinoid"}),
        ("modafinil", "modafinil", {"stimulant"}),
        ("midazolam (Versed)", "midazolam", {"benzodiazepine", "cyp3a-substrate"}),
        ("dextromethorphan", "dextromethorphan", {"cyp2d6-substrate"}),
    ],
)
def test_names_and_brands_match(entered: str, medicine: str, classes: set[str]) -> None:
    matches = match_medications([entered])
    assert [m.medicine.name for m in matches] == [medicine]
    assert set(matches[0].classes) == classes


@pytest.mark.parametrize(
    "entered",
    [
        "ibuprofen",
        "naloxone",  # the rescue medicine is not naltrexone
        "xanax1",  # digits count as part of a word: no partial-word matches
        "methadonex",
        "premorphine",
        "vitamin D",
        "",
    ],
)
def test_non_matches(entered: str) -> None:
    assert match_medications([entered]) == ()


def test_one_entry_can_hold_several_medicines_each_once() -> None:
    matches = match_medications(["Xanax and alprazolam and Ambien", "xanax"])
    assert [(m.entered, m.medicine.name) for m in matches] == [
        ("Xanax and alprazolam and Ambien", "alprazolam"),
        ("Xanax and alprazolam and Ambien", "zolpidem"),
        ("xanax", "alprazolam"),
    ]
    assert classes_of(matches) == {"benzodiazepine", "cyp3a-substrate", "z-drug"}
    assert [m.medicine.name for m in matches_in(matches, ["z-drug"])] == ["zolpidem"]


def test_describe_shows_what_was_typed_and_the_generic() -> None:
    brand, generic = match_medications(["Neurontin 300", "gabapentin"])
    assert brand.describe() == "Neurontin 300 (gabapentin)"
    assert generic.describe() == "gabapentin"


def test_required_classes_exist() -> None:
    assert set(CLASS_IDS) >= {
        "opioid", "benzodiazepine", "z-drug", "gabapentinoid", "naltrexone", "buprenorphine",
        "cyp3a-substrate", "cyp2d6-substrate", "stimulant",
    }


@pytest.mark.parametrize("klass", INTERACTION_CLASSES, ids=CLASS_IDS)
def test_every_class_has_a_source_a_tag_medicines_and_docs(klass: object) -> None:
    from kratom_recovery.care.interactions import InteractionClass

    assert isinstance(klass, InteractionClass)
    assert klass.source.startswith("[ref:") and klass.verification in VERIFICATION_TAGS
    assert any(klass.id in m.classes for m in MEDICINES)
    assert f"`{klass.id}`" in DOCS.read_text(encoding="utf-8")


@pytest.mark.parametrize("medicine", MEDICINES, ids=[m.name for m in MEDICINES])
def test_every_medicine_is_well_formed(medicine: Medicine) -> None:
    assert medicine.classes and set(medicine.classes) <= set(CLASS_IDS)
    assert medicine.source and medicine.tag in VERIFICATION_TAGS
    assert medicine.name == medicine.name.lower()
    assert all(b == b.lower() for b in medicine.brands)
    assert f"`{medicine.name}`" in DOCS.read_text(encoding="utf-8")


def test_cyp_substrate_lists_are_labelled_illustrative() -> None:
    # Only midazolam (CYP3A) and dextromethorphan (CYP2D6) were measured with kratom
    # [ref:tanna-ddi].
    for medicine in MEDICINES:
        if {"cyp3a-substrate", "cyp2d6-substrate"} & set(medicine.classes):
            verified = medicine.name in ("midazolam", "dextromethorphan")
            assert (medicine.tag == "V") == verified


def test_every_name_and_brand_is_unique() -> None:
    terms = [t for m in MEDICINES for t in (m.name, *m.brands)]
    assert len(terms) == len(set(terms))


def test_default_tag_is_the_weakest_class_tag() -> None:
    assert Medicine("x", ("opioid",)).tag == CLASS_BY_ID["opioid"].verification == "V"
    assert Medicine("x", ("opioid", "stimulant")).tag == "V-2nd"
