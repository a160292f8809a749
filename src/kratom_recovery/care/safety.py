"""Safety rules as data: who needs which warning, how urgently, and what to do about it.

Each rule in SAFETY_RULES pairs a condition (small named predicates composed with & and |, so
the table reads like the clinical sentence it encodes) with a severity, a message for the
person, a message for the clinician, action ids from ACTIONS, its source (a `[ref:KEY]` of
docs/references.md), whether it notifies a person or only informs, and its family for the
first-actions routing (care/routing.py). `evaluate()` returns every flag that fires, most
severe first. Rules only ever add flags: adding a risk to the input never removes one (tested).

The vocabularies the check-in form shows (DANGER_SYMPTOMS, SUICIDE_FOLLOWUP) live here too.
The suicide follow-up is our own wording, not the C-SSRS ([ref:columbia-cssrs]: electronic use
needs a licence). Thresholds a program may adjust are in care/program_settings.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Final, Literal

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.interactions import (
    SEDATIVE_CLASSES,
    MedicationMatch,
    match_medications,
    matches_in,
    unrecognised,
)
from kratom_recovery.care.profile import UseProfile
from kratom_recovery.care.program_settings import (
    DEFAULT_SETTINGS,
    PULSE_MAX,
    PULSE_MIN,
    TEMPERATURE_MAX_C,
    TEMPERATURE_MIN_C,
    ProgramSettings,
)

Severity = Literal["info", "warning", "urgent", "emergency"]
SEVERITIES: Final[tuple[Severity, ...]] = ("info", "warning", "urgent", "emergency")
NOTIFYING: Final = frozenset({"urgent", "emergency"})
Family = Literal["suicide-emergency", "medical-emergency", "suicide", "urgent-medical",
                 "severe-withdrawal"]

# Timeline vocabulary shared with care/timeline.py (PREAMBLE fixed ids).
PHASES: Final = ("pre-onset", "onset", "peak", "subsiding", "post-acute")
TIMELINE_FLAGS: Final = ("worse-than-expected", "prolonged-acute")
ACUTE_PHASES: Final = frozenset({"onset", "peak", "subsiding"})

# Two or more days without a check-in while withdrawal is acute is worth a nudge and a note
# to the care team [ref:assumption:missed-checkin-days]. Adjustable.
MISSED_CHECKIN_DAYS: Final = 2
# Instruments whose scores the rules may read (the registry's ids; a test keeps them equal).
INSTRUMENT_IDS: Final = ("sows", "cows", "phq9", "gad7", "sud", "craving", "daily-extra",
                         "audit-c", "ciwa-ar")

SEDATIVE_SUBSTANCES: Final = frozenset(
    {"alcohol", "benzodiazepines", "opioids", "gabapentinoids", "other-sedatives"}
)
MEDICAL_RISK_CONDITIONS: Final = frozenset({"seizures", "heart-disease", "liver-disease",
                                            "pregnancy"})


@dataclass(frozen=True)
class Action:
    id: str
    label: str  # what the person is asked to do, in plain words


ACTIONS: Final[tuple[Action, ...]] = (
    Action("call-911", "Call 911 now."),
    Action("call-988", "Call or text 988 to talk with someone now."),
    Action("give-naloxone", "If someone cannot be woken or is barely breathing: call 911, give "
           "naloxone (Narcan) if you have it, and stay with them."),
    Action("keep-naloxone", "Keep naloxone (Narcan) at hand, and tell the people around you "
           "where it is."),
    Action("call-poison-control", "Call Poison Help at 1-800-222-1222 if too much was taken."),
    Action("seek-urgent-care", "Go to urgent care or an emergency department today."),
    Action("same-day-medical-review", "See a doctor or nurse today, even if you feel a little "
           "better."),
    Action("liver-tests", "Clinician: check liver blood tests today (ALT, AST, bilirubin, "
           "alkaline phosphatase)."),
    Action("contact-care-team", "Contact your care team today."),
    Action("clinician-review", "Clinician: review this person's plan."),
    Action("contact-prenatal-care", "Contact your prenatal care provider and an addiction "
           "clinician this week."),
    Action("involve-guardian", "Involve a parent or guardian, and ask about services for young "
           "people."),
    Action("do-not-stop-suddenly", "Don't stop alcohol or benzodiazepines suddenly on your own: "
           "plan it with a clinician."),
    Action("see-clinician-before-taper",
           "Talk with a clinician before you start or change your taper."),
    Action("tell-prescriber", "Tell whoever prescribes your medicines that you use kratom."),
    Action("hold-taper", "If you are tapering, hold your current dose until you have talked "
           "with your care team."),
    Action("do-not-mix", "Avoid using kratom together with alcohol or sedating drugs."),
    Action("check-in", "Do a check-in today so your care team can see how you are."),
    Action("check-interactions", "Clinician: check an interaction database for these medicines."),
    Action("consider-ecg", "Clinician: consider an ECG to check the QTc."),
)
ACTION_LABELS: Final[Mapping[str, str]] = {a.id: a.label for a in ACTIONS}


# What a bystander does for someone who may have overdosed: SAMHSA's steps in our own words
# [ref:samhsa-overdose-toolkit2023]; 7-OH acts on the same receptors [ref:montana-ag-naloxone].
OVERDOSE_STEPS: Final[tuple[str, ...]] = (
    "Call 911.",
    "Give naloxone (Narcan) if you have it. It is safe even if they did not take an opioid "
    "and it does not help.",
    "Help them breathe (rescue breaths), or roll them onto their side in the recovery "
    "position.",
    "If they do not respond after 2 to 3 minutes, give a second dose of naloxone.",
    "Stay with them until help arrives, even if they wake up: naloxone can wear off before "
    "the drug does.",
)


@dataclass(frozen=True)
class DangerSymptom:
    id: str
    label: str  # what the check-in form shows
    severity: Severity  # the severity of the rule it raises


DANGER_SYMPTOMS: Final[tuple[DangerSymptom, ...]] = (
    DangerSymptom("chest-pain", "Chest pain or pressure", "emergency"),
    DangerSymptom("fainting", "Fainting or nearly fainting", "emergency"),
    DangerSymptom("seizure", "A seizure (fit)", "emergency"),
    DangerSymptom("confusion", "Confusion, or seeing or hearing things that are not there",
                  "emergency"),
    DangerSymptom("trouble-breathing", "Slow, shallow or difficult breathing", "emergency"),
    DangerSymptom("cannot-be-woken",
                  "Cannot be woken up (if you are answering for someone else)", "emergency"),
    DangerSymptom("vomiting-blood", "Vomiting blood, or what looks like coffee grounds",
                  "emergency"),
    DangerSymptom("severe-abdominal-pain", "Severe pain in the belly", "urgent"),
    DangerSymptom("jaundice", "Yellow skin or yellow whites of the eyes", "urgent"),
    DangerSymptom("dark-urine", "Dark urine, the colour of tea or cola", "urgent"),
    DangerSymptom("pale-stools", "Pale or clay-coloured stools", "urgent"),
    DangerSymptom("severe-itching", "Severe itching all over", "urgent"),
    DangerSymptom("right-upper-abdominal-pain", "Pain under the right ribs", "urgent"),
    DangerSymptom("vomiting-no-fluids",
                  "Vomiting or diarrhea, and you cannot keep fluids down", "urgent"),
    DangerSymptom("dizzy-on-standing", "Dizzy or light-headed when you stand up", "urgent"),
    DangerSymptom("little-urine", "Passing much less urine than usual", "urgent"),
)
DANGER_SYMPTOM_IDS: Final = tuple(d.id for d in DANGER_SYMPTOMS)
EMERGENCY_SYMPTOMS: Final = frozenset(d.id for d in DANGER_SYMPTOMS
                                      if d.severity == "emergency")
# Cholestatic liver injury after kratom [ref:livertox-kratom] [ref:gandhi2020].
LIVER_SYMPTOMS: Final = frozenset({"jaundice", "dark-urine", "pale-stools", "severe-itching",
                                   "right-upper-abdominal-pain"})
DEHYDRATION_SYMPTOMS: Final = frozenset({"vomiting-no-fluids", "dizzy-on-standing",
                                         "little-urine"})
OVERDOSE_SIGNS: Final = frozenset({"cannot-be-woken", "trouble-breathing"})


@dataclass(frozen=True)
class FollowupQuestion:
    id: str
    text: str  # our own wording (not the C-SSRS)
    emergency: bool  # a yes means danger now


# Asked when PHQ-9 item 9 is above 0 or the person says they have thoughts of self-harm.
SUICIDE_FOLLOWUP: Final[tuple[FollowupQuestion, ...]] = (
    FollowupQuestion("thoughts-now",
                     "Right now, are you having thoughts of ending your life or hurting "
                     "yourself?", emergency=False),
    FollowupQuestion("intent", "Do you think you might act on these thoughts?", emergency=True),
    FollowupQuestion("plan", "Have you thought about how you would do it, or started to plan it?",
                     emergency=True),
    FollowupQuestion("recent-self-harm",
                     "In the past 3 months, have you done anything to hurt yourself or to try "
                     "to end your life?", emergency=True),
)
SUICIDE_FOLLOWUP_IDS: Final = tuple(q.id for q in SUICIDE_FOLLOWUP)


@dataclass(frozen=True)
class ScoreSummary:
    """The part of a scored instrument the safety and level-of-care rules read."""

    instrument: str
    total: int
    band: str | None
    flags: frozenset[str] = frozenset()
    items: Mapping[str, int] = field(default_factory=dict)


def from_score(score: Any) -> ScoreSummary:
    """A ScoreSummary from any object shaped like instruments.Score (duck-typed).

    `band` may be a band id or an object with `.id`; items may be a mapping or a sequence
    of objects with `.id` (or `.item_id`) and `.value` (None for unanswered items).
    """
    if isinstance(score, ScoreSummary):
        return score
    band = score.band
    band_id = band if band is None or isinstance(band, str) else str(band.id)
    raw_items = score.items
    if isinstance(raw_items, Mapping):
        items = {str(k): int(v) for k, v in raw_items.items() if v is not None}
    else:
        items = {}
        for item in raw_items:
            item_id = getattr(item, "id", None) or item.item_id
            if item.value is not None:
                items[str(item_id)] = int(item.value)
    return ScoreSummary(str(score.instrument), int(score.total), band_id,
                        frozenset(score.flags), items)


@dataclass(frozen=True)
class SafetyInput:
    """Everything the rules look at: the profile, the latest scores and today's check-in.

    `temperature_c` and `resting_pulse` are measured values (None when not measured);
    `days_free_before_lapse` is set when the person used again after a break (0 = no break).
    """

    profile: UseProfile
    scores: Mapping[str, ScoreSummary] = field(default_factory=dict)  # by instrument id
    danger_symptoms: frozenset[str] = frozenset()
    suicide_followup: Mapping[str, bool] = field(default_factory=dict)
    timeline_flags: frozenset[str] = frozenset()
    days_since_checkin: int | None = None
    phase: str | None = None
    temperature_c: float | None = None
    resting_pulse: int | None = None
    days_free_before_lapse: int | None = None
    settings: ProgramSettings = DEFAULT_SETTINGS

    @cached_property
    def medications(self) -> tuple[MedicationMatch, ...]:
        return match_medications(self.profile.medications)

    @cached_property
    def unrecognised_medicines(self) -> tuple[str, ...]:
        return unrecognised(self.profile.medications)

    def band(self, instrument: str) -> str | None:
        score = self.scores.get(instrument)
        return score.band if score else None

    def total(self, instrument: str) -> int | None:
        score = self.scores.get(instrument)
        return score.total if score else None

    def score_flags(self, instrument: str) -> frozenset[str]:
        score = self.scores.get(instrument)
        return score.flags if score else frozenset()


class Condition:
    """A named predicate over SafetyInput; compose with & and | to write rules as sentences.

    Only & and | exist (no negation), so every rule is monotone: more risk, never fewer flags.
    """

    def __init__(self, name: str, test: Callable[[SafetyInput], bool]) -> None:
        self.name = name
        self.test = test

    def __call__(self, inp: SafetyInput) -> bool:
        return self.test(inp)

    def __and__(self, other: Condition) -> Condition:
        return Condition(f"({self.name} and {other.name})", lambda i: self(i) and other(i))

    def __or__(self, other: Condition) -> Condition:
        return Condition(f"({self.name} or {other.name})", lambda i: self(i) or other(i))

    def __repr__(self) -> str:
        return f"Condition({self.name})"


# --- the predicates ---------------------------------------------------------------------

def band_in(instrument: str, *bands: str) -> Condition:
    return Condition(f"{instrument} band in {'/'.join(bands)}",
                     lambda i: i.band(instrument) in bands)


def total_at_least(instrument: str, setting: str) -> Condition:
    """The instrument's total at or above a program setting (care/program_settings.py)."""
    def test(inp: SafetyInput) -> bool:
        total = inp.total(instrument)
        return total is not None and total >= getattr(inp.settings, setting)
    return Condition(f"{instrument} total >= setting {setting}", test)


