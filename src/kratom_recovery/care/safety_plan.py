"""The clinician's suicide-risk rating and the sections of a person's safety plan, as data.

The rating is the clinician's own judgement, low, moderate or high, with the reasons they
give. It is not a scored instrument: no answers are turned into it and no threshold suggests
it. The C-SSRS is not embedded, since electronic versions need a licence [ref:columbia-cssrs].

A safety plan is written by the person with their clinician, in their own words. Its sections
run from what the person notices and can do alone, to the people around them, to professional
and crisis help, to making their surroundings safer, with reasons for living at the end. The
section list and its wording are our own [ref:assumption:design-rule]; crisis numbers (988,
911) are always shown beside the plan and are not typed into it [ref:988-lifeline].
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

RiskLevel = Literal["low", "moderate", "high"]
RISK_LEVELS: Final[tuple[RiskLevel, ...]] = ("low", "moderate", "high")
RISK_LABELS: Final[Mapping[str, str]] = {
    "low": "Low", "moderate": "Moderate", "high": "High",
}

SectionKind = Literal["lines", "contacts"]


@dataclass(frozen=True)
class PlanSection:
    id: str
    title: str  # as the person reads it, in the first person
    prompt: str  # what to write here
    kind: SectionKind  # free-text lines, or people and services with a phone number
    optional: bool = False  # shown as optional on the form


PLAN_SECTIONS: Final[tuple[PlanSection, ...]] = (
    PlanSection("warning_signs", "My warning signs",
                "Thoughts, feelings, situations or things I do that tell me a crisis may be "
                "starting.", "lines"),
    PlanSection("coping", "Things I can do on my own",
                "Ways to take my mind off things without contacting anyone: an activity, a "
                "place, something that calms me.", "lines"),
    PlanSection("distractions", "People and places that take my mind off things",
                "People I can be with and places I can go where I feel better.", "lines"),
    PlanSection("helpers", "People I can ask for help",
                "Friends or family I can tell that I am struggling.", "contacts"),
    PlanSection("professionals", "Professionals and services I can call",
                "My clinician, a counsellor, a local crisis line or an emergency department. "
                "988 and 911 are always on the plan.", "contacts"),
    PlanSection("environment", "Making my surroundings safer",
                "What I will do, or ask someone to do, to keep things I could hurt myself "
                "with away from me.", "lines"),
    PlanSection("reasons", "My reasons for living",
                "The people, hopes and things that matter most to me.", "lines",
                optional=True),
)
SECTION_BY_ID: Final[Mapping[str, PlanSection]] = {s.id: s for s in PLAN_SECTIONS}
SECTION_IDS: Final = tuple(s.id for s in PLAN_SECTIONS)

# Room for a real plan, and no more than fits two printed pages at the fullest (a browser
# test prints a plan at these limits); not clinical numbers.
MAX_ITEMS: Final = 8  # lines per section
MAX_ITEM: Final = 120  # characters per line
MAX_CONTACTS: Final = 5  # people or services per contact section
MAX_NAME: Final = 80
MAX_FACTORS: Final = 12  # the clinician's optional risk and protective factors
MAX_FACTOR: Final = 200


def phone_href(phone: str, scheme: Literal["tel", "sms"] = "tel") -> str:
    """A tel: or sms: link for a number as people write it: digits and a leading +."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    plus = "+" if phone.strip().startswith("+") else ""
    return f"{scheme}:{plus}{digits}"
