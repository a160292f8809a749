"""GAD-7: Generalized Anxiety Disorder scale ([ref:spitzer2006], codes [ref:loinc]).

Seven items scored 0–3 over the last two weeks, total 0–21. The 0 anchor is "Not at all";
"not at all sure" is a known published error [ref:zorowitz2021].
"""

from __future__ import annotations

from kratom_recovery.care.instruments.base import Band, Instrument, Item
from kratom_recovery.care.instruments.phq9 import FREQUENCY_OPTIONS

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see base.py)
if TYPE_CHECKING:
    from typing import Final

# (id, LOINC item code, item text as published; GAD-7 is free to reproduce,
# [ref:phq-screeners]). Item codes are [V-2nd] [ref:loinc]: read only in secondary sources
# (several repositories), not yet confirmed at loinc.org.
_ITEMS: Final = (
    ("nervous", "69725-0", "Feeling nervous, anxious or on edge"),
    ("uncontrolled-worry", "68509-9", "Not being able to stop or control worrying"),
    ("worrying-too-much", "69733-4", "Worrying too much about different things"),
    ("trouble-relaxing", "69734-2", "Trouble relaxing"),
    ("restless", "69735-9", "Being so restless that it is hard to sit still"),
    ("irritable", "69689-8", "Becoming easily annoyed or irritable"),
    ("afraid", "69736-7", "Feeling afraid, as if something awful might happen"),
)

GAD7: Final = Instrument(
    id="gad7",
    version="1",
    name="Generalized Anxiety Disorder scale (7 items)",
    short_name="GAD-7",
    respondent="patient",
    description="A seven-item anxiety questionnaire about the past two weeks.",
    instructions=(
        "Over the last two weeks, how often have you been bothered by each of the following?"
    ),
    recall_period="the last 2 weeks",
    items=tuple(
        Item(id=item_id, number=n, text=text, options=FREQUENCY_OPTIONS, loinc=code)
        for n, (item_id, code, text) in enumerate(_ITEMS, start=1)
    ),
    bands=(  # Spitzer 2006 via camcops gad7.py [ref:spitzer2006]
        Band("minimal", "Minimal", 0, 4),
        Band("mild", "Mild", 5, 9),
        Band("moderate", "Moderate", 10, 14),
        Band("severe", "Severe", 15, 21),
    ),
    source=(
        "Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing "
        "generalized anxiety disorder: the GAD-7. Arch Intern Med 2006;166:1092-1097 "
        " [ref:spitzer2006]. LOINC panel, total and item codes are [V-2nd] [ref:loinc]."
    ),
    licence=(
        "Free to use on the same terms as the PHQ [ref:phq-screeners]. The item texts follow the "
        "published wording, which may be reproduced without permission."
    ),
    loinc_panel="69737-5",
    loinc_total="70274-6",
)
