"""The only writers of taper plans and doses taken.

Each function runs in a transaction, validates through the pure planner (InvalidInput names
the field), writes the audit entry when someone other than the patient acts, and calls the
after-write hooks so the safety engine sees every change.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.profile import MAX_AMOUNT_PER_DAY, check_number, parse_datetime
from kratom_recovery.care.signoff import SignoffReason, taper_needs_signoff
from kratom_recovery.care.taper import (
    MAX_MEDICATION_AMOUNT,
    TaperRequest,
    checked_plan,
    parse_taper_request,
)
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.common.text import check_text
from kratom_recovery.web.patients.access import is_clinician_of
from kratom_recovery.web.patients.actions import note_use
from kratom_recovery.web.patients.hooks import after_write
from kratom_recovery.web.patients.models import Patient
from kratom_recovery.web.tapers import plans
from kratom_recovery.web.tapers.models import DoseTaken, TaperPlanRecord, TaperSignoff

# Keys of parse_taper_request() that are stored; anything else in `data` is ignored.
REQUEST_KEYS = (
    "kind", "name", "product", "amount_per_day", "unit", "doses_per_day", "strategy",
    "rate_percent", "step_days", "precision", "jump_off", "start", "years_of_use", "as_needed",
    "confirm_large_cuts",
)
SCHEDULES = ("fixed", "as-needed")
MAX_REASON = 1000
MAX_HOLD_DAYS = 90  # input sanity, like the planner's longest step


def _json_value(value: object) -> object:
    if isinstance(value, Decimal | float):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def stored_request(data: Mapping[str, Any]) -> tuple[dict[str, object], TaperRequest]:
    """The request as given (so re-parsing repeats the same notes), and the parsed request.

    Plans longer than the planner allows, and medicine plans with unconfirmed cuts over 25% a
    step, are refused here, not when the page is shown."""
    raw = {k: _json_value(data[k]) for k in REQUEST_KEYS if data.get(k) not in (None, "")}
    request = parse_taper_request(raw)
    checked_plan(request)
    return raw, request


def signoff_reasons(patient: Patient, product: str | None) -> tuple[SignoffReason, ...]:
    """Why a taper of `product` needs a clinician's sign-off for this patient (care.signoff)."""
    profile = getattr(patient, "profile", None)
    return taper_needs_signoff(profile.to_domain() if profile is not None else None,
                               plan_product=product)


def missing_signoff(patient: Patient, product: str | None) -> tuple[SignoffReason, ...]:
    """The sign-off reasons the patient's current sign-off (if any) does not cover."""
    needed = signoff_reasons(patient, product)
    if not needed:
        return ()
    current = TaperSignoff.objects.filter(patient=patient, withdrawn_at=None).first()
    covered = set(current.reasons) if current is not None else set()
    return tuple(r for r in needed if r.id not in covered)


def _check_signoff(patient: Patient, actor: User, product: str | None) -> None:
    """A patient's own taper waits for a clinician's sign-off when one is needed."""
    if actor.pk != patient.user_id:
        return  # the clinician starting it is the sign-off
    missing = missing_signoff(patient, product)
    if missing:
        raise InvalidInput("signoff", _(
            "This taper needs your clinician's sign-off before it can start. %(reasons)s "
            "Please ask your care team to sign it off; then you can start it here."
        ) % {"reasons": " ".join(r.text for r in missing)})


def _check_active(record: TaperPlanRecord) -> None:
    if not record.active:
        raise InvalidInput("taper", _("this plan has been stopped or replaced"))


def _check_clinician(patient: Patient, actor: User) -> None:
    """Medicines and edits are the patient's own clinician's (views check this too)."""
    if not is_clinician_of(actor, patient):
        raise PermissionDenied


def _reason(text: str, *, required: bool) -> str:
    reason = check_text("change_reason", text, MAX_REASON)
    if required and not reason:
        raise InvalidInput("change_reason", _("please say why the plan changes; the patient "
                                              "sees it"))
    return reason


def _write_after(patient: Patient, actor: User, now: datetime, action: str,
                 target: str) -> None:
    audit.record(actor, patient, action, target)
    after_write(patient, actor, now, "taper")


