"""Who may not start a kratom taper on their own: the clinician sign-off gate, as a predicate.

A pregnant person should not stop or cut down suddenly on their own: newborns can withdraw
after kratom use in pregnancy [ref:eldridge2018] [ref:nas-case2019]. A young person (12 to 17)
tapers with a guardian and adolescent services, never self-directed [ref:assumption:design-rule].
A 7-OH plan needs a clinician too: 7-OH withdrawal can be severe enough for hospital care, and
buprenorphine started in a 7-OH user brought on withdrawal [ref:sharma2025].
The web taper start asks `taper_needs_signoff(profile, plan_product=…)` before a patient's own
taper; the clinician signs off on the patient's taper page.
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
SEVEN_OH = SignoffReason(
    "7-oh",
    "A 7-OH product can cause severe withdrawal: a clinician signs off a 7-OH taper before "
    "it starts.",
    "[ref:sharma2025] [ref:fda-7oh-2025]",
)


def taper_needs_signoff(
    profile: UseProfile | None, *, plan_product: str | None = None
) -> tuple[SignoffReason, ...]:
    """The reasons a taper needs a clinician's sign-off before it starts; empty when none.

    `plan_product` is the product the plan tapers (a 7-OH plan needs one); without it only
    the person's profile counts."""
    reasons: list[SignoffReason] = []
    if profile is not None and "pregnancy" in profile.conditions:
        reasons.append(PREGNANCY)
    if profile is not None and profile.age is not None and profile.age < ADULT_AGE:
        reasons.append(MINOR)
    if plan_product == "7-oh":
        reasons.append(SEVEN_OH)
    return tuple(reasons)