def score_flag(instrument: str, flag: str) -> Condition:
    return Condition(f"{instrument} flag {flag}", lambda i: flag in i.score_flags(instrument))


def answered_yes(*questions: str) -> Condition:
    return Condition(f"follow-up yes to {'/'.join(questions)}",
                     lambda i: any(i.suicide_followup.get(q) is True for q in questions))


def reports_symptom(*symptoms: str) -> Condition:
    return Condition(f"reports {'/'.join(sorted(symptoms))}",
                     lambda i: bool(i.danger_symptoms & set(symptoms)))


def uses_product(*products: str) -> Condition:
    return Condition(f"product is {'/'.join(products)}", lambda i: i.profile.product in products)


def uses_substance(*substances: str) -> Condition:
    return Condition(f"also uses {'/'.join(sorted(substances))}",
                     lambda i: bool(i.profile.other_substances & set(substances)))


def takes_medicine(*classes: str) -> Condition:
    return Condition(f"takes a {'/'.join(sorted(classes))} medicine",
                     lambda i: bool(matches_in(i.medications, classes)))


def takes_medicines(klass: str, count: int) -> Condition:
    """At least `count` different medicines of one class."""
    return Condition(f"takes {count}+ {klass} medicines",
                     lambda i: len({m.medicine.name for m in matches_in(i.medications, [klass])})
                     >= count)