@transaction.atomic
def start_taper(
    patient: Patient, actor: User, data: Mapping[str, Any], *, now: datetime | None = None
) -> TaperPlanRecord:
    """Start a kratom taper (the patient, or their clinician). One kratom taper at a time."""
    now = now or timezone.now()
    if actor.pk != patient.user_id:
        _check_clinician(patient, actor)
    raw, request = stored_request({**data, "kind": "kratom", "name": ""})
    _check_signoff(patient, actor, request.product)
    if TaperPlanRecord.objects.select_for_update().filter(
        patient=patient, kind="kratom", active=True
    ).exists():
        raise InvalidInput("taper", _("a kratom taper is already running; stop it first"))
    record = TaperPlanRecord.objects.create(
        patient=patient, kind="kratom", name=request.name, request=raw, version=1,
        created_by=actor, created_at=now, change_reason="",
    )
    _write_after(patient, actor, now, "create", f"taper:{record.pk}")
    return record


@transaction.atomic
def record_medication_plan(
    patient: Patient,
    actor: User,
    data: Mapping[str, Any],
    *,
    schedule: str = "fixed",
    now: datetime | None = None,
) -> TaperPlanRecord:
    """A clinician's medication schedule, tapered by the same planner (no shipped defaults).

    `schedule` is "fixed" or "as-needed"; as-needed needs the symptom rule in `as_needed`.
    """
    now = now or timezone.now()
    _check_clinician(patient, actor)
    schedule = _schedule(schedule, data)
    raw, request = stored_request({**data, "kind": "medication", "product": None})
    record = TaperPlanRecord.objects.create(
        patient=patient, kind="medication", name=request.name, schedule=schedule, request=raw,
        version=1, created_by=actor, created_at=now, change_reason="",
    )
    _write_after(patient, actor, now, "create", f"taper:{record.pk}")
    return record


def _schedule(schedule: str, data: Mapping[str, Any]) -> str:
    if schedule not in SCHEDULES:
        raise InvalidInput("schedule", _("must be fixed or as-needed"))
    if schedule == "as-needed" and not str(data.get("as_needed") or "").strip():
        raise InvalidInput("as_needed", _("an as-needed medicine needs its symptom rule"))
    return schedule


@transaction.atomic
def edit_taper(
    record: TaperPlanRecord,
    actor: User,
    changes: Mapping[str, Any],
    *,
    reason: str,
    from_today: bool = False,
    hold_days: int = 0,
    schedule: str | None = None,
    now: datetime | None = None,
) -> TaperPlanRecord:
    """Save a new version of the plan (the clinician's), keeping the old one with its reason.

    `changes` overrides fields of the current request. With `from_today`, the new schedule
    starts from the amount planned for today, today, or after `hold_days` days at that
    amount (a hold the clinician decides, recorded with its reason).
    """
    now = now or timezone.now()
    patient = record.patient
    _check_clinician(patient, actor)
    record = TaperPlanRecord.objects.select_for_update().get(pk=record.pk)
    _check_active(record)
    reason = _reason(reason, required=True)
    hold = int(check_number("hold_days", hold_days or 0, low=0, high=MAX_HOLD_DAYS, integer=True))
    data: dict[str, Any] = {**record.request, **changes, "kind": record.kind}
    if "confirm_large_cuts" not in changes:
        data.pop("confirm_large_cuts", None)  # each version confirms its own large cuts
    if record.kind == "kratom":
        data["name"] = ""
    if hold and not from_today:
        raise InvalidInput("hold_days", _("a hold starts from today's amount; choose "
                                          "'continue from today'"))
    if from_today:
        today = patient.today(now)
        shown = plans.show(patient, record.series, now)
        amount = shown.current.planned_on(today)
        if not amount:
            raise InvalidInput("amount_per_day", _("nothing is planned for today, so the plan "
                                                   "cannot continue from today's amount"))
        data["amount_per_day"] = str(amount)
        data["start"] = (today + timedelta(days=hold)).isoformat()
    new_schedule = _schedule(schedule or record.schedule, data)
    raw, request = stored_request(data)
    record.active = False
    record.save(update_fields=["active"])
    new = TaperPlanRecord.objects.create(
        patient=patient, series=record.series, kind=record.kind, name=request.name,
        schedule=new_schedule, request=raw, version=record.version + 1, created_by=actor,
        created_at=now, change_reason=reason,
    )
    _write_after(patient, actor, now, "update", f"taper:{new.pk}")
    return new


