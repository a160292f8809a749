"""Which reminders are due now, and sending them exactly once.

Idempotent by construction: each reminder (and each missed-follow-up alert) first claims a
SentReminder row under a unique constraint, inside a transaction with the sending; a second
run, or a concurrent one, finds the row and sends nothing. E-mails carry no health details:
substance-use data is specially protected, and e-mail is read on lock screens.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from kratom_recovery.web.followup.actions import ensure_plan
from kratom_recovery.web.followup.models import FollowUpPlan, ReminderPreference, SentReminder
from kratom_recovery.web.followup.plans import choose_anchor, rows_for
from kratom_recovery.web.patients.models import CheckIn, Patient
from kratom_recovery.web.patients.queries import with_care_team
from kratom_recovery.web.safety.actions import raise_alert

# Missed follow-ups older than this are not alerted (a plan made late, or an old history,
# should not flood the care team). A product choice, not a clinical rule.
MISSED_ALERT_DAYS = 30


@dataclass(frozen=True)
class Reminder:
    patient: Patient
    kind: str  # checkin | followup-due | missed-followup
    key: str
    to: str = ""
    subject: str = ""
    body: str = ""
    day: int = 0


def in_quiet_hours(moment: time, start: time | None, end: time | None) -> bool:
    """Quiet hours may wrap midnight (22:00–07:00); equal start and end means none."""
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def followup_key(anchor: date, day: int) -> str:
    return f"{anchor.isoformat()}:day{day}"


def checkin_email(base_url: str) -> tuple[str, str]:
    return (
        _("Time for your check-in"),
        _("Hello,\n\nThis is the reminder you asked for: it is time for your daily check-in."
          "\n\n%(url)s\n\nYou can change or switch off these reminders here: %(settings)s\n")
        % {"url": f"{base_url}/me/checkin/", "settings": f"{base_url}/me/reminders/"},
    )


def followup_email(base_url: str) -> tuple[str, str]:
    return (
        _("A follow-up check-in is due"),
        _("Hello,\n\nA follow-up check-in is due. It takes a few minutes.\n\n%(url)s\n\n"
          "You can change or switch off these reminders here: %(settings)s\n")
        % {"url": f"{base_url}/me/follow-up/", "settings": f"{base_url}/me/reminders/"},
    )


def plan_for(patient: Patient, now: datetime, dry_run: bool) -> FollowUpPlan | None:
    """The stored plan; made now if missing (in a dry run, an unsaved one)."""
    plan: FollowUpPlan | None = getattr(patient, "followup_plan", None)
    if plan is not None:
        return plan
    if not dry_run:
        return ensure_plan(patient, now)
    chosen = choose_anchor(patient, now)
    return None if chosen is None else FollowUpPlan(patient=patient, anchor=chosen[0],
                                                    anchor_source=chosen[1])


REMINDER_CHUNK = 500


def due(now: datetime, base_url: str, *, dry_run: bool = False) -> Iterator[Reminder]:
    """Every reminder and alert that should go out at `now`, already-sent ones included
    (claim() filters those)."""
    patients = with_care_team(
        Patient.objects.filter(profile__isnull=False, user__is_active=True)
        .select_related("user", "profile", "followup_plan", "reminder_preference")
        .order_by("pk")
    )
    # Streamed a chunk at a time (each chunk's care teams in one query): memory stays flat
    # however many patients the program has.
    for patient in patients.iterator(chunk_size=REMINDER_CHUNK):
        local = patient.local_now(now)
        preference: ReminderPreference | None = getattr(patient, "reminder_preference", None)
        address = preference and (preference.email or patient.user.email)
        can_email = bool(
            preference and preference.enabled and address
            and local.time() >= preference.checkin_time
            and not in_quiet_hours(local.time(), preference.quiet_start, preference.quiet_end)
        )
        if can_email and preference and local.weekday() in preference.weekdays \
                and not CheckIn.objects.filter(patient=patient, local_date=local.date()).exists():
            subject, body = checkin_email(base_url)
            yield Reminder(patient, "checkin", local.date().isoformat(), str(address),
                           subject, body)
        plan = plan_for(patient, now, dry_run)
        if plan is None:
            continue
        for row in rows_for(plan, local.date()):
            key = followup_key(plan.anchor, row.item.day)
            if row.state == "due" and can_email and preference \
                    and preference.followup_reminders:
                subject, body = followup_email(base_url)
                yield Reminder(patient, "followup-due", key, str(address), subject, body,
                               row.item.day)
            elif row.state == "missed" and patient.clinician_id is not None \
                    and (local.date() - row.item.last_day).days <= MISSED_ALERT_DAYS:
                yield Reminder(patient, "missed-followup", key, day=row.item.day)


def already_sent(reminder: Reminder) -> bool:
    return SentReminder.objects.filter(
        patient=reminder.patient, kind=reminder.kind, key=reminder.key).exists()


def claim_and_send(reminder: Reminder, now: datetime) -> bool:
    """Send (or raise) once. The unique row is claimed in the same transaction as the
    sending, so a failed send leaves no row and the next run retries."""
    with transaction.atomic():
        _row, created = SentReminder.objects.get_or_create(
            patient=reminder.patient, kind=reminder.kind, key=reminder.key,
            defaults={"sent_at": now},
        )
        if not created:
            return False
        if reminder.kind == "missed-followup":
            raise_alert(
                reminder.patient, rule="missed-followup", severity="warning",
                patient_message=_("A follow-up check-in was missed. You can still do it, "
                                  "and your care team may get in touch."),
                clinician_message=_("Follow-up day %(day)d was not completed in its window.")
                % {"day": reminder.day},
                actions=["contact-patient"], source="send-reminders", now=now,
            )
        else:
            send_mail(reminder.subject, reminder.body, settings.DEFAULT_FROM_EMAIL,
                      [reminder.to])
    return True


def send_due(now: datetime, base_url: str, *, dry_run: bool = False) -> list[Reminder]:
    """Send what is due and not yet sent; returns what was sent (or would be, in a dry run)."""
    done: list[Reminder] = []
    for reminder in due(now, base_url, dry_run=dry_run):
        if dry_run:
            if not already_sent(reminder):
                done.append(reminder)
        elif claim_and_send(reminder, now):
            done.append(reminder)
    return done


__all__ = ["Reminder", "due", "in_quiet_hours", "send_due"]
