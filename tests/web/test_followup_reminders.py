"""`send-reminders`: due reminders go out once, respect the person's settings, carry no
health details, and missed follow-ups alert the clinician once."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.core import mail

from kratom_recovery.cli import main
from kratom_recovery.web.followup.models import FollowUpPlan, ReminderPreference, SentReminder
from kratom_recovery.web.followup.reminders import in_quiet_hours
from kratom_recovery.web.patients import actions as patient_actions
from kratom_recovery.web.safety.actions import acknowledge_alert
from kratom_recovery.web.safety.models import Alert

pytestmark = pytest.mark.django_db

ZONE_NOW = "2026-11-20T19:30:00-05:00"  # Friday, 19:30 in Pat's zone (America/New_York)


def prefs(patient: Any, **overrides: Any) -> ReminderPreference:
    patient.user.email = f"{patient.user.username}@example.invalid"
    patient.user.save()
    fields: dict[str, Any] = {"enabled": True, "checkin_time": time(19, 0),
                              "quiet_start": time(22, 0), "quiet_end": time(7, 0)}
    fields.update(overrides)
    return ReminderPreference.objects.create(patient=patient, **fields)


def run(*extra: str, now: str = ZONE_NOW) -> int:
    return main(["send-reminders", "--now", now, "--base-url", "https://app.example.invalid",
                 *extra])


def test_checkin_reminder_sent_once(pat: Any, capsys: Any) -> None:
    prefs(pat)
    # schedule long over
    FollowUpPlan.objects.update_or_create(patient=pat, defaults={"anchor": date(2026, 1, 1)})
    assert run() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["pat@example.invalid"]
    assert "https://app.example.invalid/me/checkin/" in mail.outbox[0].body
    assert "sent e-mail: checkin for pat" in capsys.readouterr().out
    assert run() == 0
    assert run(now="2026-11-20T21:00:00-05:00") == 0
    assert len(mail.outbox) == 1
    assert SentReminder.objects.filter(patient=pat, kind="checkin").count() == 1
    run(now="2026-11-21T19:30:00-05:00")  # next day: a new reminder
    assert len(mail.outbox) == 2


def test_followup_due_reminder_once_with_checkin(pat: Any) -> None:
    prefs(pat)
    # day 14 due 20 Nov
    FollowUpPlan.objects.update_or_create(patient=pat, defaults={"anchor": date(2026, 11, 6)})
    run()
    run()
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == ["A follow-up check-in is due", "Time for your check-in"]


@pytest.mark.parametrize(
    ("now", "overrides", "sent"),
    [
        (ZONE_NOW, {}, 1),
        ("2026-11-20T18:59:00-05:00", {}, 0),  # before their time
        ("2026-11-20T23:00:00-05:00", {}, 0),  # quiet hours 22:00-07:00
        ("2026-11-21T06:30:00-05:00", {"checkin_time": time(6, 0)}, 0),  # quiet, after midnight
        ("2026-11-21T07:00:00-05:00", {"checkin_time": time(6, 0)}, 1),  # quiet hours over
        ("2026-11-20T23:00:00-05:00", {"quiet_start": None, "quiet_end": None}, 1),
        (ZONE_NOW, {"enabled": False}, 0),
        (ZONE_NOW, {"weekdays": [0, 1, 2, 3]}, 0),  # Friday not chosen
        ("2026-11-21T00:30:00+00:00", {}, 1),  # 19:30 New York, past midnight UTC
    ],
)
def test_reminder_respects_settings(pat: Any, now: str, overrides: dict[str, Any],
                                    sent: int) -> None:
    prefs(pat, **overrides)
    FollowUpPlan.objects.update_or_create(patient=pat, defaults={"anchor": date(2026, 1, 1)})
    run(now=now)
    assert len(mail.outbox) == sent


def test_no_reminder_after_checking_in(pat: Any) -> None:
    prefs(pat)
    FollowUpPlan.objects.update_or_create(patient=pat, defaults={"anchor": date(2026, 1, 1)})
    patient_actions.record_checkin(pat, pat.user, {"sows": [0] * 16, "craving": [1]},
                                   now=datetime.fromisoformat("2026-11-20T10:00:00-05:00"))
    run()
    assert mail.outbox == []


def test_no_email_address_no_reminder(pat: Any) -> None:
    ReminderPreference.objects.create(patient=pat, enabled=True, checkin_time=time(19, 0))
    run()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("moment", "start", "end", "quiet"),
    [
        (time(23), time(22), time(7), True), (time(6, 59), time(22), time(7), True),
        (time(7), time(22), time(7), False), (time(12), time(13), time(14), False),
        (time(13, 30), time(13), time(14), True), (time(3), None, None, False),
        (time(3), time(5), time(5), False),
    ],
)
def test_quiet_hours(moment: time, start: time | None, end: time | None, quiet: bool) -> None:
    assert in_quiet_hours(moment, start, end) is quiet


def test_emails_carry_no_health_details(pat: Any) -> None:
    prefs(pat)
    FollowUpPlan.objects.update_or_create(patient=pat, defaults={"anchor": date(2026, 11, 6)})
    run()
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        text = (str(message.subject) + str(message.body)).lower()
        for word in ("kratom", "withdraw", "phq", "gad", "sows", "crav", "mood", "anxiety",
                     "dose", "drug", "opioid", "substance", "taper", "recovery", "pat"):
            assert word not in text.replace("pat@", ""), word


def test_missed_followup_alerts_clinician_once(pat: Any, cleo: Any) -> None:
    # day 7 due 15 Nov (window ends 17 Nov); day 14 due 22 Nov (window ends 25 Nov)
    FollowUpPlan.objects.update_or_create(patient=pat, defaults={"anchor": date(2026, 11, 8)})
    run()
    alerts = Alert.objects.filter(patient=pat, rule="missed-followup")
    assert alerts.count() == 1 and alerts.get().severity == "warning"
    assert "day 7" in alerts.get().clinician_message
    acknowledge_alert(alerts.get(), cleo, "Called Pat")
    run()  # the same missed follow-up is not alerted again
    assert alerts.count() == 1
    run(now="2026-11-25T12:00:00-05:00")  # day 14 still inside its window
    assert alerts.count() == 1
    run(now="2026-11-26T12:00:00-05:00")  # day 14 now missed: a new alert
    assert alerts.count() == 2
    assert mail.outbox == []  # alerts are not e-mailed to the patient


def test_no_alert_without_clinician(make_patient: Any) -> None:
    solo = make_patient("solo", None)
    FollowUpPlan.objects.update_or_create(patient=solo, defaults={"anchor": date(2026, 11, 1)})
    run()
    assert not Alert.objects.filter(rule="missed-followup").exists()


def test_command_makes_missing_plans(pat: Any) -> None:
    FollowUpPlan.objects.filter(patient=pat).delete()  # a record from before onboarding made one
    run()
    assert FollowUpPlan.objects.filter(patient=pat).exists()


def test_dry_run_sends_and_writes_nothing(pat: Any, capsys: Any) -> None:
    prefs(pat)
    FollowUpPlan.objects.update_or_create(patient=pat, defaults={"anchor": date(2026, 11, 1)})
    assert run("--dry-run") == 0
    out = capsys.readouterr().out
    assert "would send e-mail: checkin for pat" in out
    assert "would send alert: missed-followup for pat" in out
    assert mail.outbox == [] and not SentReminder.objects.exists()
    assert not Alert.objects.exists()


def test_row_claimed_by_another_run_is_not_sent_again(pat: Any) -> None:
    prefs(pat)
    FollowUpPlan.objects.update_or_create(patient=pat, defaults={"anchor": date(2026, 1, 1)})
    SentReminder.objects.create(patient=pat, kind="checkin", key="2026-11-20")
    run()
    assert mail.outbox == []


def test_failed_send_is_retried(pat: Any, monkeypatch: Any) -> None:
    prefs(pat)
    FollowUpPlan.objects.update_or_create(patient=pat, defaults={"anchor": date(2026, 1, 1)})

    def broken(*args: Any, **kwargs: Any) -> int:
        raise OSError("mail server down")

    monkeypatch.setattr("kratom_recovery.web.followup.reminders.send_mail", broken)
    with pytest.raises(OSError):
        run()
    assert not SentReminder.objects.exists()
    monkeypatch.undo()
    run()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(("args", "field"), [
    (["--now", "yesterday"], "--now"),
    (["--now", "2026-11-20T19:30:00"], "--now"),
    (["--base-url", "ftp://x"], "--base-url"),
])
def test_bad_arguments(args: list[str], field: str, capsys: Any, db: None) -> None:
    assert main(["send-reminders", *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and field in captured.err


def test_anchor_fallback_used_by_command_is_labelled(pat: Any) -> None:
    run(now=(datetime.fromisoformat(ZONE_NOW) + timedelta(days=1)).isoformat())
    assert FollowUpPlan.objects.get(patient=pat).anchor_source == "acute-end-forecast"
