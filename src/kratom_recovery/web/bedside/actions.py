"""Every bedside write goes through one function here: vitals, COWS/CIWA-Ar assessments,
the per-patient orders, lab results, the program's analytes, and comfort-medication orders
with the doses given, held or refused (the MAR), and the buprenorphine induction checklist.

Each checks its input through the pure core first (InvalidInput names the field, nothing is
written), runs in a transaction, writes the audit entry and runs the after-write hooks (the
safety engine). Vital signs past a limit the program or the clinician set raise an alert.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from kratom_recovery.care import induction, instruments, labs, mar
from kratom_recovery.care.bedside import check_interval, check_taken_at
from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.vitals import (
    VITAL_BY_NAME,
    Breach,
    VitalsReading,
    breaches,
    check_limits,
    check_value,
    check_vitals,
    cows_pulse_score,
)
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.bedside.defaults import ensure_default_analytes
from kratom_recovery.web.bedside.models import (
    BedsideOrders,
    Induction,
    InductionSetting,
    LabAnalyte,
    LabResult,
    MedicationDose,
    MedicationOrder,
    VitalSigns,
)
from kratom_recovery.web.patients.access import is_clinician_of
from kratom_recovery.web.patients.actions import store_response
from kratom_recovery.web.patients.hooks import after_write
from kratom_recovery.web.patients.models import InstrumentResponse, Patient
from kratom_recovery.web.program.config import current_settings
from kratom_recovery.web.program.models import ProgramSettingsRow
from kratom_recovery.web.safety.actions import raise_alert

# Instruments a clinician rates at the bedside, recorded with the time they were assessed.
BEDSIDE_INSTRUMENTS = ("cows", "ciwa-ar")
COWS_PULSE_ITEM = "resting-pulse"


def check_clinician(actor: User, patient: Patient) -> None:
    """Bedside records are written by a clinician on the patient's care team only."""
    if not is_clinician_of(actor, patient):
        raise InvalidInput("role", _("only the patient's care team records this"))


def program_limits() -> dict[str, float]:
    """The vital-sign limits the program set (program settings): the resting-pulse warning
    line and the fever line, in care.vitals limit names. Read only when the program has
    saved its settings, so no built-in default raises a bedside alert."""
    if not ProgramSettingsRow.objects.exists():
        return {}
    clinical = current_settings().clinical
    return {"pulse_above": clinical.pulse_limit, "temperature_above": clinical.fever_c}


def orders_for(patient: Patient) -> BedsideOrders | None:
    return BedsideOrders.objects.filter(patient=patient).first()


def alert_breaches(patient: Patient, found: Sequence[Breach], now: datetime) -> None:
    """One warning per vital and direction (raise_alert keeps one open per rule). The
    messages name no value for the patient: the care team sees the reading."""
    for breach in found:
        raise_alert(
            patient,
            rule=f"vitals-{breach.vital.replace('_', '-')}-{breach.direction}",
            severity="warning",
            patient_message=_("A reading taken at your bedside is outside the limits your "
                              "care team set. They have been told."),
            clinician_message=_("Vital sign past a limit: %(what)s.") % {
                "what": breach.describe()},
            details=[breach.describe()],
            source="vitals",
            evidence_source=_("limit set by the %(who)s") % {"who": breach.set_by},
            now=now,
        )


def _store_vitals(patient: Patient, actor: User, reading: VitalsReading, taken_at: datetime,
                  now: datetime, via: str) -> VitalSigns:
    row = VitalSigns.objects.create(
        patient=patient, taken_at=taken_at, recorded_by=actor, recorded_at=now,
        **{name: getattr(reading, name) for name in VITAL_BY_NAME},
    )
    audit.record(actor, patient, "create", f"vitals:{row.pk}", via=via)
    orders = orders_for(patient)
    clinician = {str(k): float(v) for k, v in (orders.limits if orders else {}).items()}
    alert_breaches(patient, breaches(reading, clinician=clinician, program=program_limits()),
                   now)
    return row


