"""Safety rules as data: who needs which warning, how urgently, and what to do about it.

Each rule in SAFETY_RULES pairs a condition (small named predicates composed with & and |, so
the table reads like the clinical sentence it encodes) with a severity, a message for the
person, a message for the clinician, action ids from ACTIONS and its source as
`[ref:KEY]` citations (docs/references.md). `evaluate()` returns every flag that fires, most
severe first.
Rules only ever add flags: adding a risk to the input never removes one (tested).

The vocabularies the check-in form shows (DANGER_SYMPTOMS, SUICIDE_FOLLOWUP) live here too.
The suicide follow-up is our own wording, not the C-SSRS (electronic use needs a licence,
[ref:columbia-cssrs]).
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
)
from kratom_recovery.care.profile import UseProfile

Severity = Literal["info", "warning", "urgent", "emergency"]
SEVERITIES: Final[tuple[Severity, ...]] = ("info", "warning", "urgent", "emergency")

# Timeline vocabulary shared with care/timeline.py (PREAMBLE fixed ids).
PHASES: Final = ("pre-onset", "onset", "peak", "subsiding", "post-acute")
TIMELINE_FLAGS: Final = ("worse-than-expected", "prolonged-acute")
ACUTE_PHASES: Final = frozenset({"onset", "peak", "subsiding"})

# ASSUMPTION [ref:assumption:missed-checkin-days]: two or more days without a check-in while
# withdrawal is acute is worth a nudge and a note to the care team. Adjustable.
MISSED_CHECKIN_DAYS: Final = 2

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
    Action("call-poison-control", "Call Poison Help at 1-800-222-1222 if too much was taken."),
    Action("seek-urgent-care", "Go to urgent care or an emergency department today."),
    Action("contact-care-team", "Contact your care team today."),
    Action("see-clinician-before-taper",
           "Talk with a clinician before you start or change your taper."),
    Action("tell-prescriber", "Tell whoever prescribes your medicines that you use kratom."),
    Action("hold-taper", "If you are tapering, hold your current dose until you have talked "
           "with your care team."),
    Action("do-not-mix", "Avoid using kratom together with alcohol or sedating drugs."),
    Action("check-in", "Do a check-in today so your care team can see how you are."),
    Action("check-interactions", "Clinician: check an interaction database for these medicines."),
)
ACTION_LABELS: Final[Mapping[str, str]] = {a.id: a.label for a in ACTIONS}


@dataclass(frozen=True)
class DangerSymptom:
    id: str
    label: str  # what the check-in form shows
    emergency: bool


DANGER_SYMPTOMS: Final[tuple[DangerSymptom, ...]] = (
    DangerSymptom("chest-pain", "Chest pain or pressure", emergency=True),
    DangerSymptom("fainting", "Fainting or nearly fainting", emergency=True),
    DangerSymptom("seizure", "A seizure (fit)", emergency=True),
    DangerSymptom("confusion", "Confusion, or seeing or hearing things that are not there",
                  emergency=True),
    DangerSymptom("trouble-breathing", "Slow, shallow or difficult breathing", emergency=True),
    DangerSymptom("vomiting-no-fluids",
                  "Vomiting or diarrhea, and you cannot keep fluids down", emergency=False),
)
DANGER_SYMPTOM_IDS: Final = tuple(d.id for d in DANGER_SYMPTOMS)
EMERGENCY_SYMPTOMS: Final = frozenset(d.id for d in DANGER_SYMPTOMS if d.emergency)


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
    """Everything the rules look at: the profile, the latest scores and today's check-in."""

    profile: UseProfile
    scores: Mapping[str, ScoreSummary] = field(default_factory=dict)  # by instrument id
    danger_symptoms: frozenset[str] = frozenset()
    suicide_followup: Mapping[str, bool] = field(default_factory=dict)
    timeline_flags: frozenset[str] = frozenset()
    days_since_checkin: int | None = None
    phase: str | None = None

    @cached_property
    def medications(self) -> tuple[MedicationMatch, ...]:
        return match_medications(self.profile.medications)

    def band(self, instrument: str) -> str | None:
        score = self.scores.get(instrument)
        return score.band if score else None

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


def has_condition(*conditions: str) -> Condition:
    return Condition(f"has {'/'.join(sorted(conditions))}",
                     lambda i: bool(i.profile.conditions & set(conditions)))


def timeline_flag(flag: str) -> Condition:
    return Condition(f"timeline {flag}", lambda i: flag in i.timeline_flags)


def no_checkin_for(days: int, during: frozenset[str]) -> Condition:
    return Condition(
        f"no check-in for {days}+ days during {'/'.join(sorted(during))}",
        lambda i: i.phase in during and i.days_since_checkin is not None
        and i.days_since_checkin >= days,
    )


