"""Medicine classes that matter alongside kratom, and a tolerant matcher for typed names.

People type their medicines as they know them ("Xanax 0.5mg", "subs 8mg", "somas"), so
matching works on tokens: case and punctuation are ignored, a dose glued to a name ("xanax1",
"8mg") is split off, and a plural finds its singular. The longest name wins where names
overlap ("buprenorphine/naloxone" is the combination, not the rescue medicine naloxone). A
typed name that matches nothing is kept as *unrecognised*, so the clinician reviews it: never
silently ignored.

The table of names is care/medicines.py. The classes follow the rule set suggested by our
reference [ref:tanna-ddi] [ref:olsen2019]; which medicines belong to the property classes
(QT, serotonergic, seizure threshold, CYP3A, CYP2D6) is UNVERIFIED there, so every flag built on
them tells the clinician to check an interaction database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final, Literal

from kratom_recovery.care.medicines import GENERICS, NAMES, Generic

Verification = Literal["V", "V-2nd", "UNVERIFIED"]
VERIFICATION_TAGS: Final[tuple[Verification, ...]] = ("V", "V-2nd", "UNVERIFIED")


@dataclass(frozen=True)
class InteractionClass:
    """Why a group of medicines matters with kratom, and how sure we are.

    `verification` tags the concern; `membership_verified` says whether the list of members is
    ordinary drug classification (True) or a property list our sources do not give (False).
    """

    id: str
    label: str
    concern: str  # clinician-facing summary of the interaction
    source: str
    verification: Verification
    membership_verified: bool = True


INTERACTION_CLASSES: Final[tuple[InteractionClass, ...]] = (
    InteractionClass(
        "opioid", "Opioid",
        "Additive opioid effects and slowed breathing; almost all kratom-involved overdose "
        "deaths involved other substances (MMWR 2019).",
        "[ref:olsen2019] [ref:fda-kratom-warning]", "V",
    ),
    InteractionClass(
        "benzodiazepine", "Benzodiazepine",
        "Additive CNS and breathing depression with kratom. Daily use causes physical "
        "dependence: do not stop suddenly.",
        "[ref:fda-kratom-warning] [ref:olsen2019]", "V-2nd",
    ),
    InteractionClass("z-drug", "Z-drug sleep medicine", "Additive CNS depression with kratom.",
                     "[ref:fda-kratom-warning]", "V-2nd"),
    InteractionClass("barbiturate", "Barbiturate",
                     "Additive CNS and breathing depression with kratom.",
                     "[ref:fda-kratom-warning]", "V-2nd"),
    InteractionClass("gabapentinoid", "Gabapentinoid",
                     "Additive CNS depression with kratom.", "[ref:fda-kratom-warning]",
                     "V-2nd"),
    InteractionClass("muscle-relaxant", "Sedating muscle relaxant (e.g. carisoprodol)",
                     "Additive CNS depression with kratom.", "[ref:fda-kratom-warning]",
                     "V-2nd"),
    InteractionClass("sedating-antihistamine", "Sedating antihistamine (e.g. hydroxyzine)",
                     "Additive sedation with kratom.", "[ref:fda-kratom-warning]", "V-2nd"),
    InteractionClass("sedating-antidepressant",
                     "Sedating antidepressant (e.g. trazodone, mirtazapine)",
                     "Additive sedation with kratom.", "[ref:fda-kratom-warning]", "V-2nd"),
    InteractionClass("sedating-antipsychotic", "Sedating antipsychotic (e.g. quetiapine)",
                     "Additive sedation with kratom.", "[ref:fda-kratom-warning]", "V-2nd"),
    InteractionClass("other-sedative", "Other sedative (e.g. sodium oxybate, phenibut)",
                     "Additive CNS depression with kratom.", "[ref:fda-kratom-warning]",
                     "V-2nd"),
    InteractionClass(
        "moud", "Medicine for opioid use disorder (buprenorphine, methadone)",
        "Kratom acts on the same receptors: the prescriber needs to know, to judge withdrawal "
        "and the dose. Buprenorphine is the best-documented treatment for kratom use "
        "disorder, but on case evidence only.",
        "[ref:weiss-douglas2021] [ref:smith-epstein-weiss2024]", "V",
    ),
    InteractionClass(
        "buprenorphine", "Buprenorphine (partial agonist)",
        "Precipitated withdrawal was reported when it was started in a 7-OH user.",
        "[ref:sharma2025] [ref:weiss-douglas2021]", "V",
    ),
    InteractionClass(
        "opioid-antagonist", "Opioid antagonist (naltrexone, samidorphan)",
        "Can precipitate acute withdrawal in a person using kratom, including undisclosed use. "
        "Screen for kratom and 7-OH before any naltrexone.",
        "[ref:naltrexone-case]", "V",
    ),
    InteractionClass(
        "naloxone", "Naloxone or nalmefene (overdose rescue)",
        "A rescue medicine, not a treatment: it reverses an opioid (and 7-OH) overdose. It can "
        "bring on withdrawal in the person it is given to; that is expected.",
        "[ref:montana-ag-naloxone] [ref:samhsa-overdose-toolkit2023]", "V-2nd",
    ),
    InteractionClass(
        "qt-prolonging", "QT-prolonging medicine",
        "Mitragynine prolongs QTc in vitro; kratom users had more borderline QTc than controls, "
        "and prolonged QTc was seen with high mitragynine levels. Consider an ECG. Membership "
        "of this list is UNVERIFIED: check a QT drug list.",
        "[ref:qt-users2020] [ref:qt-cases2021]", "V-2nd", membership_verified=False,
    ),
    InteractionClass(
        "serotonergic", "Serotonergic medicine",
        "Two or more serotonergic medicines together can cause serotonin toxicity; medicines "
        "added for withdrawal (trazodone, mirtazapine, ondansetron, tramadol) add to it. Our "
        "sources say nothing about kratom itself here. Membership UNVERIFIED.",
        "[ref:assumption:serotonergic-pairs]", "UNVERIFIED", membership_verified=False,
    ),
    InteractionClass(
        "seizure-threshold", "Lowers the seizure threshold (e.g. bupropion, tramadol)",
        "FDA links kratom with seizures, and a seizure followed kratom with modafinil. A "
        "medicine that lowers the seizure threshold adds to that risk. Membership UNVERIFIED.",
        "[ref:fda-kratom-warning] [ref:boyer2008]", "V-2nd", membership_verified=False,
    ),
    InteractionClass(
        "alpha2-agonist", "Alpha-2 agonist (clonidine, lofexidine)",
        "Used to ease withdrawal (symptom-triggered clonidine helped in a kratom case). It "
        "lowers pulse and blood pressure, which hides the pulse signs of withdrawal.",
        "[ref:galbis-reig2016]", "V",
    ),
    InteractionClass(
        "beta-blocker", "Beta-blocker",
        "Masks the pulse item of COWS and our pulse rule: a normal pulse does not rule out "
        "withdrawal.",
        "[ref:wesson-ling2003]", "V",
    ),
    InteractionClass(
        "cyp3a-substrate", "CYP3A substrate",
        "Kratom (2 g tea) raised midazolam exposure 1.39x in people (intestinal CYP3A); "
        "mitragynine is a time-dependent CYP3A inhibitor in vitro. Membership UNVERIFIED: "
        "check an interaction database.",
        "[ref:tanna-ddi] [ref:jpet2021-ddi]", "V", membership_verified=False,
    ),
    InteractionClass(
        "cyp2d6-substrate", "CYP2D6 substrate (in-vitro signal only)",
        "Mitragynine strongly inhibits CYP2D6 in vitro (Ki 1.17 uM), but 2 g kratom tea did "
        "not change dextromethorphan exposure in people. Relevance at higher doses unknown; "
        "membership UNVERIFIED.",
        "[ref:jpet2021-ddi] [ref:tanna-ddi]", "V", membership_verified=False,
    ),
    InteractionClass(
        "stimulant", "Stimulant (incl. modafinil)",
        "A seizure occurred after kratom plus modafinil (Boyer case).",
        "[ref:boyer2008]", "V-2nd",
    ),
)

CLASS_IDS: Final = tuple(c.id for c in INTERACTION_CLASSES)
CLASS_BY_ID: Final[Mapping[str, InteractionClass]] = {c.id: c for c in INTERACTION_CLASSES}
# CNS depressants: each adds to kratom's effect on breathing.
SEDATIVE_CLASSES: Final = frozenset({
    "opioid", "benzodiazepine", "z-drug", "barbiturate", "gabapentinoid", "muscle-relaxant",
    "sedating-antihistamine", "sedating-antidepressant", "sedating-antipsychotic",
    "other-sedative",
})
UNVERIFIED_MEMBERSHIP: Final = frozenset(c.id for c in INTERACTION_CLASSES
                                         if not c.membership_verified)


@dataclass(frozen=True)
class Medicine:
    """A generic (or fixed combination) as the rules see it."""

    name: str
    classes: tuple[str, ...]
    note: str = ""

    @property
    def tag(self) -> Verification:
        """The weakest tag among the medicine's classes; UNVERIFIED when a property list
        (whose membership no source of ours gives) is among them."""
        if UNVERIFIED_MEMBERSHIP & set(self.classes) and self.name not in MEASURED:
            return "UNVERIFIED"
        if not self.classes:
            return "V"
        return max((CLASS_BY_ID[c].verification for c in self.classes),
                   key=VERIFICATION_TAGS.index)


# The two medicines measured with kratom in people [ref:tanna-ddi].
MEASURED: Final = frozenset({"midazolam", "dextromethorphan"})


def _medicine(generic: Generic) -> Medicine:
    return Medicine(generic.name, generic.classes, generic.note)


MEDICINES: Final[tuple[Medicine, ...]] = tuple(_medicine(g) for g in GENERICS)
MEDICINE_BY_NAME: Final[Mapping[str, Medicine]] = {m.name: m for m in MEDICINES}


# --- matching -----------------------------------------------------------------------------------

_WORD: Final = re.compile(r"[a-z]+|[0-9]+")


def tokens(text: str) -> tuple[str, ...]:
    """Lower-case words and numbers, split where letters meet digits; lone 's' dropped.

    "Xanax-1mg" -> (xanax, 1, mg); "M30s" -> (m, 30); "St John's wort" -> (st, john, wort).
    """
    return tuple(t for t in _WORD.findall(text.lower()) if t != "s")


def _variants(token: str) -> frozenset[str]:
    """A typed token and the singulars it may stand for ("somas" -> soma, "roxies" -> roxy)."""
    forms = {token}
    if len(token) > 3 and token.endswith("s"):
        forms.add(token[:-1])
        if token.endswith("es"):
            forms.add(token[:-2])
        if token.endswith("ies"):
            forms.update({token[:-3] + "y", token[:-3] + "ie"})
    return frozenset(forms)


@dataclass(frozen=True)
class _Term:
    words: tuple[str, ...]
    name: str
    generic: str


_TERMS: Final = tuple(_Term(tokens(n.name), n.name, n.generic) for n in NAMES)
# Candidate names by their first word.
_BY_FIRST: Final[dict[str, list[_Term]]] = {}
for _term in _TERMS:
    _BY_FIRST.setdefault(_term.words[0], []).append(_term)


@dataclass(frozen=True)
class MedicationMatch:
    """A medicine the person listed, the table entry it matched and the name that matched."""

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


def _match_one(text: str) -> list[MedicationMatch]:
    """Left to right; at each word the longest name that fits wins and consumes its words."""
    words = tokens(text)
    forms = [_variants(w) for w in words]
    found: list[MedicationMatch] = []
    i = 0
    while i < len(words):
        # Longest first; at equal length the name typed exactly beats a singular form.
        candidates = sorted((t for f in forms[i] for t in _BY_FIRST.get(f, ())),
                            key=lambda t: (-len(t.words), t.words[0] != words[i]))
        term = next((t for t in candidates if i + len(t.words) <= len(words)
                     and all(w in forms[i + k] for k, w in enumerate(t.words))), None)
        if term is None:
            i += 1
            continue
        if all(m.medicine.name != term.generic for m in found):
            found.append(MedicationMatch(text, MEDICINE_BY_NAME[term.generic], term.name))
        i += len(term.words)
    return found


def match_medications(entered: Iterable[str]) -> tuple[MedicationMatch, ...]:
    """Every (entry, medicine) pair found in the typed names, once each, in input order."""
    return tuple(match for text in entered for match in _match_one(text))


def unrecognised(entered: Iterable[str]) -> tuple[str, ...]:
    """Typed names that match nothing in the table: the clinician reviews them."""
    return tuple(text.strip() for text in entered if text.strip() and not _match_one(text))


def classes_of(matches: Iterable[MedicationMatch]) -> frozenset[str]:
    return frozenset(c for match in matches for c in match.classes)


def matches_in(
    matches: Iterable[MedicationMatch], classes: Iterable[str]
) -> tuple[MedicationMatch, ...]:
    wanted = frozenset(classes)
    return tuple(m for m in matches if wanted & set(m.classes))
