"""A suggested level of care, with the reasons that drove it: decision support, not a placement.

The level codes and names are those of the ASAM Criteria, 4th edition ([ref:asam4] [V-2nd]).
ASAM's decision rules are copyrighted, so the rules below are OUR OWN, informed by the six ASAM
dimensions: each reason names the dimension it speaks to and its source. Where no source gives
a threshold, the rule says so (`assumption`). The level is the highest any fired rule asks
for; rules only use monotone predicates (see care/safety.py), so adding a risk never lowers
the level (tested with hypothesis). A clinician can record a different decision
(`ClinicianDecision`); `effective_level()` says which one applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.safety import (
    DANGER_SYMPTOMS,
    DEHYDRATION_SYMPTOMS,
    MEDICAL_RISK_CONDITIONS,
    Condition,
    SafetyInput,
    any_followup_yes,
    dependence_sign,
    emergency_symptom,
    fever,
    has_condition,
    intent_or_plan,
    reports_symptom,
    sedative_dependence,
    sedatives_too,
    total_at_least,
    uses_product,
    uses_substance,
    younger_than,
)


@dataclass(frozen=True)
class Level:
    code: str
    name: str  # ASAM 4th-edition name (names only, [ref:asam4])
    plain_name: str  # what we call it for the person
    next_step: str


LEVELS: Final[tuple[Level, ...]] = (
    Level("1.0", "Long-Term Remission Monitoring", "Staying well, with regular check-ins",
          "Keep checking in, keep your relapse-prevention plan close, and reach out early if "
          "cravings come back."),
    Level("1.5", "Outpatient Therapy", "Your own plan, with regular outpatient visits",
          "Follow your plan (a slow taper, or stopping with support), keep checking in here, "
          "and see a clinician or counsellor regularly."),
    Level("1.7", "Medically Managed Outpatient",
          "Outpatient care with a prescriber managing withdrawal",
          "See a prescriber before you start tapering: medicines may ease withdrawal. "
          "Don't stop suddenly in the meantime."),
    Level("2.1", "Intensive Outpatient", "Intensive outpatient program",
          "Ask your clinician about an intensive outpatient program, or look one up on "
          "FindTreatment.gov or through the SAMHSA Helpline (1-800-662-4357)."),
    Level("2.5", "High-Intensity Outpatient", "High-intensity outpatient program",
          "Ask your clinician about a high-intensity outpatient program."),
    Level("2.7", "Medically Managed Intensive Outpatient",
          "Intensive outpatient care with medical oversight",
          "Contact your care team today: you need frequent medical check-ups while you "
          "withdraw."),
    Level("3.1", "Clinically Managed Low-Intensity Residential",
          "Low-intensity residential program",
          "Ask your clinician about a residential program."),
    Level("3.5", "Clinically Managed High-Intensity Residential",
          "High-intensity residential program",
          "Ask your clinician about a residential program."),
    Level("3.7", "Medically Managed Residential", "Residential care with 24-hour medical staff",
          "Talk with a clinician soon about withdrawal care with round-the-clock medical staff. "
          "The SAMHSA Helpline (1-800-662-4357) can help you find a place."),
    Level("4", "Medically Managed Inpatient", "Hospital care",
          "Get help now: call 911 if you are in danger (or 988 if you are thinking of ending "
          "your life). Hospital care may be needed."),
)
LEVEL_CODES: Final = tuple(level.code for level in LEVELS)
LEVEL_BY_CODE: Final = {level.code: level for level in LEVELS}
# Everyone here is using kratom and wants to stop, so the floor is outpatient care (1.5);
# 1.0 (remission monitoring) is for people already in remission and is left to a clinician's
# recorded decision.
BASELINE: Final = LEVEL_BY_CODE["1.5"]

# [ref:asam4] [V-2nd]; dimension 6 informs the choice of level, not the risk rating.
DIMENSIONS: Final[dict[int, str]] = {
    1: "Intoxication, Withdrawal, and Addiction Medications",
    2: "Biomedical Conditions",
    3: "Psychiatric and Cognitive Conditions",
    4: "Substance Use-Related Risks",
    5: "Recovery Environment Interactions",
    6: "Person-Centered Considerations",
}

DISCLAIMER: Final = (
    "This is a suggestion to talk over with a clinician, not a diagnosis or a placement "
    "decision. It is informed by the six ASAM Criteria dimensions and uses the ASAM level names "
    "(4th edition), but it does not use ASAM's own decision rules and is not an ASAM placement. "
    "A clinician decides. If you are in danger, call 911; in a mental-health or substance-use "
    "crisis, call or text 988."
)

# Band ids in rising order, so "at least moderate" is one comparison for every instrument.
BAND_ORDER: Final = ("none", "minimal", "mild", "moderate", "moderately-severe", "severe")


def band_at_least(instrument: str, band: str) -> Condition:
    def test(inp: SafetyInput) -> bool:
        got = inp.band(instrument)
        return got in BAND_ORDER and BAND_ORDER.index(got) >= BAND_ORDER.index(band)
    return Condition(f"{instrument} band >= {band}", test)


def grams_per_day_above(grams: float) -> Condition:
    """Only for amounts in grams: mg and tablets of concentrates [ref:fda-7oh-2025] cannot be
    converted."""
    return Condition(f"more than {grams:g} g/day",
                     lambda i: i.profile.unit == "g" and i.profile.amount_per_day > grams)


def doses_per_day_at_least(doses: int) -> Condition:
    return Condition(f"{doses}+ doses/day", lambda i: i.profile.doses_per_day >= doses)


def years_of_use_above(years: float) -> Condition:
    return Condition(f"more than {years:g} years of use",
                     lambda i: i.profile.years_of_use > years)


def previous_attempts_at_least(count: int) -> Condition:
    return Condition(f"{count}+ previous attempts", lambda i: i.profile.previous_attempts >= count)


def support_is(*levels: str) -> Condition:
    return Condition(f"support is {'/'.join(levels)}", lambda i: i.profile.support in levels)


def goal_is(goal: str) -> Condition:
    return Condition(f"goal is {goal}", lambda i: i.profile.goal == goal)


# Thresholds, each with its source.
HIGH_AMOUNT_G: Final = 40.0  # [ref:weiss-douglas2021]: >40 g/day needed higher bup doses
INPATIENT_AMOUNT_G: Final = 35.0  # [ref:droracle-summary] [V-2nd, weak] -> assumption
# [ref:singh2019] >3 glasses/day ([ref:singh2014] used >=3); [ref:rogers2024]: frequency
# most. Reading glasses of tea as doses of any product is our assumption.
FREQUENT_DOSES: Final = 4
LONG_USE_YEARS: Final = 7.0  # [ref:singh2019]: >7 years of use (OR 4.4)
FAILED_ATTEMPTS: Final = 2  # assumption, echoing Galbis-Reig 2016 (two failed outpatient detoxes)

seven_oh = uses_product("7-oh")
high_amount = grams_per_day_above(HIGH_AMOUNT_G)
medical_condition = has_condition(*MEDICAL_RISK_CONDITIONS)
cows_review = total_at_least("cows", "cows_review_at")  # program setting, default 13
withdrawal_needs_medicine = (
    seven_oh | high_amount | sedatives_too | medical_condition | sedative_dependence
    | band_at_least("sows", "severe") | band_at_least("cows", "moderate") | cows_review
)
# Danger symptoms that need a medical check today (care/safety.py severities).
urgent_symptom = reports_symptom(*(d.id for d in DANGER_SYMPTOMS if d.severity == "urgent"))


@dataclass(frozen=True)
class LevelRule:
    id: str
    dimension: int
    level: str  # the lowest level this finding calls for
    when: Condition
    reason: str  # plain words, shown to the person and the clinician
    source: str
    assumption: str | None = None


LEVEL_RULES: Final[tuple[LevelRule, ...]] = (
    # Dimension 1: intoxication, withdrawal and addiction medications
    LevelRule("loc-seven-oh", 1, "1.7", seven_oh,
              "You use a 7-OH product; stopping it can bring severe, opioid-like withdrawal.",
              "[ref:sharma2025] [V]; [ref:fda-7oh-2025] [V-2nd]",
              "The level this maps to is our choice (ASAM's rules are not used)."),
    LevelRule("loc-high-amount", 1, "1.7", high_amount,
              f"You use more than {HIGH_AMOUNT_G:g} g a day; in published cases, people at "
              "these amounts were treated with medicine for withdrawal.",
              "[ref:weiss-douglas2021] (>40 g/day cases [V])",
              "The level this maps to is our choice (ASAM's rules are not used)."),
    LevelRule("loc-frequent-dosing", 1, "1.5", doses_per_day_at_least(FREQUENT_DOSES),
              f"You take kratom {FREQUENT_DOSES} or more times a day; how often you dose "
              "predicts withdrawal more than how much.",
              "[ref:singh2019] (>3 glasses/day [V]); [ref:rogers2024] [V]",
              "Studies counted glasses of tea; reading them as doses, the cut-off of 4 and the "
              "level are our choices."),
    LevelRule("loc-long-use", 1, "1.5", years_of_use_above(LONG_USE_YEARS),
              f"You have used kratom for more than {LONG_USE_YEARS:g} years.",
              "[ref:singh2019] (>7 years of use, OR 4.4 [V]); [ref:smith2022-frontiers] (longer "
              "regular use, more severe effects [V])",
              "The level this maps to is our choice (ASAM's rules are not used)."),
    LevelRule("loc-extract", 1, "1.5", uses_product("extract"),
              "You use a concentrated extract, which can bring stronger withdrawal than leaf.",
              "[ref:galbis-reig2016] (extract case [V])",
              "The level this maps to is our choice (ASAM's rules are not used)."),
    LevelRule("loc-withdrawal-moderate", 1, "1.5",
              band_at_least("sows", "moderate") | band_at_least("cows", "moderate"),
              "Your withdrawal score is in the moderate range or above.",
              "[ref:ctn0094-data] (SOWS CTN-0051 bands [V]), "
              "[ref:wesson-ling2003] (COWS bands [V])",
              "The level this maps to is our choice (ASAM's rules are not used)."),
    LevelRule("loc-withdrawal-severe", 1, "2.7",
              band_at_least("sows", "severe") | band_at_least("cows", "moderately-severe"),
              "Your withdrawal score is severe right now.",
              "[ref:ctn0094-data] [ref:wesson-ling2003] (bands [V])",
              "Mapping a severe score to medically managed intensive outpatient care is ours."),
    LevelRule("loc-withdrawal-cows-severe", 1, "3.7", band_at_least("cows", "severe"),
              "A clinician rated your withdrawal as severe (COWS above 36).",
              "[ref:wesson-ling2003] (COWS >36 severe [V])",
              "Mapping the top COWS band to 24-hour medical care is ours."),
    LevelRule("loc-cows-review", 1, "1.7", cows_review,
              "A clinician rated your withdrawal in the range where medicine may help.",
              "[ref:wesson-ling2003] (13 starts the moderate band); review line "
              "[ref:assumption:cows-review]",
              "The review line is a program setting (settings.cows_review_at, default 13); "
              "the level is our choice [ref:assumption:level-mapping]."),
    LevelRule("loc-sedative-dependence", 1, "3.7", sedative_dependence,
              "You use alcohol or a benzodiazepine every day and your body shows signs of "
              "depending on it; stopping it alongside kratom needs 24-hour medical care.",
              "[ref:sullivan1989] (alcohol withdrawal: seizure and delirium risk); "
              "[ref:fda-kratom-warning]",
              "Reading dependence from our own questions, and the level, are our choices "
              "[ref:assumption:level-mapping]."),
    LevelRule("loc-sedative-dependence-seizures", 1, "4",
              sedative_dependence & dependence_sign("past-withdrawal-seizure"),
              "You have had a seizure when stopping alcohol or a benzodiazepine; withdrawal "
              "needs hospital-level medical care.",
              "[ref:sullivan1989] (seizure risk in severe alcohol withdrawal)",
              "Mapping a past withdrawal seizure to hospital care (4) is ours "
              "[ref:assumption:level-mapping]."),
    LevelRule("loc-sedatives", 1, "1.7", sedatives_too,
              "You also use alcohol, opioids or sedating medicines; together with kratom they "
              "raise overdose risk, and stopping them can need medical care too.",
              "[ref:fda-kratom-warning] [V-2nd]; [ref:olsen2019] (polysubstance deaths [V])",
              "The level this maps to is our choice (ASAM's rules are not used)."),
    LevelRule("loc-inpatient-triggers", 1, "3.7",
              grams_per_day_above(INPATIENT_AMOUNT_G) & (sedatives_too | medical_condition),
              f"You use more than {INPATIENT_AMOUNT_G:g} g a day together with sedatives or a "
              "serious medical condition.",
              "[ref:droracle-summary] (>35 g/day, polysubstance, previous severe "
              "withdrawal, medical comorbidity -> inpatient [V-2nd, weak])",
              "Weak secondary source. We require >35 g/day plus sedatives or a medical "
              "condition, and map it to 24-hour medically managed residential care (3.7)."),
    # Dimension 2: biomedical conditions
    LevelRule("loc-emergency-symptoms", 2, "4", emergency_symptom,
              "You reported a symptom that needs emergency care now.",
              "care/safety.py rule emergency-symptoms; [ref:sharma2025] [ref:fda-kratom-warning]",
              "Emergency symptoms -> hospital level is our rule."),
    LevelRule("loc-dehydration", 2, "2.7", reports_symptom(*DEHYDRATION_SYMPTOMS),
              "You have signs of drying out, which need medical attention today.",
              "[ref:galbis-reig2016] (vomiting and diarrhoea [V])",
              "Same-day medical care for dehydration is general advice, not a kratom study."),
    LevelRule("loc-urgent-symptoms", 2, "2.7", urgent_symptom | fever(),
              "You reported a symptom (such as signs of liver trouble, severe belly pain or a "
              "fever) that needs a medical check today.",
              "care/safety.py rules liver-injury-signs, severe-abdominal-pain, dehydration, "
              "fever; [ref:livertox-kratom]",
              "Same-day medical care -> medically managed intensive outpatient is our mapping "
              "[ref:assumption:level-mapping]."),
    LevelRule("loc-medical-conditions", 2, "1.7", medical_condition,
              "You have a medical condition (seizures, heart or liver disease, or pregnancy) "
              "that makes medically supervised withdrawal safer.",
              "[ref:fda-kratom-warning] (seizures [V-2nd]); otherwise no published source",
              "Supervision for these conditions is our own rule."),
    # Dimension 3: psychiatric and cognitive conditions
    LevelRule("loc-suicide-intent", 3, "4", intent_or_plan,
              "You told us you might act on thoughts of ending your life.",
              "[ref:columbia-cssrs] (intent or plan = imminent risk [V]); [ref:988-lifeline]",
              "Hospital-level evaluation for intent or plan is our mapping."),
    # PHQ-9 item 9 alone (passive thoughts, every follow-up answer no) sets no level: the
    # suicidal-thoughts safety flag asks for a same-day clinician assessment instead.
    LevelRule("loc-suicidal-thoughts", 3, "2.1", any_followup_yes,
              "You told us you are having thoughts of ending your life or hurting yourself.",
              "[ref:kroenke2001] (PHQ-9 item 9 routing, design rule)",
              "Mapping active thoughts to intensive outpatient care is ours "
              "[ref:assumption:level-mapping]."),
    LevelRule("loc-mood-scores", 3, "1.5",
              band_at_least("phq9", "moderate") | band_at_least("gad7", "moderate"),
              "Your depression or anxiety score is moderate or higher (10 or more).",
              "[ref:kroenke2010] (PHQ-9 >=10 [V]), [ref:spitzer2006] (GAD-7 >=10 [V])",
              "The level this maps to is our choice (ASAM's rules are not used)."),
    LevelRule("loc-severe-depression", 3, "2.1", band_at_least("phq9", "moderately-severe"),
              "Your depression score is moderately severe or severe (15 or more).",
              "[ref:kroenke2001] (PHQ-9 bands [V])",
              "Mapping to intensive outpatient care is ours."),
    LevelRule("loc-psychiatric-conditions", 3, "1.5",
              has_condition("depression", "anxiety", "bipolar", "ptsd", "psychosis"),
              "You live with a mental-health condition; care for it belongs in the plan.",
              "No published source: design rule [ref:assumption:design-rule]",
              "Co-occurring conditions -> outpatient care is our rule."),
    # Dimension 4: substance use-related risks
    LevelRule("loc-use-disorder", 4, "1.5", band_at_least("sud", "mild"),
              "Your answers suggest a kratom use disorder (2 or more signs).",
              "[ref:dsm5] (count bands [V])",
              "Mapping severity to levels is ours."),
    LevelRule("loc-use-disorder-severe", 4, "2.1", band_at_least("sud", "severe"),
              "Your answers suggest a severe kratom use disorder (6 or more signs).",
              "[ref:dsm5] (>=6 severe [V])",
              "Mapping severity to levels is ours."),
    LevelRule("loc-other-substances", 4, "1.5",
              uses_substance("stimulants", "cannabis", "nicotine"),
              "You also use other substances. In one survey, people with another substance use "
              "problem were more likely to have a kratom use disorder.",
              "[ref:hill2024] (another SUD, OR 2.83 [V]); "
              "[ref:sharma2025] (7-OH + nicotine case [V])",
              "Hill 2024 counted another use disorder, not any use; treating any use as a risk "
              "and the level are our choices."),
    LevelRule("loc-previous-attempts", 4, "1.7", previous_attempts_at_least(FAILED_ATTEMPTS),
              f"You have tried to stop {FAILED_ATTEMPTS} or more times before.",
              "[ref:galbis-reig2016] (two failed outpatient detoxes [V])",
              f"The threshold of {FAILED_ATTEMPTS} attempts is our assumption."),
    LevelRule("loc-sud-history", 4, "1.7",
              has_condition("opioid-use-disorder-history", "other-sud-history"),
              "You have had a substance use disorder before; medicines such as buprenorphine "
              "may help.",
              "[ref:weiss-douglas2021] (buprenorphine case evidence [V]); [ref:boyer2008] [V-2nd]",
              "Mapping a past SUD to medically managed care is ours."),
    # Dimension 5: recovery environment
    LevelRule("loc-no-support", 5, "1.5", support_is("none"),
              "You don't have people around you to support you through this.",
              "No published source: design rule [ref:assumption:design-rule]",
              "Raising the level for no support is our rule."),
    LevelRule("loc-alone-with-medical-withdrawal", 5, "2.7",
              support_is("none") & withdrawal_needs_medicine,
              "You would face medically risky withdrawal without anyone at home to help.",
              "No published source: design rule [ref:assumption:design-rule]",
              "Raising the level for no support is our rule."),
    # Dimension 6: person-centered considerations (informs the choice, not the risk)
    LevelRule("loc-stop-at-once", 6, "1.5", goal_is("stop"),
              "You want to stop rather than taper; stopping all at once can bring stronger "
              "withdrawal, so a clinician should help plan it.",
              "[ref:cdc-opioids-2022] (do not stop abruptly when physically dependent [V-2nd])",
              "CDC's advice is for prescribed opioids; applying it to kratom, and the level, are "
              "our choices (no kratom study compares stopping with tapering)."),
    LevelRule("loc-young-person", 6, "1.5", younger_than(18),
              "You are under 18; care for young people works differently and should involve a "
              "clinician.",
              "No published source: design rule [ref:assumption:design-rule]",
              "Our rule."),
)

# The same reasons in the third person, for records a clinician writes or signs (the
# discharge summary): the wording above speaks to the patient.
STAFF_REASONS: Final[dict[str, str]] = {
    "loc-seven-oh": "Uses a 7-OH product; stopping it can bring severe, opioid-like withdrawal.",
    "loc-high-amount": f"Uses more than {HIGH_AMOUNT_G:g} g a day; in published cases, people at "
                       "these amounts were treated with medicine for withdrawal.",
    "loc-frequent-dosing": f"Takes kratom {FREQUENT_DOSES} or more times a day; dosing frequency "
                           "predicts withdrawal more than amount.",
    "loc-long-use": f"Has used kratom for more than {LONG_USE_YEARS:g} years.",
    "loc-extract": "Uses a concentrated extract, which can bring stronger withdrawal than leaf.",
    "loc-withdrawal-moderate": "Withdrawal score in the moderate range or above.",
    "loc-withdrawal-severe": "Withdrawal score severe at the time.",
    "loc-withdrawal-cows-severe": "Clinician-rated withdrawal severe (COWS above 36).",
    "loc-cows-review": "Clinician-rated withdrawal in the range where medicine may help.",
    "loc-sedative-dependence": "Daily alcohol or benzodiazepine use with signs of physical "
                               "dependence; stopping it alongside kratom needs 24-hour medical "
                               "care.",
    "loc-sedative-dependence-seizures": "History of a seizure when stopping alcohol or a "
                                        "benzodiazepine; withdrawal needs hospital-level care.",
    "loc-sedatives": "Also uses alcohol, opioids or sedating medicines; with kratom they raise "
                     "overdose risk, and stopping them can need medical care too.",
    "loc-inpatient-triggers": f"Uses more than {INPATIENT_AMOUNT_G:g} g a day together with "
                              "sedatives or a serious medical condition.",
    "loc-emergency-symptoms": "Reported a symptom that needs emergency care.",
    "loc-dehydration": "Signs of dehydration, needing medical attention the same day.",
    "loc-urgent-symptoms": "Reported a symptom (such as signs of liver trouble, severe abdominal "
                           "pain or a fever) that needs a medical check the same day.",
    "loc-medical-conditions": "A medical condition (seizures, heart or liver disease, or "
                              "pregnancy) that makes medically supervised withdrawal safer.",
    "loc-suicide-intent": "Reported they might act on thoughts of ending their life.",
    "loc-suicidal-thoughts": "Reported thoughts of ending their life or hurting themselves.",
    "loc-mood-scores": "Depression or anxiety score moderate or higher (10 or more).",
    "loc-severe-depression": "Depression score moderately severe or severe (15 or more).",
    "loc-psychiatric-conditions": "Lives with a mental-health condition; its care belongs in "
                                  "the plan.",
    "loc-use-disorder": "Answers suggest a kratom use disorder (2 or more signs).",
    "loc-use-disorder-severe": "Answers suggest a severe kratom use disorder (6 or more signs).",
    "loc-other-substances": "Also uses other substances. In one survey, people with another "
                            "substance use problem were more likely to have a kratom use "
                            "disorder.",
    "loc-previous-attempts": f"Has tried to stop {FAILED_ATTEMPTS} or more times before.",
    "loc-sud-history": "Past substance use disorder; medicines such as buprenorphine may help.",
    "loc-no-support": "No one around them to support them through this.",
    "loc-alone-with-medical-withdrawal": "Would face medically risky withdrawal with no one at "
                                         "home to help.",
    "loc-stop-at-once": "Wants to stop rather than taper; stopping all at once can bring "
                        "stronger withdrawal, so a clinician should help plan it.",
    "loc-young-person": "Under 18; care for young people works differently and should involve "
                        "a clinician.",
}


@dataclass(frozen=True)
class Reason:
    id: str
    text: str
    dimension: int
    level: str
    source: str
    assumption: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "dimension": self.dimension,
                "dimension_name": DIMENSIONS[self.dimension], "level": self.level,
                "source": self.source, "assumption": self.assumption}


@dataclass(frozen=True)
class Recommendation:
    level: Level
    reasons: tuple[Reason, ...]  # highest level first; those at `level` drove it
    disclaimer: str = DISCLAIMER
    decided_by: str | None = None  # None: software suggestion not yet reviewed by a clinician

    @property
    def drivers(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.level == self.level.code)

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": self.level.code,
            "level_name": self.level.name,
            "level_plain_name": self.level.plain_name,
            "next_step": self.level.next_step,
            "reasons": [r.as_dict() for r in self.reasons],
            "disclaimer": self.disclaimer,
            "decided_by": self.decided_by,
        }


def level_rank(code: str) -> int:
    return LEVEL_CODES.index(code)


def recommend(inp: SafetyInput) -> Recommendation:
    """The highest level any fired rule calls for (1.0 when none fire), with every reason."""
    fired = [rule for rule in LEVEL_RULES if rule.when(inp)]
    code = max((rule.level for rule in fired), key=level_rank, default=BASELINE.code)
    reasons = sorted(
        (Reason(r.id, r.reason, r.dimension, r.level, r.source, r.assumption) for r in fired),
        key=lambda reason: (-level_rank(reason.level), reason.dimension),
    )
    return Recommendation(LEVEL_BY_CODE[code], tuple(reasons))


@dataclass(frozen=True)
class ClinicianDecision:
    """A clinician's own choice of level, with why. The web layer stores it."""

    level: str
    reason: str
    decided_by: str
    decided_at: datetime

    def __post_init__(self) -> None:
        if self.level not in LEVEL_BY_CODE:
            raise InvalidInput("level", f"must be one of {', '.join(LEVEL_CODES)} "
                               f"(got {self.level!r})")
        if not self.reason.strip():
            raise InvalidInput("reason", "say why the decision differs or agrees")
        if not self.decided_by.strip():
            raise InvalidInput("decided_by", "is required")
        if self.decided_at.tzinfo is None:
            raise InvalidInput("decided_at", "must include a UTC offset")


def effective_level(recommendation: Recommendation, decision: ClinicianDecision | None) -> Level:
    """The clinician's decision when there is one; the suggestion otherwise."""
    return level_in_force(recommendation.level.code, decision.level if decision else None)


def level_in_force(suggested: str, decided: str | None) -> Level:
    """`effective_level` for stored level codes (the web keeps codes, not objects)."""
    return LEVEL_BY_CODE[suggested if decided is None else decided]