def has_condition(*conditions: str) -> Condition:
    return Condition(f"has {'/'.join(sorted(conditions))}",
                     lambda i: bool(i.profile.conditions & set(conditions)))


def dependence_sign(*signs: str) -> Condition:
    return Condition(f"says {'/'.join(signs)}",
                     lambda i: bool(i.profile.dependence & set(signs)))


def younger_than(age: int) -> Condition:
    return Condition(f"younger than {age}",
                     lambda i: i.profile.age is not None and i.profile.age < age)


def timeline_flag(flag: str) -> Condition:
    return Condition(f"timeline {flag}", lambda i: flag in i.timeline_flags)


def no_checkin_for(days: int, during: frozenset[str]) -> Condition:
    return Condition(
        f"no check-in for {days}+ days during {'/'.join(sorted(during))}",
        lambda i: i.phase in during and i.days_since_checkin is not None
        and i.days_since_checkin >= days,
    )


def fever() -> Condition:
    return Condition("temperature >= setting fever_c",
                     lambda i: i.temperature_c is not None
                     and i.temperature_c >= i.settings.fever_c)


def pulse_above(setting: str) -> Condition:
    return Condition(f"resting pulse > setting {setting}",
                     lambda i: i.resting_pulse is not None
                     and i.resting_pulse > getattr(i.settings, setting))


def lapsed() -> Condition:
    return Condition("used again after a break", lambda i: i.days_free_before_lapse is not None)


def lapsed_after_setting() -> Condition:
    return Condition("used again after >= setting lost_tolerance_days without kratom",
                     lambda i: i.days_free_before_lapse is not None
                     and i.days_free_before_lapse >= i.settings.lost_tolerance_days)


def audit_c_positive() -> Condition:
    """AUDIT-C at or above the cut-off for the person's sex (the lower one when not given)."""
    def test(inp: SafetyInput) -> bool:
        total = inp.total("audit-c")
        if total is None:
            return False
        cutoffs = {"male": inp.settings.audit_c_men, "female": inp.settings.audit_c_women}
        limit = cutoffs.get(inp.profile.sex or "", min(cutoffs.values()))
        return total >= limit
    return Condition("AUDIT-C positive for sex", test)


def has_unrecognised_medicines() -> Condition:
    return Condition("lists a medicine we do not recognise",
                     lambda i: bool(i.unrecognised_medicines))


phq9_item9_positive = score_flag("phq9", "suicidal-thoughts")  # item 9 > 0 [ref:kroenke2001]
any_followup_yes = answered_yes(*SUICIDE_FOLLOWUP_IDS)
intent_or_plan = answered_yes(*(q.id for q in SUICIDE_FOLLOWUP if q.emergency))
emergency_symptom = reports_symptom(*EMERGENCY_SYMPTOMS)
sedatives_too = uses_substance(*SEDATIVE_SUBSTANCES) | takes_medicine(*SEDATIVE_CLASSES)
concentrate = uses_product("7-oh", "extract")
opioid_involved = uses_product("7-oh") | uses_substance("opioids")
daily_sedative_use = dependence_sign("daily-drinking", "daily-benzodiazepines")
# Physical dependence: daily use plus a sign the body has adapted (our reading of the
# questions; AUDIT-C does not measure it [ref:bush1998]).
sedative_dependence = daily_sedative_use & dependence_sign(
    "morning-use", "past-withdrawal", "past-withdrawal-seizure")


# --- details shown with a flag (what exactly matched) --------------------------------------

Details = Callable[[SafetyInput], tuple[str, ...]]


def medicines_of(*classes: str) -> Details:
    return lambda i: tuple(m.describe() for m in matches_in(i.medications, classes))


def symptoms_of(symptoms: frozenset[str]) -> Details:
    return lambda i: tuple(d.label for d in DANGER_SYMPTOMS
                           if d.id in symptoms and d.id in i.danger_symptoms)


def sedatives_used(inp: SafetyInput) -> tuple[str, ...]:
    return (*sorted(inp.profile.other_substances & SEDATIVE_SUBSTANCES),
            *medicines_of(*SEDATIVE_CLASSES)(inp))


def unrecognised_listed(inp: SafetyInput) -> tuple[str, ...]:
    return inp.unrecognised_medicines


def temperature_shown(inp: SafetyInput) -> tuple[str, ...]:
    return () if inp.temperature_c is None else (f"temperature {inp.temperature_c:g} °C",)


def pulse_shown(inp: SafetyInput) -> tuple[str, ...]:
    return () if inp.resting_pulse is None else (f"resting pulse {inp.resting_pulse}/min",)


def _none(_: SafetyInput) -> tuple[str, ...]:
    return ()


@dataclass(frozen=True)
class SafetyRule:
    """One row of the table. `notify` overrides the default (urgent and emergency notify a
    person, warnings and info only inform); an override says why in `notify_reason`."""

    id: str
    when: Condition
    severity: Severity
    patient_message: str
    clinician_message: str
    actions: tuple[str, ...]
    source: str
    details: Details = _none
    assumption: str | None = None  # set when the rule rests on our own choice
    family: Family | None = None  # first-actions routing (care/routing.py)
    notify: bool | None = None
    notify_reason: str | None = None

    @property
    def notifies(self) -> bool:
        return self.severity in NOTIFYING if self.notify is None else self.notify


