"""Synthetic demo data, built through the real actions. No real person's data, ever.

Check-in totals follow a plausible withdrawal course (rise, peak on days 2–3, fade over a
week, a long low tail) with seeded noise, so the demo looks like real use without being it.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from kratom_recovery.care.taper import amount_on, parse_taper_request, plan_taper
from kratom_recovery.web.accounts import actions as account_actions
from kratom_recovery.web.accounts.models import InviteCode, Role, User
from kratom_recovery.web.bedside.defaults import ensure_default_analytes
from kratom_recovery.web.bedside.demo import seed_demo_bedside
from kratom_recovery.web.exports.demo import seed_demo_discharge
from kratom_recovery.web.followup.demo import seed_demo_directory, seed_demo_reminders
from kratom_recovery.web.followup.models import Referral
from kratom_recovery.web.messaging import actions as messaging_actions
from kratom_recovery.web.patients import actions, hooks
from kratom_recovery.web.patients.contact import parse_contact, update_contact
from kratom_recovery.web.patients.models import CheckIn, Patient
from kratom_recovery.web.program.demo import seed_demo_program
from kratom_recovery.web.recovery import actions as recovery_actions
from kratom_recovery.web.recovery.journal import actions as journal_actions
from kratom_recovery.web.safety.plan.demo import seed_demo_safety_plan
from kratom_recovery.web.tapers import actions as taper_actions

DEMO_PASSWORD = "recovery-demo-2026"
DEMO_DAYS = 30
# Days since quitting per demo patient, so the demo shows every phase: Pat has a full 30 days
# of check-ins, Sam is at the peak, Alex is past it, Jordan is three weeks into a taper.
DAYS_QUIT = (30, 3, 7, 21)
# Jordan (index 3) tapers instead: a 10 %-a-week plan started this many days ago.
TAPER_PATIENT, TAPER_DAYS = 3, 21
# Alex (index 2) shows the second safety pass: dark urine and a fever today, a medicine no
# table knows, daily drinking and a positive AUDIT-C.
LIVER_PATIENT = 2
SELF_HARM_PATIENT = 3  # a self-harm "yes" a few days ago, on the chart's check-in table
NAMES = ["Pat", "Sam", "Alex", "Jordan", "Riley", "Casey", "Morgan", "Jamie", "Taylor", "Drew"]
PROFILES = [
    {"product": "leaf", "amount_per_day": "15", "unit": "g", "doses_per_day": 3,
     "years_of_use": "2", "support": "some", "goal": "stop", "conditions": ["chronic-pain"]},
    {"product": "capsules", "amount_per_day": "8", "unit": "g", "doses_per_day": 2,
     "years_of_use": "1", "support": "strong", "goal": "taper"},
    {"product": "extract", "amount_per_day": "60", "unit": "mg", "doses_per_day": 4,
     "years_of_use": "3", "support": "none", "goal": "stop", "other_substances": ["alcohol"],
     # A made-up name no table knows: the chart shows it as "not recognised, review".
     "medications": ["sertraline", "Calmherb tincture"], "dependence": ["daily-drinking"]},
    {"product": "leaf", "amount_per_day": "30", "unit": "g", "doses_per_day": 5,
     "years_of_use": "6", "support": "some", "goal": "taper", "conditions": ["anxiety"]},
]


def withdrawal_curve(day: float, peak: float) -> float:
    """A smooth synthetic course: gamma-like rise to a peak near day 2.5, then decay to a
    low background of about one point."""
    if day <= 0:
        return 0.0
    shape = (day / 2.5) * math.exp(1 - day / 2.5)
    return float(peak * shape**1.6 + 1.0)


def split_total(rng: random.Random, total: int, items: int, top: int) -> list[int]:
    values = [0] * items
    for _ in range(min(total, items * top)):
        candidates = [i for i, v in enumerate(values) if v < top]
        values[rng.choice(candidates)] += 1
    return values


def checkin_answers(rng: random.Random, day: float, peak: float) -> dict[str, list[object]]:
    expected = withdrawal_curve(day, peak)
    sows_total = max(0, min(64, round(expected + rng.gauss(0, 1 + expected / 8))))
    craving = max(0, min(10, round(sows_total / 4 + rng.gauss(1, 1.2))))
    extra_total = max(0, min(20, round(sows_total / 3 + rng.gauss(2, 1.5))))
    pulse = round(72 + sows_total * 0.6 + rng.gauss(0, 4))
    return {
        "sows": list(split_total(rng, sows_total, 16, 4)),
        "craving": [craving],
        "daily-extra": [*split_total(rng, extra_total, 5, 4), pulse],
    }


def weekly_answers(rng: random.Random, days_since: float, size: int) -> list[int]:
    """PHQ-9 / GAD-7 answers easing over the weeks; PHQ-9 item 9 stays 0 in the demo."""
    level = max(0.0, 1.6 * math.exp(-days_since / 20) + rng.gauss(0.3, 0.25))
    answers = [max(0, min(3, round(level + rng.gauss(0, 0.5)))) for _ in range(size)]
    if size == 9:
        answers[8] = 0
    return answers


def demo_user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


@transaction.atomic
def seed(patients: int = 4, seed: int = 7, now: datetime | None = None) -> list[tuple[str, str]]:
    """Create the demo clinician, admin and patients if missing. Returns (role, username)."""
    now = now or timezone.now()
    rng = random.Random(seed)
    logins: list[tuple[str, str]] = []
    clinician = demo_user("cleo") or account_actions.create_staff_user(
        "cleo", DEMO_PASSWORD, Role.CLINICIAN, "Cleo (clinician)", "cleo@example.invalid"
    )
    logins.append(("clinician", "cleo"))
    admin = demo_user("admin") or account_actions.create_staff_user(
        "admin", DEMO_PASSWORD, Role.ADMIN, "Program admin", "admin@example.invalid")
    logins.append(("admin", "admin"))
    ensure_default_analytes()  # bedside app: the lab list a program starts from
    for index in range(patients):
        name = NAMES[index % len(NAMES)] + ("" if index < len(NAMES) else str(index))
        username = name.lower()
        logins.append(("patient", username))
        if demo_user(username) is not None:
            continue
        invite = account_actions.create_invite(clinician)
        patient = actions.register_patient(username, DEMO_PASSWORD, name, invite.code)
        # The safety rules run once, on each patient's state after their last back-dated
        # write, so the demo's alerts are about where each person is now (and seeding a
        # large demo takes a fraction of the time).
        with hooks.deferred():
            make_history(patient, PROFILES[index % len(PROFILES)], rng, now, index)
            if index == 0:  # bedside app: vitals, serial COWS and a drug screen
                seed_demo_bedside(patient, clinician, now)
                seed_demo_discharge(patient, clinician, now)  # MOUD, naloxone, discharge
            if index in (0, 1):  # a risk rating (Sam's high) and a safety plan
                seed_demo_safety_plan(patient, clinician, now, high=index == 1)
    if not Referral.objects.exists():
        seed_demo_directory(now)  # followup app: the synthetic referral directory
    if not InviteCode.objects.filter(clinician=clinician, used_by=None).exists():
        account_actions.create_invite(clinician)  # an open invite: its link and QR page
    seed_demo_program(admin, clinician, DEMO_PASSWORD, now)  # settings, co-clinician, rota
    logins.append(("clinician", "nora"))
    restart_staff_grace([username for role, username in logins if role != "patient"], now)
    return logins


def restart_staff_grace(usernames: list[str], now: datetime) -> None:
    """Demo staff without a second factor get a fresh two-factor grace period at each seed,
    so someone trying the demo again next week signs in with the password as before."""
    User.objects.filter(username__in=usernames).exclude(
        totpdevice__confirmed=True).update(second_factor_since=now)


def make_history(
    patient: Patient, profile: dict[str, object], rng: random.Random, now: datetime, index: int
) -> None:
    """Onboard some days ago, then a daily check-in on most days since."""
    zone = "America/New_York"
    days = DAYS_QUIT[index] if index < len(DAYS_QUIT) else DEMO_DAYS
    start = now - timedelta(days=days, hours=rng.randint(0, 6))
    last_dose = start - timedelta(hours=10)
    actions.complete_onboarding(
        patient, patient.user,
        {**profile, "last_dose": last_dose.isoformat(), "timezone": zone}, now=start,
    )
    peak = float(14 + 6 * index % 20)
    if index == TAPER_PATIENT:
        peak = 0.0  # tapering, not stopping: make_taper adds the mild step-down days
    for day in range(days):
        if day and rng.random() < 0.12:  # people miss days
            continue
        moment = start + timedelta(days=day, hours=rng.randint(8, 12))
        if moment > now:
            break
        days_since = (moment - last_dose).total_seconds() / 86400
        actions.record_checkin(
            patient, patient.user, checkin_answers(rng, days_since, peak),
            sleep_hours=max(2.0, min(9.0, round(7.5 - peak / 10 * math.exp(-days_since / 4)
                                                + rng.gauss(0, 0.7), 1))),
            mood=max(1, min(5, round(2 + days_since / 10 + rng.gauss(0, 0.6)))),
            note="", self_harm_thoughts=False, now=moment,
        )
        if day % 7 == 0:  # weekly mood and anxiety questionnaires
            for instrument, size in (("phq9", 9), ("gad7", 7)):
                actions.record_questionnaire(patient, patient.user, instrument,
                                             weekly_answers(rng, days_since, size),
                                             now=moment + timedelta(minutes=5))
    if index == 0:
        make_quick_checkin(patient, start, days, now)
    if index == TAPER_PATIENT:
        make_taper(patient, rng, now)
    if index == LIVER_PATIENT:
        make_liver_day(patient, rng, now, (now - last_dose).total_seconds() / 86400, peak)
    if index == SELF_HARM_PATIENT:
        make_self_harm_day(patient, now)
    if index == 0:
        make_recovery_records(patient, now)
        make_contact_and_thread(patient, now)
    seed_demo_reminders(patient, now)  # followup app: reminders due on the first run


def make_quick_checkin(patient: Patient, start: datetime, days: int, now: datetime) -> None:
    """A bad night: on the latest missed day of the last week, the quick check-in (safety
    questions and craving only, a partial check-in the forecast leaves out)."""
    done = set(CheckIn.objects.filter(patient=patient).values_list("local_date", flat=True))
    for day in range(days - 1, max(days - 8, 0), -1):
        moment = start + timedelta(days=day, hours=9)
        if moment <= now and patient.today(moment) not in done:
            actions.record_checkin(patient, patient.user, {"craving": [7]},
                                   self_harm_thoughts=False, now=moment)
            return


def make_self_harm_day(patient: Patient, now: datetime) -> None:
    """Jordan four days ago: a bad night with thoughts of self-harm answered "yes" and
    fainting, added to that day's check-in (the chart's check-in table shows both)."""
    moment = now - timedelta(days=4)
    actions.record_checkin(patient, patient.user, {"craving": [6]}, self_harm_thoughts=True,
                           danger_symptoms=["fainting"], now=moment)


def make_liver_day(patient: Patient, rng: random.Random, now: datetime, days_since: float,
                   peak: float) -> None:
    """Alex today: dark urine and a measured fever (the liver-injury and fever flags, whose
    first actions are the care team and a same-day check, not a crisis line), and an AUDIT-C
    above the cut-off (risky drinking)."""
    actions.record_questionnaire(patient, patient.user, "audit-c", [3, 2, 1],
                                 now=now - timedelta(hours=2))
    actions.record_checkin(
        patient, patient.user, checkin_answers(rng, days_since, peak),
        danger_symptoms=["dark-urine"], temperature_c="38.3", self_harm_thoughts=False,
        now=now - timedelta(hours=1),
    )


def make_recovery_records(patient: Patient, now: datetime) -> None:
    """Pat's own recovery tools, filled in as a person a month in might have them."""
    user = patient.user
    recovery_actions.save_recovery_settings(patient, user, price_per_unit="0.60",
                                            price_unit="g", now=now - timedelta(days=28))
    recovery_actions.save_relapse_plan(
        patient, user,
        triggers=["Afternoon slump at work", "Back pain flaring up", "Arguments at home"],
        warning_signs=["Skipping my check-in", "Telling myself one dose won't matter"],
        coping_actions=["Walk around the block, then decide", "Warm shower and stretching",
                        "Text my sister before buying anything"],
        people=[{"name": "Sister (synthetic)", "phone": "555-0100"},
                {"name": "Crisis line", "phone": "988"}],
        reasons=["Sleep through the night again", "Stop spending on it"],
        now=now - timedelta(days=25),
    )
    for days_ago, shared, mood, text in (
        (26, False, 2, "Day four. Legs restless all night; the warm shower helped a bit."),
        (12, True, 3, "Two weeks. Energy is coming back in the mornings."),
        (2, True, 4, "Cravings mostly at 3 pm. Walking after lunch takes the edge off."),
    ):
        journal_actions.add_journal_entry(patient, user, text=text, mood=mood,
                                           shared=shared, now=now - timedelta(days=days_ago))
    for entry_id, helped in (("warm-bath", True), ("gentle-movement", True),
                             ("gentle-movement", True), ("distraction", False)):
        recovery_actions.record_coping_feedback(patient, user, entry_id, helped,
                                                now=now - timedelta(days=20))