@transaction.atomic
def record_vitals(patient: Patient, actor: User, data: Mapping[str, object], *,
                  taken_at: datetime, now: datetime | None = None,
                  via: str = "web") -> VitalSigns:
    """A set of vitals taken at `taken_at`. Values outside the input plausibility bounds are
    refused naming the vital (care/vitals.py)."""
    now = now or timezone.now()
    check_clinician(actor, patient)
    check_taken_at("taken_at", taken_at, now)
    reading = check_vitals(data)
    row = _store_vitals(patient, actor, reading, taken_at, now, via)
    after_write(patient, actor, now, "vitals")
    return row


def bedside_answers(instrument_id: str, answers: Mapping[str, object],
                    resting_pulse: object = None) -> tuple[list[object], int | None]:
    """Answers in item order, with COWS item 1 scored from a typed resting pulse
    [ref:wesson-ling2003]. A tapped item 1 that disagrees with the pulse is refused."""
    if instrument_id not in BEDSIDE_INSTRUMENTS:
        raise InvalidInput("instrument", _("rated at the bedside: %(ids)s") % {
            "ids": ", ".join(BEDSIDE_INSTRUMENTS)})
    given = dict(answers)
    pulse: int | None = None
    if resting_pulse not in (None, ""):
        if instrument_id != "cows":
            raise InvalidInput("resting_pulse", _("only COWS scores a resting pulse"))
        value = check_value(VITAL_BY_NAME["pulse"], resting_pulse)
        if not isinstance(value, int):
            raise InvalidInput("resting_pulse", _("enter the resting pulse per minute"))
        pulse = value
        scored = cows_pulse_score(pulse)
        tapped = given.get(COWS_PULSE_ITEM)
        if tapped not in (None, "") and str(tapped) != str(scored):
            raise InvalidInput(COWS_PULSE_ITEM, _(
                "a resting pulse of %(pulse)d scores %(score)d on COWS item 1; the item was "
                "tapped as %(tapped)s. Clear one of them.") % {
                    "pulse": pulse, "score": scored, "tapped": tapped})
        given[COWS_PULSE_ITEM] = scored
    score = instruments.score_mapping(instrument_id, given)
    return [item.value for item in score.items], pulse


@transaction.atomic
def record_assessment(patient: Patient, actor: User, instrument_id: str,
                      answers: Mapping[str, object], *, assessed_at: datetime,
                      resting_pulse: object = None, now: datetime | None = None,
                      via: str = "web") -> InstrumentResponse:
    """A COWS or CIWA-Ar rated at `assessed_at`. A typed resting pulse scores COWS item 1
    and is kept on the vitals flowsheet too (taken at the same time)."""
    now = now or timezone.now()
    check_clinician(actor, patient)
    check_taken_at("assessed_at", assessed_at, now)
    values, pulse = bedside_answers(instrument_id, answers, resting_pulse)
    response = store_response(patient, actor, instrument_id, values, now=assessed_at)
    audit.record(actor, patient, "create", f"response:{response.pk}", via=via)
    if pulse is not None:
        _store_vitals(patient, actor, VitalsReading(pulse=pulse), assessed_at, now, via)
    after_write(patient, actor, now, f"questionnaire:{instrument_id}")
    return response


@transaction.atomic
def set_orders(patient: Patient, actor: User, *, interval_minutes: object,
               limits: Mapping[str, object], now: datetime | None = None,
               via: str = "web") -> BedsideOrders:
    """The assessment interval and the vital-sign limits for this patient (blank: none)."""
    now = now or timezone.now()
    check_clinician(actor, patient)
    interval = check_interval(interval_minutes)
    checked = check_limits(limits)
    orders, _created = BedsideOrders.objects.update_or_create(patient=patient, defaults={
        "assessment_interval_minutes": interval, "limits": checked, "updated_at": now,
        "updated_by": actor,
    })
    audit.record(actor, patient, "update", "bedside-orders", via=via)
    return orders


