"""What to do first: one routing table from a flag's family to the first actions shown.

Each safety rule names its family (care/safety.py). `first_actions(flags)` looks at the
families present, most pressing first, and returns their first actions without repeats, each
with one line saying what it does. The crisis card and `kratom-recovery triage` both show this
list, so a person with dark urine sees their care team and a same-day medical check first, not
a suicide line, while a person with thoughts of suicide sees 988 first.

The order of families and of actions is our design [ref:assumption:design-rule]; the numbers
are the resources' own [ref:988-lifeline] [ref:samhsa-helpline] [ref:poison-help].
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Protocol

from kratom_recovery.care.resources import RESOURCE_BY_ID

# Families, most pressing first (equal severity resolves in this order).
FAMILIES: Final = (
    "suicide-emergency", "medical-emergency", "suicide", "urgent-medical", "severe-withdrawal",
)


@dataclass(frozen=True)
class FirstAction:
    id: str
    label: str
    what: str  # one line: what this does for you
    resource: str | None = None  # care/resources.py id, for the contact links
    only_with_action: str | None = None  # shown only when a flag in the family asks for it

    def as_dict(self) -> dict[str, Any]:
        contacts = RESOURCE_BY_ID[self.resource].as_dict()["contacts"] if self.resource else []
        return {"id": self.id, "label": self.label, "what": self.what,
                "resource": self.resource, "contacts": contacts}


CALL_911 = FirstAction("call-911", "Call 911",
                       "Emergency help comes to you now, if anyone is in danger right now.",
                       "911")
CRISIS_988 = FirstAction("988", "Call, text or chat with 988",
                         "A trained counsellor talks with you now, any time, free and private.",
                         "988")
CARE_TEAM = FirstAction("care-team", "Contact your care team",
                        "The people who know your plan can see you or advise you today.")
SAME_DAY = FirstAction("same-day-review", "Get a medical check today",
                       "If you cannot reach your care team, go to urgent care or an emergency "
                       "department today.")
POISON = FirstAction("poison-help", "Call Poison Help (1-800-222-1222)",
                     "Experts advise on what was taken and what to do; call 911 first if "
                     "someone is not breathing normally.", "poison-control",
                     only_with_action="call-poison-control")
SAMHSA = FirstAction("samhsa", "Call the SAMHSA Helpline",
                     "Finds treatment near you, such as a place to withdraw with medical care. "
                     "It refers; it does not counsel.", "samhsa-helpline")

ROUTES: Final[Mapping[str, tuple[FirstAction, ...]]] = {
    "suicide-emergency": (CRISIS_988, CALL_911),
    "medical-emergency": (CALL_911, POISON),
    "suicide": (CRISIS_988, CARE_TEAM),
    "urgent-medical": (CARE_TEAM, SAME_DAY, POISON),
    "severe-withdrawal": (CARE_TEAM, CRISIS_988, SAMHSA),
}
SEVERITY_RANK: Final = {"info": 0, "warning": 1, "urgent": 2, "emergency": 3}


class RoutedFlag(Protocol):
    @property
    def severity(self) -> str: ...
    @property
    def actions(self) -> tuple[str, ...]: ...
    @property
    def family(self) -> str | None: ...


def first_actions(flags: Iterable[RoutedFlag]) -> tuple[FirstAction, ...]:
    """The first actions for these flags: families by their most severe flag, then by FAMILIES
    order; each action once. Empty when no flag belongs to a family."""
    worst: dict[str, int] = {}
    asked: dict[str, set[str]] = {}
    for flag in flags:
        if flag.family is None:
            continue
        rank = SEVERITY_RANK[flag.severity]
        worst[flag.family] = max(worst.get(flag.family, rank), rank)
        asked.setdefault(flag.family, set()).update(flag.actions)
    ordered = sorted(worst, key=lambda f: (-worst[f], FAMILIES.index(f)))
    chosen: dict[str, FirstAction] = {}
    for family in ordered:
        for action in ROUTES[family]:
            if action.only_with_action and action.only_with_action not in asked[family]:
                continue
            chosen.setdefault(action.id, action)
    return tuple(chosen.values())
