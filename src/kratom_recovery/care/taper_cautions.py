"""Cautions a taper carries beyond its pace: the medicine's class, and cuts that are large.

Medicine classes come from the medicine table (care/medicines.py, matched by
care/interactions.py), so "Xanax", "alprazolam 1mg" and "xanies" all count as a
benzodiazepine. The class cautions for benzodiazepines, alpha-2 agonists and gabapentinoids are
general prescribing cautions that our kratom sources do not give: they are labelled UNVERIFIED
and tell the clinician to check the prescribing information
[ref:assumption:medicine-taper-cautions]. The opioid caution is the CDC guidance
[ref:cdc-opioids-2022].

A "large cut" is a step that cuts more than 25% of the amount before it: our assumption, not a
published limit [ref:assumption:taper-cut-25]. The last step (to zero) is the stop itself and
never counts; every plan has one.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see care/taper.py)
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Final

# [ref:assumption:taper-cut-25]: a step cutting more than this share of the amount before it.
MAX_CUT_PERCENT: Final = 25

_CHECK_LABEL: Final = (
    " (A general prescribing caution, not from our kratom sources: check the prescribing "
    "information.)"
)


@dataclass(frozen=True)
class ClassCaution:
    cls: str  # an interactions.INTERACTION_CLASSES id
    label: str
    text: str
    source: str


CLASS_CAUTIONS: Final[tuple[ClassCaution, ...]] = (
    ClassCaution(
        "benzodiazepine", "Benzodiazepine",
        "Benzodiazepine: cutting fast or stopping suddenly can cause seizures. Keep each cut "
        "small and slow down at any sign of withdrawal." + _CHECK_LABEL,
        "[ref:assumption:medicine-taper-cautions]",
    ),
    ClassCaution(
        "alpha2-agonist", "Alpha-2 agonist",
        "Alpha-2 agonist (for example clonidine): stopping or cutting fast can cause rebound "
        "high blood pressure. Check blood pressure during the taper." + _CHECK_LABEL,
        "[ref:assumption:medicine-taper-cautions]",
    ),
    ClassCaution(
        "gabapentinoid", "Gabapentinoid",
        "Gabapentinoid (gabapentin, pregabalin): stopping suddenly can bring withdrawal "
        "symptoms and, in people prone to them, seizures. Taper gradually." + _CHECK_LABEL,
        "[ref:assumption:medicine-taper-cautions]",
    ),
    ClassCaution(
        "opioid", "Opioid",
        "Opioid: opioid guidance tapers about 10% a month after a year or more of use (about "
        "10% a week after shorter use) and pauses when withdrawal is significant. Tolerance "
        "falls during a taper: going back to an old dose risks overdose.",
        "[ref:cdc-opioids-2022]",
    ),
)
CAUTION_BY_CLASS: Final[Mapping[str, ClassCaution]] = {c.cls: c for c in CLASS_CAUTIONS}


def medicine_cautions(name: str) -> tuple[ClassCaution, ...]:
    """The class cautions for the medicine a taper names, in table order (none if unknown).

    The medicine table is loaded here, on the first medication taper, so that a kratom
    taper on the command line does not build its name index at start-up."""
    from kratom_recovery.care.interactions import classes_of, match_medications

    classes = classes_of(match_medications([name]))
    return tuple(c for c in CLASS_CAUTIONS if c.cls in classes)


@dataclass(frozen=True)
class LargeCut:
    step: int  # 0-based index of the step that starts at the smaller amount
    percent: float  # share of the amount before it, 0–100


def large_cuts(amounts: Sequence[int]) -> tuple[LargeCut, ...]:
    """Steps cutting more than MAX_CUT_PERCENT of the amount before them (the stop excluded)."""
    cuts = []
    for index in range(1, len(amounts)):
        before, after = amounts[index - 1], amounts[index]
        if after == 0 or before == 0:
            continue  # the stop (or nothing to cut)
        share = Fraction(before - after, before) * 100
        if share > MAX_CUT_PERCENT:
            cuts.append(LargeCut(index, float(share)))
    return tuple(cuts)


def large_cut_text(cuts: Sequence[LargeCut]) -> str:
    """One sentence naming the steps and the largest cut, for a warning or a refusal."""
    steps = [c.step + 1 for c in cuts]
    where = f"Step {steps[0]}" if len(steps) == 1 else (
        f"Steps {', '.join(str(s) for s in steps[:4])}{', …' if len(steps) > 4 else ''}")
    largest = max(c.percent for c in cuts)
    return (
        f"{where} cut{'s' if len(steps) == 1 else ''} more than {MAX_CUT_PERCENT}% of the amount "
        f"before (up to {largest:.0f}%). Cuts this large bring more withdrawal; a smaller rate "
        f"or a finer measuring precision keeps them smaller (the {MAX_CUT_PERCENT}% line is our "
        "assumption, not a published limit)."
    )
