"""The patient's calendar: follow-ups, appointments and their daily reminder time.

Event texts are deliberately neutral ("Check-in", "Appointment"): calendars sync to other
services and show on lock screens, so no instrument, substance or clinical note appears.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

import icalendar

from kratom_recovery.care import followup
from kratom_recovery.web.followup.models import Appointment, FollowUpPlan, ReminderPreference
from kratom_recovery.web.patients.models import Patient

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _uid(patient: Patient, what: str) -> str:
    digest = hashlib.sha256(f"{patient.pk}|{what}".encode()).hexdigest()[:20]
    return f"{digest}@check-ins"


def build(patient: Patient, base_url: str, now: datetime) -> bytes:
    """Stable UIDs, so a re-fetch updates events instead of duplicating them."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//check-ins//EN")  # neutral: no app or substance name
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Check-ins")
    stamp = now.astimezone(UTC).replace(microsecond=0)
    plan = FollowUpPlan.objects.filter(patient=patient).first()
    if plan is not None:
        for item in followup.schedule(plan.anchor):
            event = icalendar.Event()
            event.add("uid", _uid(patient, f"followup|{plan.anchor}|{item.day}"))
            event.add("dtstamp", stamp)
            event.add("dtstart", item.due)
            event.add("dtend", item.due + timedelta(days=1))
            event.add("summary", f"Follow-up check-in (day {item.day})")
            event.add("description", f"Open {base_url}/me/follow-up/ . "
                      f"You can do it until {item.last_day.isoformat()}.")
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
    for appointment in Appointment.objects.filter(
        patient=patient, starts_at__gte=now - timedelta(days=30)
    ):
        event = icalendar.Event()
        event.add("uid", _uid(patient, f"appointment|{appointment.pk}"))
        event.add("dtstamp", stamp)
        event.add("dtstart", appointment.starts_at.astimezone(UTC))
        event.add("dtend", appointment.starts_at.astimezone(UTC)
                  + timedelta(minutes=appointment.duration_minutes))
        event.add("summary", f"Appointment ({appointment.get_kind_display()})")
        calendar.add_component(event)
    preference = ReminderPreference.objects.filter(patient=patient, enabled=True).first()
    if preference is not None and preference.weekdays:
        start_day: date = patient.today(now)
        event = icalendar.Event()
        event.add("uid", _uid(patient, "daily-checkin"))
        event.add("dtstamp", stamp)
        event.add("dtstart", datetime.combine(start_day, preference.checkin_time,
                                              tzinfo=patient.zone))
        event.add("duration", timedelta(minutes=5))
        event.add("rrule", {"freq": "weekly",
                            "byday": [WEEKDAY_CODES[d] for d in preference.weekdays]})
        event.add("summary", "Daily check-in")
        event.add("description", f"Open {base_url}/me/checkin/")
        calendar.add_component(event)
    calendar.add_missing_timezones()  # VTIMEZONE for the reminder's TZID (RFC 5545 §3.2.19)
    return bytes(calendar.to_ical())