_ASSUMED_LEVEL = "Our own rule [ref:assumption:design-rule]."
_NALOXONE = ("Keep naloxone (Narcan) at hand and tell someone where it is: it reverses an "
             "opioid overdose, including from 7-OH.")

SAFETY_RULES: Final[tuple[SafetyRule, ...]] = (
    # --- emergencies -----------------------------------------------------------------------------
    SafetyRule(
        "suicide-intent-or-plan", intent_or_plan, "emergency",
        "You told us you might act on thoughts of ending your life, have a plan, or have "
        "recently tried to hurt yourself. Please call 988 now, or 911 if you are in danger "
        "right now. You do not have to go through this alone.",
        "Patient endorsed intent, plan or recent self-harm on our suicide follow-up "
        "(own questions, not the C-SSRS). Imminent-risk pattern: same-day crisis assessment.",
        ("call-988", "call-911", "contact-care-team"),
        "[ref:columbia-cssrs] (triage guidance: intent/plan or recent behaviour = imminent "
        "risk); [ref:988-lifeline]. Our questions are broader than Columbia's items (the plan "
        "question also covers thinking about how; the behaviour question also covers "
        "self-harm), so this rule fires more often than the cited guidance: a deliberate, "
        "conservative choice",
        family="suicide-emergency",
    ),
    SafetyRule(
        "emergency-symptoms", emergency_symptom, "emergency",
        "These symptoms can be dangerous. Call 911 now.",
        "Patient reports an emergency symptom during kratom use or withdrawal; direct to 911.",
        ("call-911",),
        "[ref:sharma2025] (7-OH case with psychosis and respiratory compromise); "
        "[ref:fda-kratom-warning] (seizures and death); that these symptoms need 911 is "
        "general emergency advice",
        details=symptoms_of(EMERGENCY_SYMPTOMS),
        assumption="The symptom list is our own choice of general emergency signs "
                   "[ref:assumption:design-rule].",
        family="medical-emergency",
    ),
    SafetyRule(
        "possible-overdose", reports_symptom(*OVERDOSE_SIGNS), "emergency",
        "Someone who cannot be woken, or is breathing slowly or not at all, may have "
        "overdosed. If you are with them: " + " ".join(OVERDOSE_STEPS),
        "Unresponsive or slow breathing reported: possible opioid-type overdose (kratom "
        "alkaloids and 7-OH act on opioid receptors). Bystander naloxone steps shown.",
        ("call-911", "give-naloxone"),
        "[ref:samhsa-overdose-toolkit2023]; [ref:montana-ag-naloxone] (naloxone reverses 7-OH)",
        details=symptoms_of(OVERDOSE_SIGNS),
        family="medical-emergency",
    ),
    SafetyRule(
        "concentrate-toxicity", concentrate & emergency_symptom, "emergency",
        "With a strong product such as 7-OH or an extract, these symptoms can mean too much "
        "was taken. Call 911 now; give naloxone (Narcan) if you have it. Poison Help "
        "(1-800-222-1222) can also advise.",
        "Emergency symptom in a 7-OH/extract user: consider opioid toxicity (naloxone reverses "
        "7-OH toxicity); Poison Help 1-800-222-1222.",
        ("call-911", "give-naloxone", "call-poison-control"),
        "[ref:fda-7oh-2025] (7-OH potency); [ref:sharma2025] (intubation case); "
        "[ref:poison-help]; [ref:montana-ag-naloxone]",
        details=symptoms_of(EMERGENCY_SYMPTOMS),
        family="medical-emergency",
    ),
    # --- urgent: a person today ------------------------------------------------------------------
    SafetyRule(
        "suicidal-thoughts", phq9_item9_positive | any_followup_yes, "urgent",
        "You said you have had thoughts of being better off dead or of hurting yourself. "
        "Please talk to someone today: call or text 988 any time, and let your care team know.",
        "PHQ-9 item 9 > 0 or a yes on the suicide follow-up: same-day clinician assessment, "
        "whatever the PHQ-9 total. Passive thoughts (item 9 with every follow-up answer no) "
        "change no level automatically; the clinician's assessment decides.",
        ("call-988", "contact-care-team"),
        "[ref:kroenke2001] (PHQ-9 item 9 routing, design rule); [ref:988-lifeline]",
        family="suicide",
    ),
    SafetyRule(
        "liver-injury-signs", reports_symptom(*LIVER_SYMPTOMS), "urgent",
        "Yellow skin or eyes, dark urine, pale stools, strong itching or pain under the right "
        "ribs can be signs of liver injury, which kratom has caused. Get a medical check today; "
        "contact your care team, or go to urgent care if you cannot reach them.",
        "Possible kratom liver injury (cholestatic or mixed pattern in LiverTox and case "
        "reports, onset weeks after starting): same-day review and liver tests.",
        ("same-day-medical-review", "contact-care-team", "liver-tests"),
        "[ref:livertox-kratom]; [ref:gandhi2020]; [ref:riverso2018]; [ref:fernandes2019]",
        details=symptoms_of(LIVER_SYMPTOMS),
        family="urgent-medical",
    ),
    SafetyRule(
        "severe-abdominal-pain", reports_symptom("severe-abdominal-pain"), "urgent",
        "Severe belly pain needs a medical check today. Contact your care team, or go to urgent "
        "care or an emergency department if you cannot reach them.",
        "Severe abdominal pain reported: same-day review (liver injury and other causes).",
        ("same-day-medical-review", "contact-care-team", "seek-urgent-care"),
        "[ref:livertox-kratom] (abdominal pain in kratom liver injury)",
        details=symptoms_of(frozenset({"severe-abdominal-pain"})),
        assumption="Same-day review for severe abdominal pain is general medical advice "
                   "[ref:assumption:design-rule].",
        family="urgent-medical",
    ),
    SafetyRule(
        "dehydration", reports_symptom(*DEHYDRATION_SYMPTOMS), "urgent",
        "Vomiting or diarrhea you cannot keep up with, dizziness when you stand, or passing "
        "little urine can mean you are drying out. Contact your care team today, or go to "
        "urgent care if you cannot reach them.",
        "Signs of dehydration during withdrawal: assess hydration today.",
        ("contact-care-team", "seek-urgent-care", "hold-taper"),
        "[ref:galbis-reig2016] (vomiting and diarrhoea on cutting back); [ref:singh2014]",
        details=symptoms_of(DEHYDRATION_SYMPTOMS),
        assumption="Same-day review for these signs is general medical advice, not from a "
                   "kratom study [ref:assumption:design-rule].",
        family="urgent-medical",
    ),
    SafetyRule(
        "fever", fever(), "urgent",
        "Your temperature shows a fever, which withdrawal does not usually cause (hot flushes "
        "and sweating are different). Contact your care team today.",
        "Measured fever: not a typical withdrawal sign; consider infection and liver injury "
        "(fever was present in LiverTox kratom cases).",
        ("contact-care-team", "same-day-medical-review"),
        "[ref:livertox-kratom]; threshold [ref:assumption:fever-38]",
        details=temperature_shown,
        assumption="Fever as a measured 38.0 °C or more is a program setting "
                   "(settings.fever_c) [ref:assumption:fever-38].",
        family="urgent-medical",
    ),
    SafetyRule(
        "severe-withdrawal",
        band_in("sows", "severe") | band_in("cows", "moderately-severe", "severe"), "urgent",
        "Your withdrawal symptoms are severe right now. Contact your care team today; a "
        "clinician may be able to offer medicine to ease them. If you are tapering, do not "
        "take the next step down until you have talked with them.",
        "SOWS in the severe band (>=21, CTN-0051 convention) or COWS moderately severe/severe "
        "(>=25). Consider medically managed withdrawal; hold any taper step.",
        ("contact-care-team", "hold-taper"),
        "[ref:ctn0094-data] (SOWS bands); [ref:wesson-ling2003] (COWS bands); "
        "[ref:cdc-opioids-2022] (pause the taper if withdrawal is significant)",
        family="severe-withdrawal",
    ),
    SafetyRule(
        "naltrexone", takes_medicine("opioid-antagonist"), "urgent",
        "Naltrexone can bring on sudden, strong withdrawal in someone who uses kratom. Talk to "
        "the person who prescribed it before your next dose.",
        "Opioid antagonist listed with kratom use: risk of precipitated withdrawal (case "
        "report). Confirm the prescriber knows about kratom/7-OH use.",
        ("contact-care-team", "tell-prescriber"),
        "[ref:naltrexone-case]",
        details=medicines_of("opioid-antagonist"),
        family="urgent-medical",
    ),
    SafetyRule(
        "pregnancy", has_condition("pregnancy"), "urgent",
        "Because you are pregnant, please don't stop or cut down suddenly on your own. Contact "
        "your prenatal care provider and an addiction clinician this week: babies can be born "
        "with withdrawal after kratom use in pregnancy, and they can plan care for you both.",
        "Pregnancy: newborn withdrawal after kratom use in pregnancy is reported (one newborn "
        "needed oral morphine). No self-started taper: the taper needs clinician sign-off "
        "(signoff.taper_needs_signoff); manage with obstetric input this week.",
        ("contact-prenatal-care", "contact-care-team", "see-clinician-before-taper"),
        "[ref:eldridge2018]; [ref:nas-case2019]",
        family="urgent-medical",
    ),
    # --- warnings --------------------------------------------------------------------------------
    SafetyRule(
        "cows-review", total_at_least("cows", "cows_review_at"), "warning",
        "A clinician rated your withdrawal in the range where medicine may help. Your care team "
        "will review your plan with you.",
        "COWS at or above the program's review line (settings.cows_review_at, default 13 = "
        "start of the moderate band): review for medically managed withdrawal (level 1.7 or "
        "more).",
        ("clinician-review", "contact-care-team"),
        "[ref:wesson-ling2003] (bands); review line [ref:assumption:cows-review]",
        assumption="The review line is a program setting (default 13, allowed 8-25) "
                   "[ref:assumption:cows-review].",
        notify=True, notify_reason="It asks a clinician to review the plan.",
    ),
    SafetyRule(
        "sows-moderate", band_in("sows", "moderate", "severe"), "warning",
        "Your withdrawal symptoms are moderate. Let your care team know how you are; if you are "
        "tapering, stay at your current dose until your symptoms ease.",
        "SOWS in the moderate band or above (>=11, CTN-0051 convention): review the plan.",
        ("contact-care-team", "hold-taper", "clinician-review"),
        "[ref:ctn0094-data] (SOWS bands); [ref:cdc-opioids-2022] (pause if withdrawal is "
        "significant)",
        notify=True, notify_reason="It asks a clinician to review the plan.",
    ),
    SafetyRule(
        "fast-pulse",
        pulse_above("pulse_limit") | (has_condition("heart-disease")
                                      & pulse_above("pulse_limit_heart")),
        "warning",
        "Your resting pulse is fast. Sit quietly and measure it again; if it stays fast, or you "
        "feel chest pain or faint, get help. Let your care team know today.",
        "Resting pulse above the program limit (settings.pulse_limit, default 120; "
        "settings.pulse_limit_heart, default 100, with heart disease).",
        ("contact-care-team",),
        "[ref:wesson-ling2003] (COWS scores a pulse above 120 highest); "
        "[ref:qt-users2020] (more sinus tachycardia in regular users); "
        "[ref:assumption:heart-pulse]",
        details=pulse_shown,
        assumption="Both pulse limits are program settings [ref:assumption:pulse-limit] "
                   "[ref:assumption:heart-pulse].",
        family="urgent-medical",
    ),
    SafetyRule(
        "sedative-combination", sedatives_too, "warning",
        "You also use alcohol, opioids or a sedating medicine. Mixed with kratom these slow "
        "breathing and raise the risk of overdose. Try not to take them together, talk with a "
        "clinician before changing your taper, and keep naloxone (Narcan) at hand.",
        "Kratom with opioids or another CNS depressant (benzodiazepines, Z-drugs, barbiturates, "
        "gabapentinoids, muscle relaxants, sedating antihistamines/antidepressants/"
        "antipsychotics, alcohol): additive CNS and respiratory depression; most kratom-"
        "involved deaths were polysubstance. Consider withdrawal from the co-used substance.",
        ("do-not-mix", "keep-naloxone", "see-clinician-before-taper", "tell-prescriber"),
        "[ref:fda-kratom-warning] (mixing); [ref:olsen2019]",
        details=sedatives_used,
    ),
    SafetyRule(
        "sedative-withdrawal-risk", daily_sedative_use, "warning",
        "You drink or take a benzodiazepine every day. Don't stop either suddenly on your own: "
        "withdrawal from them can cause seizures. Plan any change with a clinician.",
        "Daily alcohol or benzodiazepine use: unsupervised stopping risks withdrawal seizures. "
        "Assess dependence (morning use, past withdrawal or seizures) before any plan.",
        ("do-not-stop-suddenly", "see-clinician-before-taper"),
        "[ref:sullivan1989] (alcohol withdrawal severity and seizure risk); "
        "[ref:fda-kratom-warning]",
        assumption="Asking 'daily use' stands in for 'heavy daily use'; the question wording is "
                   "ours [ref:assumption:design-rule].",
    ),
    SafetyRule(
        "kratom-with-moud", takes_medicine("moud"), "warning",
        "You take buprenorphine or methadone. Tell your prescriber that you use kratom: it acts "
        "on the same receptors, and they need to know to keep you safe.",
        "Kratom use while on MOUD: review with the prescriber (interactions, withdrawal "
        "assessment, dose).",
        ("tell-prescriber", "clinician-review"),
        "[ref:weiss-douglas2021]; [ref:smith-epstein-weiss2024]",
        details=medicines_of("moud"),
        notify=True, notify_reason="It asks the prescriber and a clinician to review.",
    ),
    SafetyRule(
        "buprenorphine-with-7oh", uses_product("7-oh") & takes_medicine("buprenorphine"),
        "warning",
        "In a reported case, starting buprenorphine while using 7-OH products brought on "
        "sudden withdrawal. Plan the timing of your first dose with your clinician.",
        "Buprenorphine with 7-OH: precipitated withdrawal at induction reported (Sharma 2025). "
        "No established induction timing for kratom/7-OH (8-24 h figures are weak).",
        ("contact-care-team", "see-clinician-before-taper"),
        "[ref:sharma2025]; [ref:droracle-summary] (induction timing, weak)",
        details=medicines_of("buprenorphine"),
    ),
    SafetyRule(
        "seven-oh-product", uses_product("7-oh"), "warning",
        "7-OH products are much stronger than kratom leaf, and stopping them can bring severe "
        "withdrawal. Please plan your taper with a clinician. " + _NALOXONE + " If someone "
        "took too much, call 911 or Poison Help (1-800-222-1222).",
        "7-OH concentrate: severe withdrawal and ICU-level complications reported; FDA "
        "describes up to ~13x morphine potency. Treat as high risk; naloxone at hand.",
        ("see-clinician-before-taper", "keep-naloxone", "call-poison-control"),
        "[ref:sharma2025]; [ref:fda-7oh-2025]; [ref:montana-ag-naloxone]",
    ),
    SafetyRule(
        "lost-tolerance", lapsed() & (opioid_involved | lapsed_after_setting()), "warning",
        "After a break, your body no longer handles the amount you used to take. Start with a "
        "much smaller amount, don't use alone, and keep naloxone (Narcan) at hand.",
        "Return to use after a break: lost tolerance raises overdose risk (always flagged with "
        "7-OH or opioids; with other products after settings.lost_tolerance_days days).",
        ("keep-naloxone", "contact-care-team"),
        "[ref:cdc-opioids-2022] (lost tolerance after a break); [ref:montana-ag-naloxone]",
        assumption="The 7-day break for other products is a program setting "
                   "[ref:assumption:lost-tolerance-days].",
    ),
    SafetyRule(
        "liver-disease", has_condition("liver-disease"), "warning",
        "You have a liver condition, and kratom has caused liver injury. Plan your taper with a "
        "clinician, and get checked the same day if your skin or eyes turn yellow, your urine "
        "turns dark or your stools turn pale.",
        "Liver disease: kratom-associated cholestatic injury is reported; consider baseline "
        "liver tests and medically supervised withdrawal.",
        ("see-clinician-before-taper", "liver-tests"),
        "[ref:livertox-kratom]; [ref:gandhi2020]",
    ),
    SafetyRule(
        "adolescent", younger_than(18), "warning",
        "Because you are under 18, a parent or guardian and a clinician should be part of your "
        "plan. Services for young people can help; please don't start a taper on your own.",
        "Age 12-17: involve a guardian and adolescent services; no self-directed taper "
        "(signoff.taper_needs_signoff).",
        ("involve-guardian", "see-clinician-before-taper"),
        "[ref:assumption:design-rule]",
        assumption=_ASSUMED_LEVEL,
        notify=True, notify_reason="A minor's plan needs a clinician and a guardian.",
    ),
    SafetyRule(
        "qt-medicine", takes_medicine("qt-prolonging"), "warning",
        "One of your medicines can affect your heart rhythm, and kratom may too. Tell your "
        "prescriber that you use kratom.",
        "QT-prolonging medicine with kratom: mitragynine prolongs QTc in vitro; borderline "
        "QTc more common in regular users; prolonged QTc with high mitragynine levels. "
        "Consider an ECG. Loperamide matters at high doses. List membership UNVERIFIED.",
        ("tell-prescriber", "consider-ecg", "check-interactions"),
        "[ref:qt-users2020]; [ref:qt-cases2021]",
        details=medicines_of("qt-prolonging"),
        assumption="Which medicines prolong the QT interval is not in our sources: check a QT "
                   "drug list.",
    ),
    SafetyRule(
        "seizure-threshold-medicine", takes_medicine("seizure-threshold"), "warning",
        "One of your medicines can make seizures more likely, and kratom has been linked with "
        "seizures. Tell your prescriber that you use kratom, and call 911 if you have a "
        "seizure.",
        "Seizure-threshold-lowering medicine (e.g. bupropion, tramadol) with kratom: FDA links "
        "kratom with seizures; seizure after kratom + modafinil. List membership UNVERIFIED.",
        ("tell-prescriber", "check-interactions"),
        "[ref:fda-kratom-warning]; [ref:boyer2008]",
        details=medicines_of("seizure-threshold"),
        assumption="Which medicines lower the seizure threshold is not in our sources.",
    ),
    SafetyRule(
        "cyp3a-medicine", takes_medicine("cyp3a-substrate"), "warning",
        "Kratom can raise the level of some medicines in your blood, including one you listed. "
        "Tell whoever prescribes it that you use kratom, and before you change how much you "
        "use.",
        "Kratom raised midazolam AUC 1.39x in humans (intestinal CYP3A). Our CYP3A list is "
        "illustrative and adjustable (substrate list UNVERIFIED): check an interaction "
        "database. Levels may fall again as kratom is tapered (our inference, not measured).",
        ("tell-prescriber", "check-interactions"),
        "[ref:tanna-ddi] (midazolam in people); [ref:jpet2021-ddi] (in-vitro CYP3A inhibition)",
        details=medicines_of("cyp3a-substrate"),
        assumption="Which medicines are CYP3A substrates is illustrative here ([ref:tanna-ddi] "
                   "measured only midazolam).",
    ),
    SafetyRule(
        "stimulant-combination", uses_substance("stimulants") | takes_medicine("stimulant"),
        "warning",
        "You also use a stimulant. A seizure has been reported with kratom and a "
        "wake-promoting medicine. Talk with a clinician about taking them together.",
        "Kratom plus stimulant: seizure after kratom + modafinil (Boyer case).",
        ("tell-prescriber", "see-clinician-before-taper"),
        "[ref:boyer2008] (seizure with modafinil, via a secondary source)",
        details=medicines_of("stimulant"),
    ),
    SafetyRule(
        "risky-drinking", audit_c_positive(), "warning",
        "Your answers suggest your drinking carries risks, and alcohol with kratom slows "
        "breathing. Talk with a clinician about cutting down safely.",
        "AUDIT-C positive (>= settings.audit_c_men for men, >= settings.audit_c_women for "
        "women or sex not given): risky drinking; AUDIT-C does not measure dependence, so "
        "check the dependence answers.",
        ("do-not-mix", "see-clinician-before-taper"),
        "[ref:bush1998]; [ref:bradley2003]; [ref:fda-kratom-warning]",
        assumption="When sex is not given the lower cut-off applies "
                   "[ref:assumption:audit-c-sex].",
    ),
    SafetyRule(
        "seizure-history", has_condition("seizures"), "warning",
        "You have had seizures before. Plan your taper with a clinician, and call 911 if you "
        "have a seizure.",
        "History of seizures: FDA warns kratom is linked with seizures; a seizure followed "
        "kratom + modafinil (Boyer). Medically supervised withdrawal advised.",
        ("see-clinician-before-taper",),
        "[ref:fda-kratom-warning]; [ref:boyer2008]",
        assumption="Advising supervision for a seizure history is our own rule "
                   "[ref:assumption:design-rule].",
    ),
    SafetyRule(
        "heart-disease", has_condition("heart-disease"), "warning",
        "You have a heart condition. Withdrawal can raise your heart rate, so plan your taper "
        "with a clinician.",
        "Heart disease: withdrawal raises pulse (COWS item 1); borderline QTc and sinus "
        "tachycardia are more common in regular kratom users. Medically supervised withdrawal "
        "advised.",
        ("see-clinician-before-taper",),
        "[ref:wesson-ling2003] (pulse is a withdrawal sign); [ref:qt-users2020]",
        assumption="Advising supervision for heart disease is our own rule "
                   "[ref:assumption:design-rule].",
    ),
    SafetyRule(
        "worse-than-expected", timeline_flag("worse-than-expected"), "warning",
        "Your symptoms are stronger than our estimate for this point (a rough guide: kratom "
        "withdrawal timing has not been measured in studies). Let your care team know, and if "
        "you are tapering, hold your current dose for now.",
        "Symptom scores above the expected band for this phase of the timeline model (whose "
        "phase timings are labelled assumptions).",
        ("contact-care-team", "hold-taper"),
        "[ref:timeline-blogs] (timeline defaults not evidence-based); [ref:cdc-opioids-2022] "
        "(pause if withdrawal is significant)",
        assumption="The expected band comes from the timeline model, calibrated to "
                   "non-evidence-based figures [ref:timeline-blogs]; its parameters are "
                   "adjustable [ref:assumption:timeline-model].",
    ),
    SafetyRule(
        "prolonged-acute", timeline_flag("prolonged-acute"), "warning",
        "Your withdrawal is lasting longer than our estimate (a rough guide: kratom withdrawal "
        "timing has not been measured in studies). Please let your care team know so they can "
        "check on you.",
        "Acute symptoms persist past the expected acute window (one physician-observed case "
        "lasted ~10 days, Boyer 2008).",
        ("contact-care-team",),
        "[ref:boyer2008] (~10 days); [ref:timeline-blogs] (timeline defaults not "
        "evidence-based)",
        assumption="The expected end of the acute phase and the SOWS level of 11 that counts "
                   "as still acute are timeline-model defaults [ref:assumption:timeline-model] "
                   "[ref:ctn0094-data]; adjustable.",
    ),
    SafetyRule(
        "missed-checkins",
        no_checkin_for(MISSED_CHECKIN_DAYS, ACUTE_PHASES), "warning",
        "We have not heard from you for a few days while withdrawal is at its strongest. "
        "A quick check-in helps your care team know you are OK.",
        f"No check-in for >= {MISSED_CHECKIN_DAYS} days during onset/peak/subsiding. Consider "
        "reaching out.",
        ("check-in", "contact-care-team"),
        "[ref:assumption:missed-checkin-days]",
        assumption=f"The {MISSED_CHECKIN_DAYS}-day threshold is our assumption (adjustable) "
                   "[ref:assumption:missed-checkin-days].",
    ),
    # --- information -----------------------------------------------------------------------------
    SafetyRule(
        "cyp2d6-medicine", takes_medicine("cyp2d6-substrate"), "info",
        "Kratom may change how your body handles one of your medicines. Mention your kratom use "
        "to whoever prescribes it.",
        "Mitragynine is a strong CYP2D6 inhibitor in vitro (Ki 1.17 uM) but 2 g kratom tea did "
        "not change dextromethorphan exposure in humans. In-vitro signal only; check an "
        "interaction database.",
        ("tell-prescriber", "check-interactions"),
        "[ref:jpet2021-ddi] (in vitro); [ref:tanna-ddi] (dextromethorphan AUC 0.99 in people)",
        details=medicines_of("cyp2d6-substrate"),
        assumption="Which medicines are CYP2D6 substrates is illustrative here.",
    ),
    SafetyRule(
        "serotonergic-combination", takes_medicines("serotonergic", 2), "info",
        "Two or more of your medicines act on serotonin. Ask your prescriber to check them "
        "together, especially before adding a medicine for withdrawal.",
        "Two or more serotonergic medicines: review serotonin load before adding withdrawal "
        "medicines (trazodone, mirtazapine, ondansetron, tramadol). Kratom's own serotonergic "
        "effect is not in our sources. List membership UNVERIFIED.",
        ("tell-prescriber", "check-interactions"),
        "[ref:assumption:serotonergic-pairs]",
        details=medicines_of("serotonergic"),
        assumption="General drug-interaction knowledge, not from our kratom sources "
                   "[ref:assumption:serotonergic-pairs].",
    ),
    SafetyRule(
        "alpha2-agonist", takes_medicine("alpha2-agonist"), "info",
        "You take a medicine like clonidine. It can ease withdrawal, but it lowers your pulse "
        "and blood pressure; stand up slowly, and don't stop it suddenly without asking your "
        "prescriber.",
        "Alpha-2 agonist: symptom-triggered clonidine helped in a kratom case; it lowers pulse "
        "and blood pressure and so hides the pulse signs of withdrawal (COWS item 1, "
        "fast-pulse).",
        ("tell-prescriber",),
        "[ref:galbis-reig2016]; [ref:wesson-ling2003]",
        details=medicines_of("alpha2-agonist"),
        assumption="The rebound and masking advice is general pharmacology "
                   "[ref:assumption:design-rule].",
    ),
    SafetyRule(
        "pulse-masked", takes_medicine("beta-blocker"), "info",
        "One of your medicines slows your pulse, so a normal pulse does not mean withdrawal is "
        "mild. Go by how you feel, too.",
        "Beta-blocker: masks the COWS pulse item and the fast-pulse rule.",
        ("check-interactions",),
        "[ref:wesson-ling2003] (beta-blockers mask the pulse item)",
        details=medicines_of("beta-blocker"),
    ),
    SafetyRule(
        "naloxone-on-hand", takes_medicine("naloxone"), "info",
        "Good: you have naloxone. Keep it where others can find it and show them how to use "
        "it. After giving it, always call 911; it can bring on withdrawal, which is expected "
        "and passes.",
        "Naloxone/nalmefene listed: a rescue medicine, not a maintenance antagonist; no "
        "precipitated-withdrawal warning (that is the naltrexone rule).",
        ("keep-naloxone",),
        "[ref:samhsa-overdose-toolkit2023]; [ref:montana-ag-naloxone]",
        details=medicines_of("naloxone"),
    ),
    SafetyRule(
        "extract-product", uses_product("extract"), "info",
        "Extracts are more concentrated than leaf. We suggest planning a slower taper with a "
        "clinician. If someone took too much, call 911 or Poison Help (1-800-222-1222).",
        "Concentrated extract: a published extract case needed inpatient management after two "
        "failed outpatient detoxes (Galbis-Reig 2016).",
        ("see-clinician-before-taper", "call-poison-control"),
        "[ref:galbis-reig2016]; [ref:smith-7oh-commentary]",
    ),
    SafetyRule(
        "unrecognised-medicines", has_unrecognised_medicines(), "info",
        "We did not recognise some of the medicines you listed. Your clinician will check them "
        "with you.",
        "Medicine names not in our table: not recognised, review them for interactions with "
        "kratom.",
        ("check-interactions",),
        "care/medicines.py table; [ref:drug-ner] (why our own table)",
        details=unrecognised_listed,
    ),
)