def active_analytes() -> list[LabAnalyte]:
    """The analytes a labs form offers; an empty table (flushed or restored without the
    seeded rows) gets the defaults back rather than a form with nothing to record."""
    rows = list(LabAnalyte.objects.filter(active=True))
    if not rows and not LabAnalyte.objects.exists() and ensure_default_analytes():
        rows = list(LabAnalyte.objects.filter(active=True))
    return rows


@transaction.atomic
def record_labs(patient: Patient, actor: User, results: Mapping[str, object], *,
                collected_at: datetime, now: datetime | None = None,
                via: str = "web") -> list[LabResult]:
    """Results keyed by analyte code (blank: not tested), flagged against the program's
    range in force. Unknown or inactive analytes are refused by name."""
    now = now or timezone.now()
    check_clinician(actor, patient)
    check_taken_at("collected_at", collected_at, now)
    analytes = {a.code: a for a in active_analytes()}
    checked: list[tuple[LabAnalyte, str | Decimal]] = []
    for code, raw in results.items():
        analyte = analytes.get(str(code))
        if analyte is None:
            raise InvalidInput(str(code), _("not an analyte this program records; known: "
                                            "%(codes)s") % {"codes": ", ".join(analytes)})
        value = labs.check_result(analyte.to_domain(), raw)
        if value is not None:
            checked.append((analyte, value))
    if not checked:
        raise InvalidInput("results", _("enter at least one result"))
    rows = [
        LabResult.objects.create(
            patient=patient, analyte=analyte, collected_at=collected_at,
            value_text=value if isinstance(value, str) else "",
            value_number=None if isinstance(value, str) else value,
            flag=labs.flag_result(value, analyte.low, analyte.high) or "",
            low=analyte.low, high=analyte.high, recorded_by=actor, recorded_at=now,
        )
        for analyte, value in checked
    ]
    audit.record(actor, patient, "create", f"labs:{rows[0].pk}-{rows[-1].pk}", via=via)
    after_write(patient, actor, now, "labs")
    return rows


# --- the program's analytes (program admin) ---------------------------------------------


def check_admin(actor: User) -> None:
    if not actor.is_program_admin or not actor.is_active:
        raise InvalidInput("role", _("only program admins change the lab analytes"))


@transaction.atomic
def update_analyte(actor: User, analyte: LabAnalyte, *, name: str, loinc: str,
                   low: object, high: object, active: bool) -> LabAnalyte:
    """The program's name, code and range for an analyte. A code typed here is the program's
    own choice (code_status "program"), never marked verified."""
    check_admin(actor)
    name = name.strip()
    if not name or len(name) > 80:
        raise InvalidInput("name", _("enter a name of up to 80 characters"))
    loinc = loinc.strip()
    if len(loinc) > 16 or (loinc and not all(c.isalnum() or c == "-" for c in loinc)):
        raise InvalidInput("loinc", _("a code is up to 16 letters, digits and hyphens"))
    low_v, high_v = labs.check_range(analyte.to_domain(), low, high)
    if loinc != analyte.loinc:
        analyte.code_status = "program" if loinc else "none"
    analyte.name, analyte.loinc, analyte.low, analyte.high = name, loinc, low_v, high_v
    analyte.active = active
    analyte.save()
    audit.record(actor, _NoPatient(), "update", f"analyte:{analyte.code}"[:64])
    return analyte


