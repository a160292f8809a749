"""Synthetic demo data for follow-up: reminders that are due on the first run, and a
directory made of clearly fake places (data/referrals_sample.csv)."""

from __future__ import annotations

from datetime import datetime, time
from importlib import resources

from django.utils import timezone

from kratom_recovery.web.followup.models import FollowUpPlan, ReminderPreference
from kratom_recovery.web.followup.referrals.actions import ImportReport, import_csv
from kratom_recovery.web.patients.models import Patient

SAMPLE_CSV = "referrals_sample.csv"


def sample_csv() -> bytes:
    return resources.files("kratom_recovery").joinpath("data", SAMPLE_CSV).read_bytes()


def seed_demo_reminders(patient: Patient, now: datetime | None = None) -> None:
    """Give a demo patient an e-mail address, reminders and a plan anchored on their last
    dose, so the first `send-reminders` run has something to send (day-30 follow-up due)
    and something to alert (days 7 and 14 lack the mood questionnaires)."""
    now = now or timezone.now()
    user = patient.user
    if not user.email:
        user.email = f"{user.username}@example.invalid"
        user.save(update_fields=["email"])
    ReminderPreference.objects.get_or_create(
        patient=patient,
        defaults={"enabled": True, "checkin_time": time(0, 0), "quiet_start": None,
                  "quiet_end": None, "updated_at": now},
    )
    last = patient.last_use_at
    if last is not None:
        FollowUpPlan.objects.get_or_create(
            patient=patient,
            defaults={"anchor": patient.today(last),
                      "anchor_source": "last-dose", "created_at": now},
        )


def seed_demo_directory(now: datetime | None = None) -> ImportReport:
    now = now or timezone.now()
    return import_csv(sample_csv(), source="demo sample (synthetic)", pulled_on=now.date(),
                      actor=None, now=now)