phq9_item9_positive = score_flag("phq9", "suicidal-thoughts")  # item 9 > 0 [ref:kroenke2001]
any_followup_yes = answered_yes(*SUICIDE_FOLLOWUP_IDS)
intent_or_plan = answered_yes(*(q.id for q in SUICIDE_FOLLOWUP if q.emergency))
emergency_symptom = reports_symptom(*EMERGENCY_SYMPTOMS)
sedatives_too = uses_substance(*SEDATIVE_SUBSTANCES) | takes_medicine(*SEDATIVE_CLASSES)
concentrate = uses_product("7-oh", "extract")


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


def _none(_: SafetyInput) -> tuple[str, ...]:
    return ()


@dataclass(frozen=True)
class SafetyRule:
    id: str
    when: Condition
    severity: Severity
    patient_message: str
    clinician_message: str
    actions: tuple[str, ...]
    source: str
    details: Details = _none
    assumption: str | None = None  # set when the rule rests on our own choice


SAFETY_RULES: Final[tuple[SafetyRule, ...]] = (
    SafetyRule(
        "suicide-intent-or-plan", intent_or_plan, "emergency",
        "You told us you might act on thoughts of ending your life, have a plan, or have "
        "recently tried to hurt yourself. Please call 988 now, or 911 if you are in danger "
        "right now. You do not have to go through this alone.",
        "Patient endorsed intent, plan or recent self-harm on our suicide follow-up "
        "(own questions, not the C-SSRS). Imminent-risk pattern: same-day crisis assessment.",
        ("call-911", "call-988", "contact-care-team"),
        "[ref:columbia-cssrs] (triage guidance: intent/plan or recent behaviour = imminent "
        "risk [V]); [ref:988-lifeline]. Our questions are broader than Columbia's items (the plan "
        "question also covers thinking about how; the behaviour question also covers "
        "self-harm), so this rule fires more often than the cited guidance: a deliberate, "
        "conservative choice",
    ),
    SafetyRule(
        "suicidal-thoughts", phq9_item9_positive | any_followup_yes, "urgent",
        "You said you have had thoughts of being better off dead or of hurting yourself. "
        "Please talk to someone today: call or text 988 any time, and let your care team know.",
        "PHQ-9 item 9 > 0 or a yes on the suicide follow-up. Route to the suicide-safety flow "
        "and review today regardless of the PHQ-9 total.",
        ("call-988", "contact-care-team"),
        "[ref:kroenke2001] (PHQ-9 item 9 routing, design rule); [ref:988-lifeline]",
    ),
    SafetyRule(
        "emergency-symptoms", emergency_symptom, "emergency",
        "Chest pain, fainting, a seizure, confusion or trouble breathing can be dangerous. "
        "Call 911 now.",
        "Patient reports an emergency symptom during kratom use or withdrawal; direct to 911.",
        ("call-911",),
        "[ref:sharma2025] (7-OH case with psychosis and respiratory compromise), "
        "[ref:fda-kratom-warning] (seizures and death); that these symptoms need 911 is general "
        "emergency advice",
        details=symptoms_of(EMERGENCY_SYMPTOMS),
        assumption="The symptom list is our own choice of general emergency signs.",
    ),
    SafetyRule(
        "concentrate-toxicity", concentrate & emergency_symptom, "emergency",
        "With a strong product such as 7-OH or an extract, these symptoms can mean too much "
        "was taken. Call 911 now; Poison Help (1-800-222-1222) can also advise.",
        "Emergency symptom in a 7-OH/extract user: consider opioid toxicity (naloxone reverses "
        "7-OH toxicity [V-2nd]); Poison Control 1-800-222-1222.",
        ("call-911", "call-poison-control"),
        "[ref:fda-7oh-2025] (7-OH potency), [ref:sharma2025] (intubation case), [ref:poison-help], "
        "[ref:montana-ag-naloxone] (naloxone [V-2nd])",
        details=symptoms_of(EMERGENCY_SYMPTOMS),
    ),
    SafetyRule(
        "dehydration", reports_symptom("vomiting-no-fluids"), "urgent",
        "Vomiting or diarrhea when you cannot keep fluids down can dry you out quickly. "
        "Contact your care team today, or go to urgent care if you cannot reach them.",
        "Vomiting/diarrhoea with no fluids kept down during withdrawal: assess hydration today.",
        ("contact-care-team", "seek-urgent-care", "hold-taper"),
        "[ref:galbis-reig2016] (vomiting and diarrhoea on cutting back), [ref:singh2014]",
        assumption="Same-day review for no fluids kept down is general medical advice, not "
                   "from a kratom study.",
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
        "[ref:ctn0094-data] (SOWS bands, CTN-0051 convention [V]), [ref:wesson-ling2003] (COWS "
        "bands [V]), [ref:cdc-opioids-2022] (pause the taper if withdrawal is significant [V-2nd])",
    ),
    SafetyRule(
        "sedative-combination", sedatives_too, "warning",
        "You also use alcohol, opioids or a sedating medicine. Mixed with kratom these slow "
        "breathing and raise the risk of overdose. Try not to take them together, and talk "
        "with a clinician before changing your taper.",
        "Kratom with opioids/benzodiazepines/Z-drugs/gabapentinoids/alcohol/other sedatives: "
        "additive CNS and respiratory depression; most kratom-involved deaths were "
        "polysubstance (MMWR 2019). Consider withdrawal from the co-used substance too.",
        ("do-not-mix", "see-clinician-before-taper", "tell-prescriber"),
        "[ref:fda-kratom-warning] (mixing [V-2nd]); [ref:olsen2019] [V]; the class list "
        "is our design note)",
        details=sedatives_used,
    ),
    SafetyRule(
        "cyp3a-medicine", takes_medicine("cyp3a-substrate"), "warning",
        "Kratom can raise the level of some medicines in your blood, including one you listed. "
        "Tell whoever prescribes it that you use kratom, and before you change how much you "
        "use.",
        "Kratom raised midazolam AUC 1.39x in humans (intestinal CYP3A) [V]. Our CYP3A list is "
        "illustrative and adjustable (substrate list UNVERIFIED): check an interaction "
        "database. Levels may fall again as kratom is tapered (our inference, not measured).",
        ("tell-prescriber", "check-interactions"),
        "[ref:tanna-ddi] (midazolam in people [V]); [ref:jpet2021-ddi] (in-vitro CYP3A "
        "inhibition [V])",
        details=medicines_of("cyp3a-substrate"),
        assumption="Which medicines are CYP3A substrates is illustrative here "
                   "([ref:tanna-ddi] measured only midazolam).",
    ),
    SafetyRule(
        "cyp2d6-medicine", takes_medicine("cyp2d6-substrate"), "info",
        "Kratom may change how your body handles one of your medicines. Mention your kratom use "
        "to whoever prescribes it.",
        "Mitragynine is a strong CYP2D6 inhibitor in vitro (Ki 1.17 uM) but 2 g kratom tea did "
        "not change dextromethorphan exposure in humans. In-vitro signal only; check an "
        "interaction database.",
        ("tell-prescriber", "check-interactions"),
        "[ref:jpet2021-ddi] (in vitro [V]); [ref:tanna-ddi] (dextromethorphan AUC 0.99 in "
        "people [V])",
        details=medicines_of("cyp2d6-substrate"),
        assumption="Which medicines are CYP2D6 substrates is illustrative here.",
    ),
    SafetyRule(
        "stimulant-combination", uses_substance("stimulants") | takes_medicine("stimulant"),
        "warning",
        "You also use a stimulant. A seizure has been reported with kratom and a "
        "wake-promoting medicine. Talk with a clinician about taking them together.",
        "Kratom plus stimulant: seizure after kratom + modafinil (Boyer case) [V-2nd].",
        ("tell-prescriber", "see-clinician-before-taper"),
        "[ref:boyer2008] (seizure with modafinil, via a secondary source [V-2nd])",
        details=medicines_of("stimulant"),
    ),
    SafetyRule(
        "naltrexone", takes_medicine("naltrexone"), "urgent",
        "Naltrexone can bring on sudden, strong withdrawal in someone who uses kratom. Talk to "
        "the person who prescribed it before your next dose.",
        "Naltrexone listed with kratom use: risk of precipitated withdrawal (case report "
        "PMC10337879). Confirm the prescriber knows about kratom/7-OH use.",
        ("contact-care-team", "tell-prescriber"),
        "[ref:naltrexone-case] (naltrexone precipitated withdrawal [V])",
        details=medicines_of("naltrexone"),
    ),
    SafetyRule(
        "buprenorphine-with-7oh", uses_product("7-oh") & takes_medicine("buprenorphine"),
        "warning",
        "In a reported case, starting buprenorphine while using 7-OH products brought on "
        "sudden withdrawal. Plan the timing of your first dose with your clinician.",
        "Buprenorphine with 7-OH: precipitated withdrawal at induction reported (Sharma 2025). "
        "No established induction timing for kratom/7-OH (8-24 h figures are weak [V-2nd]).",
        ("contact-care-team", "see-clinician-before-taper"),
        "[ref:sharma2025] [V]; [ref:droracle-summary] (induction timing, weak)",
        details=medicines_of("buprenorphine"),
    ),
    SafetyRule(
        "seven-oh-product", uses_product("7-oh"), "warning",
        "7-OH products are much stronger than kratom leaf, and stopping them can bring severe "
        "withdrawal. Please plan your taper with a clinician. If someone took too much, call "
        "911 or Poison Help (1-800-222-1222).",
        "7-OH concentrate: severe withdrawal and ICU-level complications reported; FDA "
        "describes up to ~13x morphine potency [V-2nd]. Treat as high risk.",
        ("see-clinician-before-taper", "call-poison-control"),
        "[ref:sharma2025] [V]; [ref:fda-7oh-2025] [V-2nd]",
    ),
    SafetyRule(
        "extract-product", uses_product("extract"), "info",
        "Extracts are more concentrated than leaf. We suggest planning a slower taper with a "
        "clinician. If someone took too much, call 911 or Poison Help (1-800-222-1222).",
        "Concentrated extract: a published extract case needed inpatient management after two "
        "failed outpatient detoxes (Galbis-Reig 2016).",
        ("see-clinician-before-taper", "call-poison-control"),
        "[ref:galbis-reig2016] [V]; [ref:smith-7oh-commentary]",
    ),
    SafetyRule(
        "pregnancy", has_condition("pregnancy"), "warning",
        "Because you are pregnant, please plan any change in your kratom use with a clinician "
        "before you start.",
        "Pregnancy: our reference holds no kratom-specific pregnancy evidence; manage "
        "withdrawal and any medication with obstetric input.",
        ("see-clinician-before-taper", "contact-care-team"),
        "No published source: design rule [ref:assumption:design-rule]",
        assumption="Flagging pregnancy for clinician review is our own rule (no published "
                   "evidence).",
    ),
    SafetyRule(
        "seizure-history", has_condition("seizures"), "warning",
        "You have had seizures before. Plan your taper with a clinician, and call 911 if you "
        "have a seizure.",
        "History of seizures: FDA warns kratom is linked with seizures; a seizure followed "
        "kratom + modafinil (Boyer). Medically supervised withdrawal advised.",
        ("see-clinician-before-taper",),
        "[ref:fda-kratom-warning] [V-2nd]; [ref:boyer2008] [V-2nd]",
        assumption="Advising supervision for a seizure history is our own rule.",
    ),
    SafetyRule(
        "heart-disease", has_condition("heart-disease"), "warning",
        "You have a heart condition. Withdrawal can raise your heart rate, so plan your taper "
        "with a clinician.",
        "Heart disease: withdrawal raises pulse (COWS item 1); no kratom-specific cardiac data "
        "in our reference. Medically supervised withdrawal advised.",
        ("see-clinician-before-taper",),
        "[ref:wesson-ling2003] (pulse is a withdrawal sign); otherwise no published source: "
        "design rule [ref:assumption:design-rule]",
        assumption="Advising supervision for heart disease is our own rule.",
    ),
    SafetyRule(
        "worse-than-expected", timeline_flag("worse-than-expected"), "warning",
        "Your symptoms are stronger than our estimate for this point (a rough guide: kratom "
        "withdrawal timing has not been measured in studies). Let your care team know, and if "
        "you are tapering, hold your current dose for now.",
        "Symptom scores above the expected band for this phase of the timeline model (whose "
        "phase timings are labelled assumptions).",
        ("contact-care-team", "hold-taper"),
        "[ref:timeline-blogs] (timeline defaults not evidence-based), [ref:cdc-opioids-2022] "
        "(pause if withdrawal is significant [V-2nd])",
        assumption="The expected band comes from the timeline model, calibrated to "
                   "non-evidence-based figures [ref:timeline-blogs]; its parameters are "
                   "adjustable.",
    ),
    SafetyRule(
        "prolonged-acute", timeline_flag("prolonged-acute"), "warning",
        "Your withdrawal is lasting longer than our estimate (a rough guide: kratom withdrawal "
        "timing has not been measured in studies). Please let your care team know so they can "
        "check on you.",
        "Acute symptoms persist past the expected acute window (one physician-observed case "
        "lasted ~10 days, Boyer 2008 [V-2nd]).",
        ("contact-care-team",),
        "[ref:boyer2008] (~10 days [V-2nd]); [ref:timeline-blogs] (timeline defaults not "
        "evidence-based)",
        assumption="The expected end of the acute phase and the SOWS level of 11 that counts "
                   "as still acute are timeline-model defaults [ref:timeline-blogs] "
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
        "No published source: design rule [ref:assumption:design-rule]",
        assumption=f"The {MISSED_CHECKIN_DAYS}-day threshold is our assumption (adjustable).",
    ),
)

RULE_IDS: Final = tuple(rule.id for rule in SAFETY_RULES)


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
        }


def evaluate(inp: SafetyInput) -> tuple[SafetyFlag, ...]:
    """Every rule that fires, most severe first (table order within a severity)."""
    fired = [
        SafetyFlag(rule.id, rule.severity, rule.patient_message, rule.clinician_message,
                   rule.actions, rule.source, rule.details(inp), rule.assumption)
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
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3650:
        raise InvalidInput("days_since_checkin", f"must be a whole number from 0 to 3650 "
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
