"""Request and response bodies, with explicit limits (they appear in the OpenAPI document).

Every text field has a maximum length and refuses NUL characters: PostgreSQL cannot store
them and enforces lengths, so both are refused here with a 422 rather than a 500 later. Ids
and choices are patterns or enums; numbers have bounds. The clinical core validates the
meaning (which scores an item allows, which units fit a product) and names the field.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import (
    AfterValidator,
    AwareDatetime,
    PlainSerializer,
    PlainValidator,
    Strict,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
)

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.profile import (
    AMOUNT_DECIMALS,
    DATE_PATTERN,
    DATETIME_PATTERN,
    DEPENDENCE_SIGNS,
    MAX_DOSES_PER_DAY,
    MAX_MEDICATIONS,
    MAX_PREVIOUS_ATTEMPTS,
    MAX_TEXT,
    MAX_YEARS_OF_USE,
    YEARS_DECIMALS,
    parse_date,
    parse_datetime,
)
from kratom_recovery.care.program_settings import PULSE_MAX, PULSE_MIN, SETTINGS
from kratom_recovery.care.safety import DANGER_SYMPTOM_IDS
from kratom_recovery.care.text import LINE_PATTERN, TEXT_PATTERN, check_characters
from kratom_recovery.web.patients.inputs import (
    COMPLETED_MAX_AGE,
    MAX_NOTE,
    MOOD_RANGE,
    TEMPERATURE_RANGE,
    WITHDRAWABLE,
)
from kratom_recovery.web.patients.models import Patient
from kratom_recovery.web.patients.queries import days_since_last_use

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,31}$"
OPTION_PATTERN = r"^[a-z][a-z0-9_]{0,31}$"  # scoring option names, e.g. medically_supervised
MAX_ID = 2**63 - 1  # BigAutoField; larger ids would overflow the database driver
MAX_ANSWERS = 64  # more than any instrument has items
MAX_SCORE_VALUE = 999  # above every item's range (pulse tops out far lower)
MAX_AMOUNT = 5000.0  # largest per-day amount in any unit (care.profile.MAX_AMOUNT_PER_DAY)


def _characters(multiline: bool) -> Any:
    def check(value: str) -> str:
        try:
            return check_characters("text", value, multiline=multiline)
        except InvalidInput as error:
            raise ValueError(error.message) from None

    return check


def Text(max_length: int, min_length: int = 0, *, line: bool = False) -> Any:
    """A string of at most `max_length` characters. Multi-line text keeps line breaks and
    tabs but no other control characters (NUL included); a `line` has none (care.text)."""
    return Annotated[
        str,
        StringConstraints(min_length=min_length, max_length=max_length),
        AfterValidator(_characters(multiline=not line)),
        Field(json_schema_extra={"pattern": LINE_PATTERN if line else TEXT_PATTERN}),
    ]


def Line(max_length: int, min_length: int = 0) -> Any:
    """One line of text: a name, a unit, a time zone."""
    return Text(max_length, min_length, line=True)


def _datetime(value: object, info: ValidationInfo) -> datetime:
    try:
        return parse_datetime(info.field_name or "date-time", value)
    except InvalidInput as error:
        raise ValueError(error.message) from None


def _date(value: object, info: ValidationInfo) -> date:
    try:
        return parse_date(info.field_name or "date", value)
    except InvalidInput as error:
        raise ValueError(error.message) from None


def _iso(value: date) -> str:
    return value.isoformat()


# Stated explicitly: pydantic does not infer a serializer behind a PlainValidator.
ISO_TEXT = PlainSerializer(_iso, return_type=str, when_used="json")

# Date-times and dates are strings read by the shared parsers (care.profile), so a number is
# never taken for Unix time; OpenAPI states the shape and the bounds (docs/api.md).
DateTimeText = Annotated[datetime, PlainValidator(_datetime), ISO_TEXT, WithJsonSchema({
    "type": "string", "format": "date-time", "pattern": DATETIME_PATTERN,
    "examples": ["2026-11-19T08:00:00-05:00"],
    "description": "ISO 8601 with a UTC offset within ±14:00 (e.g. 2026-11-20T08:00:00Z), "
    "from 2000-01-01T00:00:00Z to one day after now",
})]
DateText = Annotated[date, PlainValidator(_date), ISO_TEXT, WithJsonSchema({
    "type": "string", "format": "date", "pattern": DATE_PATTERN, "examples": ["2026-12-01"],
    "description": "ISO 8601 date (e.g. 2026-12-01), from 2000-01-01 to 2099-12-31",
})]


Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
OptionName = Annotated[str, StringConstraints(pattern=OPTION_PATTERN)]
StrictInt = Annotated[int, Strict()]
StrictFloat = Annotated[float, Strict()]
AnswerValue = Annotated[int, Strict(), Field(ge=0, le=MAX_SCORE_VALUE)] | None
Answers = Annotated[list[AnswerValue], Field(max_length=MAX_ANSWERS)]
Note = Text(MAX_NOTE)

Product = Literal["leaf", "capsules", "extract", "7-oh", "other"]
Unit = Literal["g", "mg", "tablets"]
OtherSubstance = Literal["alcohol", "benzodiazepines", "opioids", "gabapentinoids",
                         "other-sedatives", "stimulants", "cannabis", "nicotine"]
Condition = Literal["chronic-pain", "depression", "anxiety", "bipolar", "ptsd", "psychosis",
                    "seizures", "heart-disease", "liver-disease", "pregnancy",
                    "opioid-use-disorder-history", "other-sud-history"]
Support = Literal["none", "some", "strong"]
Goal = Literal["taper", "stop"]
Sex = Literal["female", "male"]
DependenceSign = Literal[DEPENDENCE_SIGNS]  # type: ignore[valid-type]
DailyInstrument = Literal["sows", "craving", "daily-extra"]
# Enums built from the core's tuples, so the OpenAPI document lists today's vocabulary.
DangerSymptom = Literal[DANGER_SYMPTOM_IDS]  # type: ignore[valid-type]
Withdrawable = Literal[WITHDRAWABLE]  # type: ignore[valid-type]
Phase = Literal["pre-onset", "onset", "peak", "subsiding", "post-acute"]
TimelineFlag = Literal["worse-than-expected", "prolonged-acute"]


class Page(Schema):
    """Every list: `items` for this page, `count` for all of them."""

    count: int


# --- who am I, patients ---------------------------------------------------------------------


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    role: Literal["patient", "clinician", "admin"]
    patient_id: int | None


class PatientOut(Schema):
    id: int
    display_name: str
    clinician_id: int | None
    timezone: str
    created_at: datetime
    onboarded_at: datetime | None
    last_use_at: datetime | None
    days_since_last_use: int | None
    # How the care team reaches the patient (empty when not given); the emergency contact
    # is only in /patients/{id}/contact, for the patient.
    phone: str
    email: str

    @staticmethod
    def resolve_days_since_last_use(obj: Patient) -> int | None:
        return days_since_last_use(obj)

    @staticmethod
    def resolve_email(obj: Patient) -> str:
        return obj.user.email


class ProfileFields(Schema):
    """The use profile (docs/profile.md), shared by onboarding and triage."""

    product: Product
    amount_per_day: StrictFloat = Field(
        gt=0, le=MAX_AMOUNT, description=f"at most {AMOUNT_DECIMALS} decimal places"
    )
    unit: Unit
    doses_per_day: StrictInt = Field(ge=1, le=MAX_DOSES_PER_DAY)
    years_of_use: StrictFloat = Field(
        ge=0, le=MAX_YEARS_OF_USE, description=f"at most {YEARS_DECIMALS} decimal place"
    )
    other_substances: list[OtherSubstance] = Field(default_factory=list, max_length=8)
    medications: list[Line(MAX_TEXT, 1)] = Field(  # type: ignore[valid-type]
        default_factory=list, max_length=MAX_MEDICATIONS
    )
    conditions: list[Condition] = Field(default_factory=list, max_length=12)
    age: StrictInt | None = Field(None, ge=12, le=120)
    support: Support = "some"
    previous_attempts: StrictInt = Field(0, ge=0, le=MAX_PREVIOUS_ATTEMPTS)
    goal: Goal = "taper"
    dependence: list[DependenceSign] = Field(
        default_factory=list, max_length=len(DEPENDENCE_SIGNS),
        description="alcohol/benzodiazepine dependence statements that are true "
        "(docs/profile.md)",
    )
    sex: Sex | None = Field(None, description="optional; only picks the AUDIT-C cut-off")


class ProfileIn(ProfileFields):
    last_dose: DateTimeText
    timezone: Line(64, 1) = Field(  # type: ignore[valid-type]
        description="IANA time zone name, e.g. America/New_York",
        examples=["America/New_York"],
    )


class ProfileOut(Schema):
    product: str
    amount_per_day: float
    unit: str
    doses_per_day: int
    years_of_use: float
    last_dose: datetime
    other_substances: list[str]
    medications: list[str]
    conditions: list[str]
    age: int | None
    support: str
    previous_attempts: int
    goal: str
    dependence: list[str]
    sex: str | None
    timezone: str
    updated_at: datetime


# --- check-ins, responses, uses -------------------------------------------------------------


class CheckinIn(Schema):
    """The API form of patients.inputs.CheckinInput (which validates it again and decides).

    On a same-day update a field left out keeps today's value; danger symptoms add to
    today's; a recorded red flag goes only when named in `withdraw` (docs/api.md).
    """

    answers: dict[DailyInstrument, Answers] = Field(
        min_length=1, max_length=3,
        description="instrument id -> answers in published item order",
    )
    sleep_hours: StrictFloat | None = Field(None, ge=0, le=24)
    mood: StrictInt | None = Field(None, ge=MOOD_RANGE[0], le=MOOD_RANGE[1])
    temperature_c: StrictFloat | None = Field(
        None, ge=TEMPERATURE_RANGE[0], le=TEMPERATURE_RANGE[1],
        description="measured body temperature in °C, at most 1 decimal place",
    )
    note: Note = ""  # type: ignore[valid-type]
    danger_symptoms: list[DangerSymptom] = Field(
        default_factory=list, max_length=len(DANGER_SYMPTOM_IDS),
        description="danger symptoms since yesterday; added to any already recorded today",
    )
    self_harm_thoughts: Annotated[bool, Strict()] | None = Field(
        None, description="thoughts of being better off dead or of self-harm since "
        "yesterday; null or absent keeps today's answer, and a recorded true becomes false "
        "only with withdraw",
    )
    withdraw: list[Withdrawable] = Field(
        default_factory=list, max_length=len(WITHDRAWABLE),
        description="red flags recorded earlier today to take back (audited)",
    )
    completed_at: AwareDatetime | None = Field(
        None, description="when the check-in was finished, with its offset (a phone that "
        "was offline sends it later); it dates the check-in if at most "
        f"{COMPLETED_MAX_AGE // timedelta(hours=1)} hours old; absent means now",
    )


class ResponseOut(Schema):
    id: int
    instrument: str
    version: str
    answers: list[int | None]
    total: int
    max_total: int
    band: str
    flags: list[str]
    recorded_at: datetime
    checkin_id: int | None


class CheckinOut(Schema):
    id: int
    local_date: date
    created_at: datetime
    updated_at: datetime
    sleep_hours: float | None
    mood: int | None
    temperature_c: float | None
    note: str
    danger_symptoms: list[str]
    self_harm_thoughts: bool | None
    responses: list[ResponseOut]


class QuestionnaireIn(Schema):
    answers: Answers


class UseIn(Schema):
    taken_at: DateTimeText
    amount: StrictFloat = Field(
        gt=0, le=MAX_AMOUNT, description=f"at most {AMOUNT_DECIMALS} decimal places"
    )
    unit: Unit
    note: Note = ""  # type: ignore[valid-type]


class UseOut(Schema):
    id: int
    taken_at: datetime
    amount: float
    unit: str
    note: str
    created_at: datetime


# --- instruments ----------------------------------------------------------------------------


class InstrumentSummary(Schema):
    id: str
    version: str
    name: str
    short_name: str
    respondent: str
    description: str
    items: int
    min_total: int
    max_total: int


class ScoreIn(Schema):
    answers: Answers
    options: dict[OptionName, bool] = Field(default_factory=dict, max_length=8)


# --- alerts ---------------------------------------------------------------------------------


class AlertOut(Schema):
    id: int
    patient_id: int
    rule: str
    severity: str
    clinician_message: str
    patient_message: str
    actions: list[str]
    source: str
    created_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by_id: int | None
    acknowledgement_note: str


class AcknowledgeIn(Schema):
    note: Text(MAX_NOTE, 1)  # type: ignore[valid-type]


# --- pure tools: taper, triage --------------------------------------------------------------


class TaperCheckin(Schema):
    time: DateTimeText
    sows_total: StrictInt | None = Field(None, ge=0, le=64)
    craving: StrictInt | None = Field(None, ge=0, le=10)


class TaperIn(Schema):
    """A taper request (docs/taper.md). With `checkins` and `today`, holds are applied."""

    kind: Literal["kratom", "medication"] = "kratom"
    name: Line(60) | None = None  # type: ignore[valid-type]
    product: Product | None = None
    amount_per_day: StrictFloat = Field(gt=0, le=100_000)
    unit: Line(60, 1)  # type: ignore[valid-type]
    doses_per_day: StrictInt = Field(ge=1, le=MAX_DOSES_PER_DAY)
    strategy: Literal["percent", "linear", "clinical", "clinical-linear"] = "percent"
    rate_percent: StrictFloat | None = Field(None, gt=0, lt=100)
    step_days: StrictInt | None = Field(None, ge=1, le=90)
    precision: StrictFloat | None = Field(None, gt=0, le=100_000)
    jump_off: StrictFloat | None = Field(None, ge=0, le=100_000)
    years_of_use: StrictFloat | None = Field(None, ge=0, le=MAX_YEARS_OF_USE)
    start: DateText
    as_needed: Text(500) | None = None  # type: ignore[valid-type]
    # A medicine plan cutting more than 25% in a step is refused (422) without it.
    confirm_large_cuts: Annotated[bool, Strict()] = False
    checkins: list[TaperCheckin] | None = Field(None, max_length=400)
    today: DateText | None = None


class TriageIn(ProfileFields):
    """A profile plus the check-in parts `kratom-recovery triage` reads (docs/profile.md)."""

    last_dose: DateTimeText | None = None
    answers: dict[Slug, Answers] = Field(default_factory=dict, max_length=8)
    danger_symptoms: list[Slug] = Field(default_factory=list, max_length=16)
    suicide_followup: dict[Slug, bool] = Field(default_factory=dict, max_length=8)
    timeline_flags: list[TimelineFlag] = Field(default_factory=list, max_length=2)
    days_since_checkin: StrictInt | None = Field(None, ge=0, le=3650)
    phase: Phase | None = None
    # care/resources.check_zip: 5 digits, or a ZIP+4 (answered as its 5 digits).
    zip: Annotated[str, StringConstraints(pattern=r"^[0-9]{5}(-[0-9]{4})?$",
                                          max_length=10)] | None = None
    temperature_c: StrictFloat | None = Field(None, ge=TEMPERATURE_RANGE[0],
                                              le=TEMPERATURE_RANGE[1])
    resting_pulse: StrictInt | None = Field(None, ge=PULSE_MIN, le=PULSE_MAX)
    days_free_before_lapse: StrictInt | None = Field(None, ge=0, le=3650)
    settings: dict[OptionName, StrictFloat] | None = Field(
        None, max_length=len(SETTINGS),
        description="program settings that differ from the defaults (docs/safety.md)",
    )