@transaction.atomic
def add_analyte(actor: User, *, code: str, name: str, panel: str, kind: str,
                unit: str = "", loinc: str = "") -> LabAnalyte:
    """A new analyte the program tests for (its range is set afterwards)."""
    check_admin(actor)
    code = code.strip().lower()
    if not code or len(code) > 40 or not all(c.isalnum() or c == "-" for c in code):
        raise InvalidInput("code", _("use up to 40 lower-case letters, digits and hyphens"))
    if LabAnalyte.objects.filter(code=code).exists():
        raise InvalidInput("code", _("an analyte with this code already exists"))
    if panel not in labs.PANELS:
        raise InvalidInput("panel", _("choose one of %(p)s") % {"p": ", ".join(labs.PANELS)})
    if kind not in ("qualitative", "quantitative"):
        raise InvalidInput("kind", _("choose qualitative or quantitative"))
    if len(unit.strip()) > 16:
        raise InvalidInput("unit", _("a unit is up to 16 characters"))
    position = (LabAnalyte.objects.aggregate(top=Max("position"))["top"] or 0) + 1
    analyte = LabAnalyte.objects.create(code=code, name=code, panel=panel, kind=kind,
                                        unit=unit.strip(), position=position)
    return update_analyte(actor, analyte, name=name, loinc=loinc, low=None, high=None,
                          active=True)


class _NoPatient:
    """Program-wide audit entries name no patient (audit.log.Patient protocol)."""

    pk = None
    user_id = 0


# --- comfort-medication orders and the administration record (MAR) -----------------------


@transaction.atomic
def create_order(patient: Patient, actor: User, data: Mapping[str, object],
                 hold_rows: Sequence[Mapping[str, object]] = (), *,
                 now: datetime | None = None, via: str = "web") -> MedicationOrder:
    """An order exactly as the clinician entered it (care/mar.py names a wrong field)."""
    now = now or timezone.now()
    check_clinician(actor, patient)
    spec = mar.check_order(data, hold_rows)
    order = MedicationOrder.objects.create(
        patient=patient, generic=spec.generic,
        entered_name=str(data.get("medicine") or "").strip()[:80], dose=spec.dose,
        unit=spec.unit, route=spec.route, kind=spec.kind, times=list(spec.times),
        interval_minutes=spec.interval_minutes, indication=spec.indication,
        cows_at_least=spec.cows_at_least, max_per_24h=spec.max_per_24h,
        hold_rules=[r.as_dict() for r in spec.hold_rules], window_minutes=spec.window_minutes,
        created_by=actor, created_at=now,
    )
    audit.record(actor, patient, "create", f"medication-order:{order.pk}", via=via)
    return order


@transaction.atomic
def stop_order(order: MedicationOrder, actor: User, *, now: datetime | None = None,
               via: str = "web") -> MedicationOrder:
    now = now or timezone.now()
    check_clinician(actor, order.patient)
    if order.stopped_at is not None:
        raise InvalidInput("order", _("this order was already stopped"))
    order.stopped_at = now
    order.save(update_fields=["stopped_at"])
    audit.record(actor, order.patient, "update", f"medication-order:{order.pk}", via=via)
    return order


def dose_context(order: MedicationOrder, at: datetime) -> mar.Context:
    """The latest vitals and COWS at or before `at`, what this order gave in the 24 hours
    before it, and its last dose given."""
    vitals = (VitalSigns.objects.filter(patient=order.patient, taken_at__lte=at)
              .order_by("-taken_at", "-pk").first())
    cows = (InstrumentResponse.objects
            .filter(patient=order.patient, instrument="cows", recorded_at__lte=at)
            .order_by("-recorded_at").values_list("recorded_at", "total").first())
    given = MedicationDose.objects.filter(order=order, outcome="given")
    total = given.filter(at__gt=at - mar.DAY, at__lte=at).aggregate(s=Sum("dose"))["s"]
    last = given.filter(at__lte=at).aggregate(m=Max("at"))["m"]
    local = timezone.localtime  # messages name times as the viewer reads them
    return mar.Context(
        vitals=None if vitals is None else (local(vitals.taken_at), vitals.reading()),
        cows=None if cows is None else (local(cows[0]), cows[1]),
        given_24h=(total or Decimal(0)).quantize(Decimal("0.001")).normalize(),
        last_given=None if last is None else local(last),
    )


