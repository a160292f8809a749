"""PHQ-9: Patient Health Questionnaire, depression module ([ref:kroenke2001], codes [ref:loinc]).

Nine items scored 0–3 over the last two weeks, total 0–27. The unscored tenth item
(functional difficulty) is left out, so it can never leak into the total. Any answer above 0
on item 9 raises `suicidal-thoughts`; the safety module routes that flag (our design rule on
[ref:kroenke2001] item 9; the C-SSRS is deliberately not embedded, [ref:columbia-cssrs]).
"""

from __future__ import annotations

from kratom_recovery.care.instruments.base import Band, Instrument, Item, Option
from kratom_recovery.care.instruments.rules import ItemFlag

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see base.py)
if TYPE_CHECKING:
    from typing import Final

# Shared PHQ/GAD answer list with its LOINC answer codes ([ref:loinc] [V]).
FREQUENCY_OPTIONS: Final = (
    Option(0, "Not at all", loinc="LA6568-5"),
    Option(1, "Several days", loinc="LA6569-3"),
    Option(2, "More than half the days", loinc="LA6570-1"),
    Option(3, "Nearly every day", loinc="LA6571-9"),
)

SUICIDAL_THOUGHTS: Final = ItemFlag(
    id="suicidal-thoughts",
    label="Thoughts of being better off dead or of self-harm were reported",
    at_least=1,
)

# (id, LOINC item code, wording) in published order ([ref:kroenke2001] topics, [ref:loinc]
# codes). The published English wording, verbatim: the PHQ screeners may be reproduced
# without permission [ref:phq-screeners].
_ITEMS: Final = (
    ("interest", "44250-9", "Little interest or pleasure in doing things"),
    ("low-mood", "44255-8", "Feeling down, depressed, or hopeless"),
    ("sleep", "44259-0", "Trouble falling or staying asleep, or sleeping too much"),
    ("energy", "44254-1", "Feeling tired or having little energy"),
    ("appetite", "44251-7", "Poor appetite or overeating"),
    ("self-worth", "44258-2",
     "Feeling bad about yourself \u2014 or that you are a failure or have let yourself or your "
     "family down"),
    ("concentration", "44252-5",
     "Trouble concentrating on things, such as reading the newspaper or watching television"),
    ("movement", "44253-3",
     "Moving or speaking so slowly that other people could have noticed? Or the opposite "
     "\u2014 being so fidgety or restless that you have been moving around a lot more than "
     "usual"),
    ("self-harm-thoughts", "44260-8",
     "Thoughts that you would be better off dead or of hurting yourself in some way"),
)

PHQ9: Final = Instrument(
    id="phq9",
    version="2",  # 2: the published item wording, verbatim (1 paraphrased six items)
    name="Patient Health Questionnaire (depression, 9 items)",
    short_name="PHQ-9",
    respondent="patient",
    description="A nine-item depression questionnaire about the past two weeks.",
    instructions=(
        "Over the last 2 weeks, how often have you been bothered by any of the following "
        "problems?"
    ),
    recall_period="the last 2 weeks",
    items=tuple(
        Item(
            id=item_id,
            number=n,
            text=text,
            options=FREQUENCY_OPTIONS,
            loinc=code,
            flag=SUICIDAL_THOUGHTS if item_id == "self-harm-thoughts" else None,
        )
        for n, (item_id, code, text) in enumerate(_ITEMS, start=1)
    ),
    bands=(  # Kroenke 2001 via camcops phq9.py and the HL7 SDC example [ref:kroenke2001]
        Band("minimal", "None or minimal", 0, 4),
        Band("mild", "Mild", 5, 9),
        Band("moderate", "Moderate", 10, 14),
        Band("moderately-severe", "Moderately severe", 15, 19),
        Band("severe", "Severe", 20, 27),
    ),
    source=(
        "Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression "
        "severity measure. J Gen Intern Med 2001;16(9):606-613. "
        "doi:10.1046/j.1525-1497.2001.016009606.x [ref:kroenke2001]."
    ),
    licence=(
        "Copyright Pfizer Inc. No permission is required to reproduce, translate, display or "
        "distribute the PHQ-9 [ref:phq-screeners]. The items and answers here are the "
        "published English wording."
    ),
    loinc_panel="44249-1",
    loinc_total="44261-6",
)
