"""Medicines that matter alongside kratom, as a declarative table, and a free-text matcher.

People type their medicines as they know them ("Xanax 0.5mg", "suboxone film"), so names and
common brand names are matched case-insensitively on word boundaries. The class list follows
the rule set suggested in [ref:tanna-ddi]; which *individual* drugs belong to each class is ordinary
drug classification, except for the CYP3A / CYP2D6 substrate lists: [ref:tanna-ddi] says which drugs
are CYP3A substrates is UNVERIFIED there, so those lists are an illustrative, adjustable table
and every flag built on them tells the clinician to check an interaction database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final, Literal

Verification = Literal["V", "V-2nd", "UNVERIFIED"]
VERIFICATION_TAGS: Final[tuple[Verification, ...]] = ("V", "V-2nd", "UNVERIFIED")


@dataclass(frozen=True)
class InteractionClass:
    """Why a group of medicines matters with kratom, and how sure we are."""

    id: str
    label: str
    concern: str  # clinician-facing summary of the interaction
    source: str
    verification: Verification


@dataclass(frozen=True)
class Medicine:
    """One medicine: generic name, brand names people type, and its interaction classes.

    `verification` tags the claim in the kratom context (midazolam's CYP3A effect was measured
    with kratom in humans, [V]). Left as None, it is the weakest tag of the medicine's classes:
    that a benzodiazepine is a benzodiazepine is ordinary drug classification, so the evidence
    that matters is the class concern.
    """

    name: str
    classes: tuple[str, ...]
    brands: tuple[str, ...] = ()
    source: str = "Drug class per standard classification; class concern as cited for the class"
    verification: Verification | None = None

    @property
    def tag(self) -> Verification:
        if self.verification is not None:
            return self.verification
        return max(
            (CLASS_BY_ID[c].verification for c in self.classes), key=VERIFICATION_TAGS.index
        )


INTERACTION_CLASSES: Final[tuple[InteractionClass, ...]] = (
    InteractionClass(
        "opioid", "Opioid",
        "Additive mu-opioid effects and breathing risk; almost all kratom-involved overdose "
        "deaths involved other substances (MMWR 2019).",
        "[ref:olsen2019] [ref:fda-kratom-warning]", "V",
    ),
    InteractionClass(
        "benzodiazepine", "Benzodiazepine",
        "Additive CNS depression with kratom.",
        "[ref:fda-kratom-warning] (mixing with other substances; the class list is our "
        "design)", "V-2nd",
    ),
    InteractionClass(
        "z-drug", "Z-drug sleep medicine",
        "Additive CNS depression with kratom.",
        "[ref:fda-kratom-warning] (the class list is our design)", "V-2nd",
    ),
    InteractionClass(
        "gabapentinoid", "Gabapentinoid",
        "Additive CNS depression with kratom.",
        "[ref:fda-kratom-warning] (the class list is our design)", "V-2nd",
    ),
    InteractionClass(
        "naltrexone", "Naltrexone (opioid antagonist)",
        "Can precipitate acute withdrawal in a person using kratom, including undisclosed use "
        "(case report PMC10337879). Screen for kratom and 7-OH before any naltrexone.",
        "[ref:naltrexone-case]", "V",
    ),
    InteractionClass(
        "buprenorphine", "Buprenorphine (partial agonist)",
        "Best-documented treatment but case-level evidence only; precipitated withdrawal was "
        "reported when it was started in a 7-OH user (Sharma 2025).",
        "[ref:weiss-douglas2021] [ref:sharma2025]", "V",
    ),
    InteractionClass(
        "cyp3a-substrate", "CYP3A substrate",
        "Kratom (2 g tea) raised midazolam AUC 1.39x in humans (intestinal CYP3A); "
        "mitragynine is a time-dependent CYP3A inhibitor in vitro. Membership of this list is "
        "illustrative: check an interaction database.",
        "[ref:tanna-ddi] [ref:jpet2021-ddi]", "V",
    ),
    InteractionClass(
        "cyp2d6-substrate", "CYP2D6 substrate (in-vitro signal only)",
        "Mitragynine strongly inhibits CYP2D6 in vitro (Ki 1.17 uM), but 2 g kratom tea did "
        "not change dextromethorphan exposure in humans. Relevance at higher doses unknown.",
        "[ref:tanna-ddi]", "V",
    ),
    InteractionClass(
        "stimulant", "Stimulant (incl. modafinil)",
        "A seizure occurred after kratom plus modafinil (Boyer case).",
        "[ref:boyer2008] (via a secondary source)", "V-2nd",
    ),
)

CLASS_IDS: Final = tuple(c.id for c in INTERACTION_CLASSES)
CLASS_BY_ID: Final[Mapping[str, InteractionClass]] = {c.id: c for c in INTERACTION_CLASSES}
SEDATIVE_CLASSES: Final = frozenset({"opioid", "benzodiazepine", "z-drug", "gabapentinoid"})

_ILLUSTRATIVE = ("Illustrative CYP3A substrate (list UNVERIFIED; [ref:tanna-ddi] measured only "
                 "midazolam)")

MEDICINES: Final[tuple[Medicine, ...]] = (
    # Opioids. Oxycodone and fentanyl are also named as CYP3A examples in our clinical notes
    # (unverified).
    Medicine("oxycodone", ("opioid", "cyp3a-substrate"),
             ("oxycontin", "percocet", "roxicodone", "endocet", "xtampza"),
             "Example CYP3A substrate in our clinical notes (list UNVERIFIED)", "UNVERIFIED"),
    Medicine("fentanyl", ("opioid", "cyp3a-substrate"), ("duragesic", "actiq", "fentora"),
             "Example CYP3A substrate in our clinical notes (list UNVERIFIED)", "UNVERIFIED"),
    Medicine("hydrocodone", ("opioid",), ("vicodin", "norco", "lortab", "hysingla", "zohydro")),
    Medicine("hydromorphone", ("opioid",), ("dilaudid", "exalgo")),
    Medicine("morphine", ("opioid",), ("ms contin", "kadian")),
    Medicine("codeine", ("opioid",), ("tylenol with codeine", "tylenol #3")),
    Medicine("methadone", ("opioid",), ("dolophine", "methadose")),
    Medicine("tramadol", ("opioid",), ("ultram", "ultracet")),
    Medicine("tapentadol", ("opioid",), ("nucynta",)),
    Medicine("oxymorphone", ("opioid",), ("opana",)),
    Medicine("buprenorphine", ("buprenorphine",),
             ("suboxone", "subutex", "zubsolv", "sublocade", "brixadi", "butrans", "belbuca"),
             "[ref:weiss-douglas2021] [ref:sharma2025]", "V"),
    Medicine("naltrexone", ("naltrexone",), ("vivitrol", "revia", "contrave"),
             "[ref:naltrexone-case]", "V"),
    # Benzodiazepines and Z-drugs. Triazolam and alprazolam as CYP3A examples: unverified.
    Medicine("alprazolam", ("benzodiazepine", "cyp3a-substrate"), ("xanax",),
             _ILLUSTRATIVE, "UNVERIFIED"),
    Medicine("triazolam", ("benzodiazepine", "cyp3a-substrate"), ("halcion",),
             _ILLUSTRATIVE, "UNVERIFIED"),
    Medicine("midazolam", ("benzodiazepine", "cyp3a-substrate"), ("versed", "nayzilam"),
             "[ref:tanna-ddi] (kratom raised midazolam AUC 1.39x in humans)", "V"),
    Medicine("diazepam", ("benzodiazepine",), ("valium", "valtoco")),
    Medicine("clonazepam", ("benzodiazepine",), ("klonopin",)),
    Medicine("lorazepam", ("benzodiazepine",), ("ativan",)),
    Medicine("chlordiazepoxide", ("benzodiazepine",), ("librium",)),
    Medicine("temazepam", ("benzodiazepine",), ("restoril",)),
    Medicine("zolpidem", ("z-drug",), ("ambien", "intermezzo", "edluar")),
    Medicine("eszopiclone", ("z-drug",), ("lunesta",)),
    Medicine("zaleplon", ("z-drug",), ("sonata",)),
    Medicine("gabapentin", ("gabapentinoid",), ("neurontin", "gralise", "horizant")),
    Medicine("pregabalin", ("gabapentinoid",), ("lyrica",)),
    # Other illustrative CYP3A substrates ([ref:tanna-ddi]: check an interaction database).
    Medicine("quetiapine", ("cyp3a-substrate",), ("seroquel",), _ILLUSTRATIVE, "UNVERIFIED"),
    Medicine("simvastatin", ("cyp3a-substrate",), ("zocor",), _ILLUSTRATIVE, "UNVERIFIED"),
    Medicine("tacrolimus", ("cyp3a-substrate",), ("prograf",), _ILLUSTRATIVE, "UNVERIFIED"),
    # CYP2D6: dextromethorphan is the probe measured in humans (no effect at 2 g, [ref:tanna-ddi]);
    # the others are illustrative and unverified here.
    Medicine("dextromethorphan", ("cyp2d6-substrate",), ("delsym",),
             "[ref:tanna-ddi] (probe substrate; no change in humans at 2 g kratom)", "V"),
    Medicine("metoprolol", ("cyp2d6-substrate",), ("lopressor", "toprol"),
             "Illustrative CYP2D6 substrate (not in our sources)", "UNVERIFIED"),
    Medicine("aripiprazole", ("cyp2d6-substrate",), ("abilify",),
             "Illustrative CYP2D6 substrate (not in our sources)", "UNVERIFIED"),
    # Stimulants: modafinil is the case-report drug (Boyer, [ref:boyer2008] [V-2nd]).
    Medicine("modafinil", ("stimulant",), ("provigil",), "[ref:boyer2008] (seizure)",
             "V-2nd"),
    Medicine("armodafinil", ("stimulant",), ("nuvigil",)),
    Medicine("amphetamine", ("stimulant",), ("adderall", "evekeo", "mydayis")),
    Medicine("lisdexamfetamine", ("stimulant",), ("vyvanse",)),
    Medicine("methylphenidate", ("stimulant",), ("ritalin", "concerta", "focalin")),
)


@dataclass(frozen=True)
class MedicationMatch:
    """A medicine the person listed, the table entry it matched and the word that matched."""

    entered: str
    medicine: Medicine
    matched: str

    @property
    def classes(self) -> tuple[str, ...]:
        return self.medicine.classes

    def describe(self) -> str:
        if self.matched == self.medicine.name:
            return self.medicine.name
        return f"{self.entered.strip()} ({self.medicine.name})"


def _pattern(term: str) -> re.Pattern[str]:
    # Word boundaries that also treat digits as part of a word, so "xanax1" does not match
    # but "xanax 1mg" and "oxycodone/acetaminophen" do; internal spaces match any whitespace.
    body = r"\s+".join(re.escape(word) for word in term.split())
    return re.compile(rf"(?<![a-z0-9]){body}(?![a-z0-9])", re.IGNORECASE)


_PATTERNS: Final[tuple[tuple[re.Pattern[str], str, Medicine], ...]] = tuple(
    (_pattern(term), term, medicine)
    for medicine in MEDICINES
    for term in (medicine.name, *medicine.brands)
)


def match_medications(entered: Iterable[str]) -> tuple[MedicationMatch, ...]:
    """Every (entry, medicine) pair found in the free-text names, once each, in input order."""
    matches: list[MedicationMatch] = []
    for text in entered:
        seen: set[str] = set()
        for pattern, term, medicine in _PATTERNS:
            if medicine.name not in seen and pattern.search(text):
                seen.add(medicine.name)
                matches.append(MedicationMatch(text, medicine, term))
    return tuple(matches)


def classes_of(matches: Iterable[MedicationMatch]) -> frozenset[str]:
    return frozenset(c for match in matches for c in match.classes)


def matches_in(
    matches: Iterable[MedicationMatch], classes: Iterable[str]
) -> tuple[MedicationMatch, ...]:
    wanted = frozenset(classes)
    return tuple(m for m in matches if wanted & set(m.classes))