@transaction.atomic
def record_dose(order: MedicationOrder, actor: User, *, outcome: str, at: datetime,
                reason: str = "", now: datetime | None = None,
                via: str = "web") -> MedicationDose:
    """A dose given, held or refused at `at`. A dose given is checked against the order's
    24-hour maximum, hold parameters and COWS condition with the latest readings; a refusal
    names the parameter and writes nothing. Held doses need a reason."""
    now = now or timezone.now()
    # Lock the order so two nurses cannot both pass the 24-hour check at once.
    order = MedicationOrder.objects.select_for_update().select_related("patient").get(
        pk=order.pk)
    check_clinician(actor, order.patient)
    check_taken_at("at", at, now)
    if outcome not in mar.OUTCOMES:
        raise InvalidInput("outcome", _("choose one of %(o)s") % {"o": ", ".join(mar.OUTCOMES)})
    reason = reason.strip()
    if len(reason) > mar.TEXT_MAX:
        raise InvalidInput("reason", _("use at most %(n)d characters") % {"n": mar.TEXT_MAX})
    if outcome == "held" and not reason:
        raise InvalidInput("reason", _("say why the dose was held"))
    if order.stopped_at is not None and at >= order.stopped_at:
        raise InvalidInput("order", _("the order was stopped before this time"))
    if at < order.created_at:
        raise InvalidInput("at", _("is before the order was written"))
    spec = order.spec()
    if outcome == "given":
        mar.check_given(spec, timezone.localtime(at), dose_context(order, at))
    dose = MedicationDose.objects.create(
        order=order, patient=order.patient, outcome=outcome, at=at, dose=spec.dose,
        reason=reason, recorded_by=actor, recorded_at=now,
    )
    audit.record(actor, order.patient, "create", f"medication-dose:{dose.pk}", via=via)
    return dose


# --- buprenorphine induction ----------------------------------------------------------------


def induction_threshold() -> int | None:
    """The program's COWS line for the first dose; None until an admin sets it."""
    row = InductionSetting.objects.filter(pk=1).first()
    return None if row is None else row.cows_threshold


@transaction.atomic
def set_induction_threshold(actor: User, raw: object, *, now: datetime | None = None
                            ) -> InductionSetting:
    check_admin(actor)
    value = induction.check_threshold(raw)
    row, _created = InductionSetting.objects.update_or_create(pk=1, defaults={
        "cows_threshold": value, "updated_at": now or timezone.now(), "updated_by": actor})
    audit.record(actor, _NoPatient(), "update", "induction-threshold")
    return row


@transaction.atomic
def save_induction(patient: Patient, actor: User, *, last_uses: Mapping[str, datetime | None],
                   reassess_minutes: object, low_dose: bool, schedule: object,
                   now: datetime | None = None, via: str = "web") -> Induction:
    """The checklist's entries: last use by product, the reassessment interval after each
    dose (blank: none), and the low-dose schedule the clinician writes."""
    now = now or timezone.now()
    check_clinician(actor, patient)
    uses = {product: induction.check_last_use(f"last_{product.replace('-', '')}",
                                              last_uses.get(product), now)
            for product in induction.PRODUCTS}
    try:
        interval = check_interval(reassess_minutes)
    except InvalidInput as error:
        raise InvalidInput("reassess_minutes", error.message) from None
    text = induction.check_schedule(schedule)
    if low_dose and not text:
        raise InvalidInput("schedule", _("write the low-dose schedule, or untick low-dose"))
    row, _created = Induction.objects.update_or_create(patient=patient, defaults={
        "last_leaf": uses["leaf"], "last_extract": uses["extract"], "last_7oh": uses["7-oh"],
        "reassess_minutes": interval, "low_dose": low_dose, "schedule": text,
        "updated_at": now, "updated_by": actor})
    audit.record(actor, patient, "update", "induction", via=via)
    return row