def make_contact_and_thread(patient: Patient, now: datetime) -> None:
    """Synthetic contact details (reserved 555-01xx numbers, example.invalid) and a short
    thread with the care team, the last answer unread. No notices are sent."""
    update_contact(patient, patient.user, parse_contact({
        "phone": "+1 202 555 0147", "email": f"{patient.user.username}@example.invalid",
        "emergency_name": "Robin (demo)", "emergency_phone": "+1 202 555 0199",
        "emergency_relationship": "sister", "emergency_consent": True,
    }), now=now - timedelta(days=20))
    clinician = patient.clinician
    if clinician is None:
        return
    thread = [
        (patient.user, 3, "Sleep is still rough at night. Is that expected this far in?"),
        (clinician, 2, "Yes, poor sleep often lasts a few weeks after the first days. "
                       "Let's talk about it at your next visit."),
        (patient.user, 1, "Thanks. Could we move that visit to the afternoon?"),
        (clinician, 0, "Afternoon works. See you Thursday at 3."),
    ]
    for author, days_ago, body in thread:
        moment = now - timedelta(days=days_ago, hours=2)
        messaging_actions.send_message(patient, author, body, now=moment, notify=False)
        messaging_actions.mark_read(patient, author, now=moment)


def make_taper(patient: Patient, rng: random.Random, now: datetime) -> None:
    """A taper started TAPER_DAYS ago, followed closely, with each day's doses logged."""
    profile = patient.profile
    start = patient.today(now - timedelta(days=TAPER_DAYS))
    record = taper_actions.start_taper(patient, patient.user, {
        "product": profile.product, "amount_per_day": str(profile.amount_per_day),
        "unit": profile.unit, "doses_per_day": profile.doses_per_day,
        "years_of_use": str(profile.years_of_use), "strategy": "percent",
        "rate_percent": "10", "step_days": 7, "start": start.isoformat(),
    }, now=now - timedelta(days=TAPER_DAYS))
    plan = plan_taper(parse_taper_request(record.request))
    for offset in range(1, TAPER_DAYS):
        day = start + timedelta(days=offset)
        per_dose = amount_on(plan, day) / profile.doses_per_day
        for dose in range(profile.doses_per_day):
            moment = datetime(day.year, day.month, day.day,
                              7 + 15 * dose // profile.doses_per_day,
                              tzinfo=patient.zone) + timedelta(minutes=rng.randint(0, 50))
            if moment >= now:
                return
            taper_actions.log_dose(record, patient.user, taken_at=moment.isoformat(),
                                   amount=str(round(per_dose, 1)), now=moment)
