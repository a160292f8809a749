"""The medicine table and the tolerant matcher (care/medicines.py, care/interactions.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kratom_recovery.care.interactions import (
    CLASS_BY_ID,
    CLASS_IDS,
    INTERACTION_CLASSES,
    MEDICINES,
    SEDATIVE_CLASSES,
    UNVERIFIED_MEMBERSHIP,
    VERIFICATION_TAGS,
    InteractionClass,
    Medicine,
    classes_of,
    match_medications,
    matches_in,
    tokens,
    unrecognised,
)
from kratom_recovery.care.medicines import GENERICS, NAMES, VERIFIED_RXCUI
from kratom_recovery.care.safety import SAFETY_RULES

DOCS = Path(__file__).resolve().parents[2] / "docs" / "safety.md"


def generics(entered: str) -> list[str]:
    return [m.medicine.name for m in match_medications([entered])]


@pytest.mark.parametrize(
    ("entered", "medicine", "classes"),
    [
        ("Xanax 0.5mg", "alprazolam", {"benzodiazepine", "cyp3a-substrate"}),
        ("XANAX", "alprazolam", {"benzodiazepine", "cyp3a-substrate"}),
        ("bars", "alprazolam", {"benzodiazepine", "cyp3a-substrate"}),
        ("oxycodone/acetaminophen", "oxycodone acetaminophen", {"opioid", "cyp3a-substrate"}),
        ("Percocet 5-325", "oxycodone", {"opioid", "cyp3a-substrate"}),
        ("suboxone film 8-2", "buprenorphine naloxone", {"moud", "buprenorphine"}),
        ("buprenorphine/naloxone 8/2", "buprenorphine naloxone", {"moud", "buprenorphine"}),
        ("subs 8mg", "buprenorphine", {"moud", "buprenorphine"}),
        ("Contrave", "naltrexone bupropion", {"opioid-antagonist", "seizure-threshold"}),
        ("ms   contin 30", "morphine", {"opioid"}),
        ("Tylenol #3", "codeine", {"opioid", "cyp2d6-substrate"}),
        ("zolpidem ER", "zolpidem", {"z-drug"}),
        ("Lyrica", "pregabalin", {"gabapentinoid"}),
        ("somas", "carisoprodol", {"muscle-relaxant"}),
        ("methadose 80mg", "methadone", {"opioid", "moud", "qt-prolonging"}),
        ("Narcan nasal spray", "naloxone", {"naloxone"}),
        ("hydroxyzine pamoate", "hydroxyzine", {"sedating-antihistamine", "qt-prolonging"}),
        ("midazolam (Versed)", "midazolam", {"benzodiazepine", "cyp3a-substrate"}),
        ("xanax1", "alprazolam", {"benzodiazepine", "cyp3a-substrate"}),  # dose glued on
        ("M30s", "fentanyl", {"opioid", "cyp3a-substrate"}),
        ("St. John's Wort", "st john's wort", {"serotonergic"}),
    ],
)
def test_names_brands_and_street_names_match(entered: str, medicine: str,
                                             classes: set[str]) -> None:
    matches = match_medications([entered])
    assert [m.medicine.name for m in matches] == [medicine]
    assert set(matches[0].classes) == classes


# Medicines the old 36-name regex missed (issue 13): each must now be recognised.
MUST_RECOGNISE = [
    "carisoprodol", "phenobarbital", "hydroxyzine", "trazodone", "mirtazapine", "loperamide",
    "clonidine", "bupropion", "subs 8mg", "bupe", "xanax", "bars", "suboxone", "subutex",
    "sublocade", "methadose", "narcan", "vivitrol", "lyrica", "neurontin", "soma", "ambien",
    "ondansetron", "citalopram", "escitalopram", "lofexidine", "naltrexone", "naloxone",
    "tramadol", "methadone", "buprenorphine", "gabapentin", "quetiapine",
]


@pytest.mark.parametrize("entered", MUST_RECOGNISE)
def test_every_named_medicine_is_recognised(entered: str) -> None:
    assert match_medications([entered]) and unrecognised([entered]) == ()


@pytest.mark.parametrize(
    ("entered", "medicine", "klass"),
    [
        ("carisoprodol", "carisoprodol", "muscle-relaxant"),
        ("phenobarbital", "phenobarbital", "barbiturate"),
        ("trazodone", "trazodone", "sedating-antidepressant"),
        ("mirtazapine", "mirtazapine", "sedating-antidepressant"),
        ("quetiapine", "quetiapine", "sedating-antipsychotic"),
        ("tramadol", "tramadol", "opioid"),
        ("ondansetron", "ondansetron", "qt-prolonging"),
        ("citalopram", "citalopram", "qt-prolonging"),
        ("escitalopram", "escitalopram", "qt-prolonging"),
        ("loperamide", "loperamide", "qt-prolonging"),
        ("bupropion", "bupropion", "seizure-threshold"),
        ("tramadol", "tramadol", "seizure-threshold"),
        ("clonidine", "clonidine", "alpha2-agonist"),
        ("lofexidine", "lofexidine", "alpha2-agonist"),
        ("buprenorphine", "buprenorphine", "moud"),
        ("methadone", "methadone", "moud"),
        ("naltrexone", "naltrexone", "opioid-antagonist"),
        ("naloxone", "naloxone", "naloxone"),
        ("sertraline", "sertraline", "serotonergic"),
    ],
)
def test_required_class_memberships(entered: str, medicine: str, klass: str) -> None:
    match = match_medications([entered])[0]
    assert match.medicine.name == medicine and klass in match.classes


@pytest.mark.parametrize(
    "entered",
    [
        "methadonex",  # letters run on: not a name
        "premorphine",
        "vitamin D",
        "",
    ],
)
def test_non_matches(entered: str) -> None:
    assert match_medications([entered]) == ()


def test_naloxone_is_not_naltrexone_and_combinations_do_not_leak_naloxone() -> None:
    assert generics("naloxone") == ["naloxone"]
    assert "naloxone" not in generics("buprenorphine-naloxone")
    assert "naloxone" not in generics("Suboxone")


def test_unrecognised_names_are_returned_not_dropped() -> None:
    assert unrecognised(["Xanax", "blorptab 5 mg", "  ", "lisinopril"]) == ("blorptab 5 mg",)


def test_tokens_split_doses_and_drop_plural_s() -> None:
    assert tokens("Xanax-1mg") == ("xanax", "1", "mg")
    assert tokens("M30s") == ("m", "30")
    assert tokens("St John's wort") == ("st", "john", "wort")


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


# --- the table ----------------------------------------------------------------------------------

def test_table_has_at_least_250_entries_each_mapped_to_a_generic() -> None:
    assert len(NAMES) >= 250
    known = {g.name for g in GENERICS}
    assert all(entry.generic in known for entry in NAMES)


def test_every_name_is_unique_after_normalising() -> None:
    normalised = [tokens(entry.name) for entry in NAMES]
    assert len(normalised) == len(set(normalised))


def test_no_rxcui_without_a_source() -> None:
    for entry in NAMES:
        if entry.rxcui is not None:
            assert entry.rxcui_source and entry.code_status == "verified", entry.name
            assert re.fullmatch(r"[0-9]+", entry.rxcui)
            assert entry.rxcui_source.startswith("https://lhncbc.nlm.nih.gov/RxNav/")
        else:
            assert entry.code_status == "UNVERIFIED"
    assert set(VERIFIED_RXCUI) <= {entry.name for entry in NAMES}


def test_required_classes_exist() -> None:
    assert set(CLASS_IDS) >= {
        "opioid", "benzodiazepine", "z-drug", "barbiturate", "gabapentinoid",
        "muscle-relaxant", "sedating-antihistamine", "sedating-antidepressant",
        "sedating-antipsychotic", "qt-prolonging", "serotonergic", "seizure-threshold",
        "alpha2-agonist", "moud", "buprenorphine", "opioid-antagonist", "naloxone",
        "cyp3a-substrate", "cyp2d6-substrate", "stimulant",
    }
    assert {"opioid", "benzodiazepine", "barbiturate", "muscle-relaxant",
            "sedating-antihistamine", "sedating-antidepressant",
            "sedating-antipsychotic"} <= SEDATIVE_CLASSES
    assert "naloxone" not in SEDATIVE_CLASSES and "moud" not in SEDATIVE_CLASSES


@pytest.mark.parametrize("klass", INTERACTION_CLASSES, ids=CLASS_IDS)
def test_every_class_has_a_source_a_tag_members_a_rule_and_docs(klass: InteractionClass) -> None:
    assert "[ref:" in klass.source and klass.verification in VERIFICATION_TAGS
    assert any(klass.id in m.classes for m in MEDICINES)
    assert f"`{klass.id}`" in DOCS.read_text(encoding="utf-8")
    # Each class is read by a rule: the rule fires on a member of the class.
    member = next(m for m in MEDICINES if klass.id in m.classes)
    from kratom_recovery.care.profile import UseProfile
    from kratom_recovery.care.safety import SafetyInput

    profile = UseProfile(product="leaf", amount_per_day=4.0, unit="g", doses_per_day=2,
                         years_of_use=1.0, medications=(member.name,))
    readers = [r.id for r in SAFETY_RULES if r.when(SafetyInput(profile))
               and r.id != "unrecognised-medicines"]
    assert readers, klass.id


@pytest.mark.parametrize("medicine", MEDICINES, ids=[m.name for m in MEDICINES])
def test_every_medicine_is_well_formed_and_documented(medicine: Medicine) -> None:
    assert set(medicine.classes) <= set(CLASS_IDS)
    assert medicine.tag in VERIFICATION_TAGS
    assert medicine.name == medicine.name.lower()
    assert f"`{medicine.name}`" in DOCS.read_text(encoding="utf-8")


def test_property_lists_are_labelled_unverified() -> None:
    # [ref:tanna-ddi]: only midazolam (CYP3A) and dextromethorphan (CYP2D6) were measured.
    assert {"qt-prolonging", "serotonergic", "seizure-threshold", "cyp3a-substrate",
            "cyp2d6-substrate"} <= UNVERIFIED_MEMBERSHIP
    for medicine in MEDICINES:
        if {"cyp3a-substrate", "cyp2d6-substrate"} & set(medicine.classes):
            verified = medicine.name in ("midazolam",)
            assert (medicine.tag != "UNVERIFIED") == verified, medicine.name


def test_default_tag_is_the_weakest_class_tag() -> None:
    assert Medicine("x", ("opioid",)).tag == CLASS_BY_ID["opioid"].verification == "V"
    assert Medicine("x", ("opioid", "stimulant")).tag == "V-2nd"
    assert Medicine("x", ("qt-prolonging",)).tag == "UNVERIFIED"