@transaction.atomic
def stop_taper(
    record: TaperPlanRecord, actor: User, *, reason: str = "", now: datetime | None = None
) -> TaperPlanRecord:
    """Stop following a plan. The patient may stop their kratom taper; medicines are the
    clinician's to stop. History stays."""
    now = now or timezone.now()
    patient = record.patient
    if not (record.kind == "kratom" and actor.pk == patient.user_id):
        _check_clinician(patient, actor)
    record = TaperPlanRecord.objects.select_for_update().get(pk=record.pk)
    _check_active(record)
    record.active = False
    record.stopped_at = now
    record.change_reason = record.change_reason or ""
    if reason:
        record.change_reason = (record.change_reason + "\n" if record.change_reason else "") + (
            _("Stopped: %(reason)s") % {"reason": _reason(reason, required=False)}
        )
    record.save(update_fields=["active", "stopped_at", "change_reason"])
    _write_after(patient, actor, now, "update", f"taper-stop:{record.pk}")
    return record


@transaction.atomic
def log_dose(
    record: TaperPlanRecord,
    actor: User,
    *,
    taken_at: object,
    amount: object,
    note: str = "",
    now: datetime | None = None,
) -> DoseTaken:
    """Record a dose taken on a plan; 0 records a day with none taken."""
    now = now or timezone.now()
    patient = record.patient
    if actor.pk != patient.user_id:
        _check_clinician(patient, actor)
    _check_active(record)
    moment = parse_datetime("taken_at", taken_at, now=now)
    request = parse_taper_request(record.request)
    high = MAX_AMOUNT_PER_DAY[request.unit] if record.kind == "kratom" else MAX_MEDICATION_AMOUNT
    value = check_number("amount", amount, low=0, high=high, decimals=4)  # DoseTaken.amount
    first = TaperPlanRecord.objects.filter(series=record.series).order_by("version").first()
    assert first is not None
    first.patient = patient
    begins = plans.effective_date(first, parse_taper_request(first.request), True)
    if patient.today(moment) < begins:
        raise InvalidInput("taken_at", _("is before this plan began on %(date)s")
                           % {"date": begins.isoformat()})
    dose = DoseTaken.objects.create(
        patient=patient, plan=record, taken_at=moment, amount=Decimal(str(round(value, 4))),
        unit=request.unit, note=check_text("note", note), created_at=now, created_by=actor,
    )
    if record.kind == "kratom" and value > 0:
        note_use(patient, moment)
    _write_after(patient, actor, now, "create", f"dose:{dose.pk}")
    return dose


@transaction.atomic
def sign_off_taper(
    patient: Patient, actor: User, *, note: str = "", now: datetime | None = None
) -> TaperSignoff:
    """The patient's clinician lets them start their own taper despite the sign-off reasons
    (pregnancy, age 12–17, a 7-OH product). Covers the reasons that apply now plus 7-OH;
    a later reason (say, a new pregnancy) needs a new sign-off. Audited."""
    now = now or timezone.now()
    _check_clinician(patient, actor)
    reasons = sorted({r.id for r in signoff_reasons(patient, "7-oh")})
    TaperSignoff.objects.filter(patient=patient, withdrawn_at=None).update(withdrawn_at=now)
    signoff = TaperSignoff.objects.create(
        patient=patient, signed_by=actor, signed_at=now, reasons=reasons,
        note=check_text("note", note, MAX_REASON),
    )
    _write_after(patient, actor, now, "create", f"taper-signoff:{signoff.pk}")
    return signoff


@transaction.atomic
def withdraw_taper_signoff(patient: Patient, actor: User, *,
                           now: datetime | None = None) -> int:
    """Withdraw the current sign-off: tapers already running go on; new ones wait. Audited."""
    now = now or timezone.now()
    _check_clinician(patient, actor)
    withdrawn = TaperSignoff.objects.filter(patient=patient, withdrawn_at=None).update(
        withdrawn_at=now)
    if withdrawn:
        _write_after(patient, actor, now, "update", "taper-signoff-withdrawn")
    return withdrawn
