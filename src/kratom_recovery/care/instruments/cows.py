"""COWS: Clinical Opiate Withdrawal Scale, clinician-rated [ref:wesson-ling2003].

Wesson & Ling 2003: 11 items, each with its own allowed scores (the gaps are deliberate:
resting pulse is 0/1/2/4, gooseflesh 0/3/5), total 0–48. Anchor texts below summarise the
published form in our words ([ref:wesson-ling2003] form).
"""

from __future__ import annotations

from kratom_recovery.care.instruments.base import Band, Instrument, Item, Option

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see base.py)
if TYPE_CHECKING:
    from typing import Final


def _item(number: int, item_id: str, text: str, *options: tuple[int, str]) -> Item:
    return Item(
        id=item_id,
        number=number,
        text=text,
        options=tuple(Option(value, label) for value, label in options),
    )


_ITEMS: Final = (
    _item(1, "resting-pulse",
          "Resting pulse, measured after the person has sat or lain still for one minute.",
          (0, "80 or below"), (1, "81 to 100"), (2, "101 to 120"), (4, "Above 120")),
    _item(2, "sweating",
          "Sweating in the past half hour, not explained by room temperature or activity.",
          (0, "None"), (1, "Reports chills or flushing"), (2, "Flushed or moist face"),
          (3, "Beads of sweat on brow or face"), (4, "Sweat streaming off the face")),
    _item(3, "restlessness", "Restlessness, observed during the assessment.",
          (0, "Able to sit still"), (1, "Reports it is hard to sit still, but can"),
          (3, "Frequent shifting or extra movements of legs or arms"),
          (5, "Cannot sit still for more than a few seconds")),
    _item(4, "pupil-size", "Pupil size.",
          (0, "Pinned or normal for the room light"), (1, "Possibly larger than normal"),
          (2, "Moderately dilated"), (5, "So dilated that only the rim of the iris shows")),
    _item(5, "aches",
          "Bone or joint aches; score only the extra aching attributed to withdrawal.",
          (0, "None"), (1, "Mild, spread-out discomfort"), (2, "Severe, spread-out aching"),
          (4, "Rubbing joints or muscles and unable to sit still from the discomfort")),
    _item(6, "runny-nose-tearing",
          "Runny nose or watery eyes, not explained by a cold or allergies.",
          (0, "None"), (1, "Stuffy nose or unusually moist eyes"),
          (2, "Nose running or eyes tearing"), (4, "Nose constantly running or tears streaming")),
    _item(7, "gi-upset", "Stomach or bowel upset in the past half hour.",
          (0, "None"), (1, "Stomach cramps"), (2, "Nausea or loose stool"),
          (3, "Vomiting or diarrhoea"), (5, "Several episodes of vomiting or diarrhoea")),
    _item(8, "tremor", "Tremor, observed with the hands held out.",
          (0, "None"), (1, "Can be felt but not seen"), (2, "Slight tremor can be seen"),
          (4, "Gross tremor or muscle twitching")),
    _item(9, "yawning", "Yawning, observed during the assessment.",
          (0, "None"), (1, "Once or twice"), (2, "Three or more times"),
          (4, "Several times a minute")),
    _item(10, "anxiety-irritability", "Anxiety or irritability.",
          (0, "None"), (1, "Reports growing irritability or anxiety"),
          (2, "Obviously irritable or anxious"),
          (4, "So irritable or anxious that taking part in the assessment is difficult")),
    _item(11, "gooseflesh", "Gooseflesh skin.",
          (0, "Skin is smooth"), (3, "Gooseflesh can be felt or hairs stand up on the arms"),
          (5, "Prominent gooseflesh")),
)

COWS: Final = Instrument(
    id="cows",
    version="1",
    name="Clinical Opiate Withdrawal Scale",
    short_name="COWS",
    respondent="clinician",
    description=(
        "Eleven signs of opioid-type withdrawal rated by a clinician; each sign has its own "
        "set of allowed scores."
    ),
    instructions=(
        "Rate each sign as you observe or ask about it now. Score only what you attribute to "
        "withdrawal (for example, ignore a pulse raised by exercise)."
    ),
    recall_period="now (sweating and stomach upset: the past half hour)",
    items=_ITEMS,
    bands=(
        # Below 5 has no published label ("not conclusive of withdrawal", [ref:wesson-ling2003]);
        # "below the withdrawal range" is our wording.
        Band("none", "Below the withdrawal range", 0, 4,
             note="Not a published COWS band: our label for scores under 5"),
        Band("mild", "Mild", 5, 12),
        Band("moderate", "Moderate", 13, 24),
        Band("moderately-severe", "Moderately severe", 25, 36),
        Band("severe", "Severe", 37, 48),
    ),
    source=(
        "Wesson DR, Ling W. The Clinical Opiate Withdrawal Scale (COWS). J Psychoactive Drugs "
        "2003;35(2):253-259. doi:10.1080/02791072.2003.10400007 [ref:wesson-ling2003]."
    ),
    licence="The published form may be freely copied for clinical use [ref:wesson-ling2003].",
    caveat=(
        "COWS has not been validated for kratom withdrawal. Beta-blockers can mask the pulse "
        "item, and several items rely on what the person reports [ref:wesson-ling2003]."
    ),
)
