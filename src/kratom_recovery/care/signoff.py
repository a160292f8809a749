"""Who may not start a kratom taper on their own: the clinician sign-off gate, as a predicate.

A pregnant person should not stop or cut down suddenly on their own: newborns can withdraw
after kratom use in pregnancy [ref:eldridge2018] [ref:nas-case2019]. A young person (12 to 17)
tapers with a guardian and adolescent services, never self-directed [ref:assumption:design-rule].
The web taper form asks `taper_needs_signoff()` before a self-started taper.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from kratom_recovery.care.profile import UseProfile

ADULT_AGE: Final = 18


@dataclass(frozen=True)
class SignoffReason:
    id: str
    text: str  # shown to the person and the clinician
    source: str


PREGNANCY = SignoffReason(
    "pregnancy",
    "You are pregnant: a clinician plans any change in your kratom use with you, and signs "
    "off the taper before it starts. Don't stop suddenly on your own.",
    "[ref:eldridge2018] [ref:nas-case2019]",
)
MINOR = SignoffReason(
    "under-18",
    "You are under 18: a clinician and a parent or guardian plan the taper with you; it "
    "cannot start on your own.",
    "[ref:assumption:design-rule]",
)
SIGNOFF_REASONS: Final = (PREGNANCY, MINOR)


def taper_needs_signoff(profile: UseProfile) -> tuple[SignoffReason, ...]:
    """The reasons a taper needs a clinician's sign-off before it starts; empty when none."""
    reasons: list[SignoffReason] = []
    if "pregnancy" in profile.conditions:
        reasons.append(PREGNANCY)
    if profile.age is not None and profile.age < ADULT_AGE:
        reasons.append(MINOR)
    return tuple(reasons)