RULE_IDS: Final = tuple(rule.id for rule in SAFETY_RULES)
RULE_BY_ID: Final[Mapping[str, SafetyRule]] = {rule.id: rule for rule in SAFETY_RULES}


@dataclass(frozen=True)
class SafetyFlag:
    """A rule that fired for this person, ready to show."""

    id: str
    severity: Severity
    patient_message: str
    clinician_message: str
    actions: tuple[str, ...]
    source: str
    details: tuple[str, ...] = ()
    assumption: str | None = None
    family: Family | None = None
    notifies: bool = False

    @property
    def rank(self) -> int:
        return SEVERITIES.index(self.severity)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "severity": self.severity,
            "message": self.patient_message,
            "clinician_message": self.clinician_message,
            "actions": [{"id": a, "label": ACTION_LABELS[a]} for a in self.actions],
            "details": list(self.details),
            "source": self.source,
            "assumption": self.assumption,
            "family": self.family,
            "notifies": self.notifies,
        }


def evaluate(inp: SafetyInput) -> tuple[SafetyFlag, ...]:
    """Every rule that fires, most severe first (table order within a severity)."""
    fired = [
        SafetyFlag(rule.id, rule.severity, rule.patient_message, rule.clinician_message,
                   rule.actions, rule.source, rule.details(inp), rule.assumption, rule.family,
                   rule.notifies)
        for rule in SAFETY_RULES
        if rule.when(inp)
    ]
    return tuple(sorted(fired, key=lambda flag: -flag.rank))


