"""Demo data for the program app: settings, a co-clinician and an on-call rota around now,
so the notifier has someone to tell in the demo. Synthetic people, example.invalid e-mail."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta

from kratom_recovery.care.program_settings import DEFAULT_SETTINGS
from kratom_recovery.web.accounts import actions as account_actions
from kratom_recovery.web.accounts.models import Role, User
from kratom_recovery.web.patients import care_team
from kratom_recovery.web.patients.models import CareTeamMember, Patient
from kratom_recovery.web.program import actions
from kratom_recovery.web.program.hours import DEFAULT_HOURS
from kratom_recovery.web.program.models import OnCallShift, ProgramSettingsRow
from kratom_recovery.web.program.rota import on_call_at

DEMO_ZONE = "America/New_York"  # the demo patients' zone too (web/demo.py)
SHIFT = timedelta(hours=12)


def seed_demo_program(admin: User, clinician: User, password: str, now: datetime) -> None:
    """Idempotent: each part is added only if missing."""
    if not ProgramSettingsRow.objects.exists():
        actions.update_program_settings(
            admin, timezone_name=DEMO_ZONE, hours=DEFAULT_HOURS.to_json(),
            escalation_minutes=15, clinical=asdict(DEFAULT_SETTINGS))
    colleague = User.objects.filter(username="nora").first() or \
        account_actions.create_staff_user("nora", password, Role.CLINICIAN,
                                          "Nora (co-clinician)", "nora@example.invalid")
    first = Patient.objects.filter(care_team__clinician=clinician).order_by("pk").first()
    if first is not None and not CareTeamMember.objects.filter(
            patient=first, clinician=colleague).exists():
        care_team.add_co_clinician(admin, first, colleague)
    if on_call_at(now) is None and not OnCallShift.objects.filter(
            starts_at__lt=now + SHIFT, ends_at__gt=now - SHIFT).exists():
        # Two back-to-back shifts from 12 hours ago: someone is on call for a day.
        start = now.replace(minute=0, second=0, microsecond=0) - SHIFT
        actions.add_shift(admin, start, start + SHIFT * 2, clinician, colleague)
        actions.add_shift(admin, start + SHIFT * 2, start + SHIFT * 4, colleague, clinician)
