"""Kratom use disorder checklist on the 11 DSM-5 substance use disorder criteria [ref:dsm5].

Yes/no per criterion over the past 12 months; the count gives severity (2–3 mild, 4–5
moderate, 6+ severe). DSM-5 text is APA copyright, so the criteria are in our own words.
Kratom has no DSM-5 class: clinicians record it as "other substance use disorder" [ref:dsm5].
"""

from __future__ import annotations

from kratom_recovery.care.instruments.base import Band, Instrument, Item, Option
from kratom_recovery.care.instruments.rules import ScoringOption

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see base.py)
if TYPE_CHECKING:
    from typing import Final

YES_NO: Final = (Option(0, "No"), Option(1, "Yes"))

# (id, our wording) in DSM-5 criterion order [ref:dsm5]. Our paraphrase keeps DSM's
# qualifiers: a persistent wish or repeated failed attempts (2), recurrent use or problems
# (5, 6, 8, 9) and markedly more or markedly less (10).
_ITEMS: Final = (
    ("larger-longer", "I often took more kratom, or took it for longer, than I meant to."),
    ("cut-down",
     "I kept wanting to cut down or stop, or tried to more than once and could not."),
    ("time-spent", "I spent a lot of time getting kratom, taking it or getting over it."),
    ("craving", "I had strong cravings or urges to take kratom."),
    ("role-failure",
     "Again and again, kratom use kept me from doing what I needed to do at work, school or "
     "home."),
    ("social-problems",
     "I kept using kratom even though it kept causing or worsening problems with other "
     "people."),
    ("activities-given-up",
     "I gave up or cut back on important activities because of kratom."),
    ("hazardous-use",
     "More than once, I used kratom in situations where it could be physically dangerous, "
     "such as driving."),
    ("despite-problems",
     "I kept using kratom even though I knew it was causing or worsening a lasting or "
     "recurring physical or mental health problem."),
    ("tolerance",
     "I needed much more kratom to get the same effect, or the same amount did much less."),
    ("withdrawal",
     "I had withdrawal symptoms when I stopped or cut down, or took kratom to avoid them."),
)

MEDICALLY_SUPERVISED: Final = ScoringOption(
    name="medically_supervised",
    description=(
        "For clinicians only. DSM-5 rule: tolerance and withdrawal do not count when the "
        "substance is taken solely under appropriate medical supervision, so criteria 10 and "
        "11 are left out of the count [ref:dsm5]. It does not apply to self-directed kratom "
        "use: kratom a person buys and takes on their own, even to treat themselves, is not "
        "medically supervised, so both criteria count."
    ),
    excludes=("tolerance", "withdrawal"),
    clinician_only=True,
)

SUD: Final = Instrument(
    id="sud",
    version="2",  # 2: DSM's qualifiers kept (persistent, recurrent, markedly)
    name="Kratom use disorder checklist (DSM-5 criteria)",
    short_name="KUD checklist",
    respondent="patient",
    description=(
        "The eleven DSM-5 substance use disorder criteria in our own words, answered yes or "
        "no for kratom over the past 12 months; the number of criteria met gives severity."
    ),
    instructions="Thinking about the past 12 months, does each statement apply to you?",
    recall_period="the past 12 months",
    items=tuple(
        Item(id=item_id, number=n, text=text, options=YES_NO)
        for n, (item_id, text) in enumerate(_ITEMS, start=1)
    ),
    bands=(  # DSM-5 severity by criteria count [ref:dsm5]
        Band("none", "Below the threshold for a use disorder", 0, 1),
        Band("mild", "Mild", 2, 3),
        Band("moderate", "Moderate", 4, 5),
        Band("severe", "Severe", 6, 11),
    ),
    source=(
        "American Psychiatric Association. DSM-5 substance use disorder criteria and severity "
        "(criteria table as in PMC7993020), applied to kratom as in Smith 2022 and Hill 2024 "
        " [ref:dsm5]."
    ),
    licence=(
        "DSM-5 text is APA copyright; the criteria here are our own paraphrase and the "
        "checklist is not the DSM-5 text."
    ),
    caveat=(
        "A checklist count supports, but does not replace, a clinician's diagnosis. DSM-5 has "
        "no kratom class; record it as other (or unknown) substance use disorder [ref:dsm5]."
    ),
    options=(MEDICALLY_SUPERVISED,),
)
