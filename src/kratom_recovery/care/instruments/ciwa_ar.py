"""CIWA-Ar: Clinical Institute Withdrawal Assessment for Alcohol, revised; clinician-rated
[ref:sullivan1989].

Public domain; 10 items, total 0–67: nine items scored 0–7 and orientation 0–4
[ref:sullivan1989]. The item names below follow the published scale; the published anchor
wording for each score is NOT reproduced here. It is not in our verified sources yet, and
the scale must be used with its published items unchanged, so the item texts are a short
paraphrase PENDING VERIFICATION against the published form, and the answers are shown as
numbers with only their ends described. A clinician rating CIWA-Ar uses the published form.

Bands are the commonly used ones [ref:sullivan1989]: "below 8–10 minimal, 8–15 moderate,
above 15 severe". The lower edge varies between 8 and 10 in use; this definition takes 8
(the convention: 0–7 minimal, 8–15 moderate, 16–67 severe), so no score of 8 or 9 is shown
as minimal.
"""

from __future__ import annotations

from kratom_recovery.care.instruments.base import Band, Instrument, Item, Option

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see base.py)
if TYPE_CHECKING:
    from typing import Final

PARAPHRASE: Final = "(paraphrase pending verification against the published form)"


def _options(top: int) -> tuple[Option, ...]:
    labels = {0: f"0 of {top}: none", top: f"{top} of {top}: most severe"}
    return tuple(Option(value, labels.get(value, f"{value} of {top}"))
                 for value in range(top + 1))


def _item(number: int, item_id: str, text: str, top: int = 7) -> Item:
    return Item(id=item_id, number=number, text=text, options=_options(top))


_ITEMS: Final = (
    _item(1, "nausea-vomiting", "Nausea and vomiting."),
    _item(2, "tremor", "Tremor, with the arms extended and fingers spread."),
    _item(3, "paroxysmal-sweats", "Paroxysmal sweats."),
    _item(4, "anxiety", "Anxiety."),
    _item(5, "agitation", "Agitation."),
    _item(6, "tactile-disturbances", "Tactile disturbances."),
    _item(7, "auditory-disturbances", "Auditory disturbances."),
    _item(8, "visual-disturbances", "Visual disturbances."),
    _item(9, "headache", "Headache, fullness in the head."),
    _item(10, "orientation", "Orientation and clouding of the sensorium.", top=4),
)

CIWA_AR: Final = Instrument(
    id="ciwa-ar",
    version="1",
    name="Clinical Institute Withdrawal Assessment for Alcohol, revised",
    short_name="CIWA-Ar",
    respondent="clinician",
    description=(
        "Ten signs and symptoms of alcohol withdrawal rated by a clinician, for a person "
        "withdrawing from alcohol alongside kratom. Item names only: the anchor wording of "
        f"the published form is not reproduced {PARAPHRASE}."
    ),
    instructions=(
        "Rate each item from the published CIWA-Ar form: nine items from 0 to 7 and "
        "orientation from 0 to 4."
    ),
    recall_period="now",
    items=_ITEMS,
    bands=(
        Band("minimal", "Minimal", 0, 7,
             note="Commonly below 8–10; this program's convention starts moderate at 8"),
        Band("moderate", "Moderate", 8, 15),
        Band("severe", "Severe", 16, 67,
             note="Above 15: a higher risk of seizures or delirium [ref:sullivan1989]"),
    ),
    source=(
        "Sullivan JT et al., 1989: the revised Clinical Institute Withdrawal Assessment for "
        "Alcohol (CIWA-Ar) [ref:sullivan1989]."
    ),
    licence="Public domain [ref:sullivan1989].",
    caveat=(
        "Severe alcohol withdrawal can cause seizures and delirium: a severe score needs a "
        "clinician's review now [ref:sullivan1989]. Item texts are a paraphrase pending "
        "verification against the published form."
    ),
)