def highest_severity(flags: Iterable[SafetyFlag]) -> Severity | None:
    ranks = [flag.rank for flag in flags]
    return SEVERITIES[max(ranks)] if ranks else None


# --- validation of the check-in parts (form, API and CLI share these) ------------------------

def check_danger_symptoms(value: object) -> frozenset[str]:
    return _check_list("danger_symptoms", value, DANGER_SYMPTOM_IDS)


def check_timeline_flags(value: object) -> frozenset[str]:
    return _check_list("timeline_flags", value, TIMELINE_FLAGS)


def check_suicide_followup(value: object) -> dict[str, bool]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidInput("suicide_followup", "must be an object of question id -> true/false")
    answers: dict[str, bool] = {}
    for key, answer in value.items():
        if key not in SUICIDE_FOLLOWUP_IDS:
            raise InvalidInput("suicide_followup", f"unknown question {key!r}; allowed: "
                               f"{', '.join(SUICIDE_FOLLOWUP_IDS)}")
        if not isinstance(answer, bool):
            raise InvalidInput(f"suicide_followup.{key}", f"must be true or false "
                               f"(got {answer!r})")
        answers[str(key)] = answer
    return answers


def check_phase(value: object) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or value not in PHASES:
        raise InvalidInput("phase", f"must be one of {', '.join(PHASES)} (got {value!r})")
    return value


