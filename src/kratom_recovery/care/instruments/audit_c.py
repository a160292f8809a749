"""AUDIT-C: the three alcohol-consumption questions of the WHO AUDIT [ref:bush1998].

Three items scored 0–4, total 0–12. It screens for risky drinking; it does **not** measure
physical dependence, so the profile asks about dependence separately
(care/profile.py DEPENDENCE_QUESTIONS). There are no sex-neutral bands: a total is positive at
or above a cut-off that depends on sex (4 or more for men [ref:bush1998], 3 or more for women
[ref:bradley2003]; some studies use 5), so the cut-offs are parameters of `is_positive()` and
program settings (care/program_settings.py), not bands.
"""

from __future__ import annotations

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.instruments.base import Instrument, Item, Option

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see base.py)
if TYPE_CHECKING:
    from typing import Final

CUTOFF_MEN: Final = 4  # [ref:bush1998]
CUTOFF_WOMEN: Final = 3  # [ref:bradley2003]

_FREQUENCY: Final = (
    Option(0, "Never"),
    Option(1, "Monthly or less"),
    Option(2, "2 to 4 times a month"),
    Option(3, "2 to 3 times a week"),
    Option(4, "4 or more times a week"),
)
_TYPICAL_DAY: Final = (
    Option(0, "1 or 2"),
    Option(1, "3 or 4"),
    Option(2, "5 or 6"),
    Option(3, "7 to 9"),
    Option(4, "10 or more"),
)
_HEAVY: Final = (
    Option(0, "Never"),
    Option(1, "Less than monthly"),
    Option(2, "Monthly"),
    Option(3, "Weekly"),
    Option(4, "Daily or almost daily"),
)

AUDIT_C: Final = Instrument(
    id="audit-c",
    version="1",
    name="Alcohol Use Disorders Identification Test, consumption questions",
    short_name="AUDIT-C",
    respondent="patient",
    description=(
        "Three questions about how often and how much you drink. It screens for risky "
        "drinking; it does not show whether the body depends on alcohol."
    ),
    instructions="A drink means one can of beer, one glass of wine or one shot of spirits.",
    recall_period="the past year",
    items=(
        Item(id="drink-frequency", number=1,
             text="How often do you have a drink containing alcohol?", options=_FREQUENCY),
        Item(id="typical-drinks", number=2,
             text="How many drinks containing alcohol do you have on a typical day when you "
                  "are drinking?", options=_TYPICAL_DAY),
        Item(id="six-or-more", number=3,
             text="How often do you have six or more drinks on one occasion?", options=_HEAVY),
    ),
    bands=(),
    source=(
        "Bush K, et al. The AUDIT alcohol consumption questions (AUDIT-C). 1998 [ref:bush1998]; "
        "cut-offs 4 (men) and 3 (women) [ref:bush1998] [ref:bradley2003]. Items are AUDIT "
        "items 1-3 [ref:who-audit]. LOINC total 75626-2, secondary [ref:loinc]."
    ),
    licence=(
        "The AUDIT is WHO copyright and may be freely reproduced, not for sale or commercial "
        "purposes [ref:who-audit]; SAMHSA describes the AUDIT-C as public domain [ref:bush1998]. "
        "We use it for non-commercial care and keep the published questions unchanged."
    ),
    loinc_total="75626-2",
    caveat="Screens for risky drinking, not physical dependence; ask about dependence separately.",
)


def cutoff_for(sex: str | None, *, men: int = CUTOFF_MEN, women: int = CUTOFF_WOMEN) -> int:
    """The positive cut-off for `sex` ('male', 'female' or None). Unknown sex takes the lower
    cut-off, so no one is missed [ref:assumption:audit-c-sex]."""
    if sex not in (None, "male", "female"):
        raise InvalidInput("sex", f"must be female, male or left out (got {sex!r})")
    if sex == "male":
        return men
    if sex == "female":
        return women
    return min(men, women)


def is_positive(total: int, sex: str | None = None, *, cutoff: int | None = None,
                men: int = CUTOFF_MEN, women: int = CUTOFF_WOMEN) -> bool:
    """Whether an AUDIT-C total screens positive; `cutoff` overrides the sex-specific one."""
    if isinstance(total, bool) or not isinstance(total, int) or not 0 <= total <= 12:
        raise InvalidInput("total", f"must be a whole number from 0 to 12 (got {total!r})")
    limit = cutoff if cutoff is not None else cutoff_for(sex, men=men, women=women)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 12:
        raise InvalidInput("cutoff", f"must be a whole number from 1 to 12 (got {limit!r})")
    return total >= limit
