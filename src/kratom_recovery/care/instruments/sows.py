"""SOWS: Subjective Opiate Withdrawal Scale, patient self-report [ref:handelsman1987].

Handelsman et al. 1987: 16 items, each 0 (not at all) to 4 (extremely), total 0–64. The item
wording is treated as copyrighted (Taylor & Francis), so the texts below are our paraphrase.
The original has no bands; we use the NIDA CTN-0051 research convention [ref:ctn0094-data].
"""

from __future__ import annotations

from kratom_recovery.care.instruments.base import Band, Instrument, Item, Option

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see base.py)
if TYPE_CHECKING:
    from typing import Final

# 0 and 4 anchors are the published ones [ref:handelsman1987]. The middle labels are generic Likert
# words; commonly reproduced copies of the SOWS form use the same ones.
INTENSITY_OPTIONS: Final = (
    Option(0, "Not at all"),
    Option(1, "A little"),
    Option(2, "Moderately"),
    Option(3, "Quite a bit"),
    Option(4, "Extremely"),
)

# (id, our wording) in published item order; ids are fixed project-wide (PREAMBLE). Worded
# so that no item repeats the published sentence (checked against a reproduced copy of the
# form); the symptom each item asks about is unchanged ([ref:handelsman1987] item topics).
_ITEMS: Final = (
    ("anxious", "I feel nervous or uneasy."),
    ("yawning", "I keep wanting to yawn."),
    ("sweating", "I am sweating."),
    ("tearing", "My eyes are watering."),
    ("runny-nose", "I have a runny or dripping nose."),
    ("gooseflesh", "I notice goosebumps on my skin."),
    ("shaking", "My body or hands are trembling."),
    ("hot-flashes", "I get sudden waves of feeling hot."),
    ("cold-flashes", "I get sudden chills or waves of feeling cold."),
    ("aches", "I feel aching deep in my muscles or bones."),
    ("restless", "I can't settle or keep still."),
    ("nauseous", "I feel sick to my stomach."),
    ("vomit-urge", "I feel as if I might throw up."),
    ("twitching", "I notice my muscles jerking or twitching."),
    ("cramps", "My stomach is cramping."),
    # The original asks about using (an opioid) now; we ask about kratom, and ask how much,
    # rated 0-4 like every item, not whether an urge passes a "strong" line
    # [ref:handelsman1987].
    ("urge-to-use", "I feel like taking kratom now."),
)

SOWS: Final = Instrument(
    id="sows",
    version="2",  # 2: item 16 asks for intensity ("I feel like taking kratom now")
    name="Subjective Opiate Withdrawal Scale",
    short_name="SOWS",
    respondent="patient",
    description=(
        "Sixteen withdrawal symptoms the person rates for how strongly they feel them right "
        "now, each from 0 (not at all) to 4 (extremely)."
    ),
    instructions=(
        "For each line, choose how strongly you feel it right now. There are no right or "
        "wrong answers."
    ),
    recall_period="right now",
    items=tuple(
        Item(id=item_id, number=n, text=text, options=INTENSITY_OPTIONS)
        for n, (item_id, text) in enumerate(_ITEMS, start=1)
    ),
    bands=(
        # NIDA CTN-0051 convention, not part of the original scale [ref:ctn0094-data].
        Band("none", "No withdrawal symptoms", 0, 0, note="Research convention (CTN-0051)"),
        Band("mild", "Mild", 1, 10, note="Research convention (CTN-0051)"),
        Band("moderate", "Moderate", 11, 20, note="Research convention (CTN-0051)"),
        Band("severe", "Severe", 21, 64, note="Research convention (CTN-0051)"),
    ),
    source=(
        "Handelsman L, Cochrane KJ, Aronson MJ, Ness R, Rubinstein KJ, Kanof PD. Two new "
        "rating scales for opiate withdrawal. Am J Drug Alcohol Abuse 1987;13(3):293-308. "
        "Bands: NIDA CTN-0051 research convention [ref:ctn0094-data]."
    ),
    licence=(
        "Published in a Taylor & Francis journal; the original item wording is treated as "
        "copyrighted. The item texts here are our own paraphrase."
    ),
    caveat=(
        "SOWS was developed for opioid withdrawal and has not been validated for kratom "
        "withdrawal [ref:wesson-ling2003] [ref:handelsman1987]; its bands are a research "
        "convention, not official."
    ),
)