def check_days_since_checkin(value: object) -> int | None:
    return _check_whole("days_since_checkin", value, 0, 3650)


def check_days_free_before_lapse(value: object) -> int | None:
    return _check_whole("days_free_before_lapse", value, 0, 3650)


def check_resting_pulse(value: object) -> int | None:
    """A measured resting pulse in beats per minute (input-sanity range, not a threshold)."""
    return _check_whole("resting_pulse", value, PULSE_MIN, PULSE_MAX)


def check_temperature(value: object) -> float | None:
    """A measured body temperature in °C, to one decimal (input-sanity range)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise InvalidInput("temperature_c", f"must be a number in °C from "
                           f"{TEMPERATURE_MIN_C:g} to {TEMPERATURE_MAX_C:g} (got {value!r})")
    if not TEMPERATURE_MIN_C <= value <= TEMPERATURE_MAX_C:
        raise InvalidInput("temperature_c", f"must be from {TEMPERATURE_MIN_C:g} to "
                           f"{TEMPERATURE_MAX_C:g} °C (got {value!r}); in °F? convert first")
    return float(value)


def check_instrument(value: object) -> str:
    if not isinstance(value, str) or value not in INSTRUMENT_IDS:
        raise InvalidInput("scores", f"unknown instrument {value!r}; allowed: "
                           f"{', '.join(INSTRUMENT_IDS)}")
    return value


def _check_whole(name: str, value: object, low: int, high: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(name, f"must be a whole number from {low} to {high} "
                           f"(got {value!r})")
    return value


def _check_list(name: str, value: object, allowed: tuple[str, ...]) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        raise InvalidInput(name, "must be a list")
    for item in value:
        if item not in allowed:
            raise InvalidInput(name, f"unknown value {item!r}; allowed: {', '.join(allowed)}")
    return frozenset(str(item) for item in value)
