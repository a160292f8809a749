"""Every write for follow-up, appointments, reminder settings and calendar feeds.

Each runs in a transaction and audits access by anyone other than the patient.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.common.hashing import hash_secret, new_secret
from kratom_recovery.web.common.text import check_text
from kratom_recovery.web.followup.models import (
    APPOINTMENT_KINDS,
    Appointment,
    CalendarFeed,
    FollowUpPlan,
    ReminderPreference,
)
from kratom_recovery.web.followup.plans import choose_anchor
from kratom_recovery.web.patients.access import is_clinician_of
from kratom_recovery.web.patients.models import Patient

TOKEN_BYTES = 32  # 256 bits: not guessable, so the URL alone may grant read access


def ensure_plan(patient: Patient, now: datetime | None = None) -> FollowUpPlan | None:
    """The patient's plan, made at onboarding (plan_after_onboarding) or, for a record from
    before that, on first need from their current anchor; None before onboarding. The anchor
    is then kept, so the schedule does not drift."""
    existing: FollowUpPlan | None = getattr(patient, "followup_plan", None)
    if existing is not None:
        return existing
    now = now or timezone.now()
    chosen = choose_anchor(patient, now)
    if chosen is None:
        return None
    anchor, source = chosen
    with transaction.atomic():
        plan, _created = FollowUpPlan.objects.get_or_create(
            patient=patient, defaults={"anchor": anchor, "anchor_source": source,
                                       "created_at": now},
        )
    return plan


def plan_after_onboarding(patient: Patient, actor: User | None, now: datetime,
                          source: str) -> None:
    """After-write hook: onboarding anchors the schedule (the first page after it would
    otherwise make the plan on a read)."""
    if source == "onboarding":
        ensure_plan(patient, now)


@transaction.atomic
def set_anchor(
    patient: Patient, actor: User, anchor: object, *, now: datetime | None = None
) -> FollowUpPlan:
    """A clinician restarts the schedule from a date they choose (e.g. after a lapse)."""
    now = now or timezone.now()
    if isinstance(anchor, datetime) or not isinstance(anchor, date):
        raise InvalidInput("anchor", _("must be a date"))
    today = patient.today(now)
    if abs((anchor - today).days) > 365:
        raise InvalidInput("anchor", _("must be within a year of today"))
    plan, _created = FollowUpPlan.objects.update_or_create(
        patient=patient,
        defaults={"anchor": anchor, "anchor_source": "set-by-clinician", "created_at": now},
    )
    audit.record(actor, patient, "update", f"followup-plan:{plan.pk}")
    return plan


@transaction.atomic
def add_appointment(
    patient: Patient, clinician: User, *, starts_at: object, kind: str, note: str = "",
    duration_minutes: object = 30, now: datetime | None = None,
) -> Appointment:
    """A clinician books a follow-up appointment for a patient on their caseload."""
    now = now or timezone.now()
    if not is_clinician_of(clinician, patient):
        raise InvalidInput("patient", _("only the patient's own clinician can book"))
    if not isinstance(starts_at, datetime) or starts_at.tzinfo is None:
        raise InvalidInput("starts_at", _("must be a date and time"))
    if starts_at < now:
        raise InvalidInput("starts_at", _("must be in the future"))
    if (starts_at - now).days > 366:
        raise InvalidInput("starts_at", _("must be within a year"))
    if kind not in APPOINTMENT_KINDS:
        raise InvalidInput("kind", _("choose one of: %(kinds)s") % {
            "kinds": ", ".join(APPOINTMENT_KINDS)})
    if isinstance(duration_minutes, bool) or not isinstance(duration_minutes, int) \
            or not 5 <= duration_minutes <= 480:
        raise InvalidInput("duration_minutes", _("a whole number of minutes from 5 to 480"))
    appointment = Appointment.objects.create(
        patient=patient, starts_at=starts_at, kind=kind, note=check_text("note", note),
        duration_minutes=duration_minutes, created_by=clinician, created_at=now,
    )
    audit.record(clinician, patient, "create", f"appointment:{appointment.pk}")
    return appointment


@transaction.atomic
def save_reminder_preference(
    patient: Patient, actor: User, data: Mapping[str, Any], *, now: datetime | None = None
) -> ReminderPreference:
    """Store the person's own reminder settings (they may switch reminders off)."""
    now = now or timezone.now()
    weekdays = sorted({int(d) for d in data.get("weekdays") or []})
    if any(not 0 <= d <= 6 for d in weekdays):
        raise InvalidInput("weekdays", _("days are Monday (0) to Sunday (6)"))
    enabled = bool(data.get("enabled"))
    if enabled and not weekdays:
        raise InvalidInput("weekdays", _("choose at least one day, or switch reminders off"))
    checkin_time = data.get("checkin_time")
    if not isinstance(checkin_time, time):
        raise InvalidInput("checkin_time", _("is required"))
    quiet_start, quiet_end = data.get("quiet_start"), data.get("quiet_end")
    if (quiet_start is None) != (quiet_end is None):
        raise InvalidInput("quiet_end", _("give both a start and an end, or neither"))
    email = str(data.get("email") or "").strip()
    if enabled and not (email or patient.user.email):
        raise InvalidInput("email", _("an e-mail address is needed to send reminders"))
    preference, created = ReminderPreference.objects.update_or_create(
        patient=patient,
        defaults={
            "enabled": enabled, "checkin_time": checkin_time, "weekdays": weekdays,
            "quiet_start": quiet_start, "quiet_end": quiet_end, "email": email,
            "followup_reminders": bool(data.get("followup_reminders")), "updated_at": now,
        },
    )
    audit.record(actor, patient, "create" if created else "update", "reminder-preference")
    return preference


@transaction.atomic
def new_feed_token(patient: Patient, actor: User, *, now: datetime | None = None) -> str:
    """Make (or replace) the secret calendar URL; returns the token, which is not stored."""
    token = new_secret(TOKEN_BYTES)
    CalendarFeed.objects.update_or_create(
        patient=patient,
        defaults={"token_hash": hash_secret(token), "created_at": now or timezone.now(),
                  "last_used_at": None},
    )
    audit.record(actor, patient, "update", "calendar-feed")
    return token


@transaction.atomic
def revoke_feed(patient: Patient, actor: User) -> bool:
    deleted, _rows = CalendarFeed.objects.filter(patient=patient).delete()
    audit.record(actor, patient, "delete", "calendar-feed")
    return bool(deleted)


def feed_patient(token: str) -> Patient | None:
    """The patient whose feed this token opens, or None."""
    if not token or len(token) > 100:
        return None
    feed = (CalendarFeed.objects.select_related("patient", "patient__user")
            .filter(token_hash=hash_secret(token)).first())
    if feed is None or not feed.patient.user.is_active:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.patient
