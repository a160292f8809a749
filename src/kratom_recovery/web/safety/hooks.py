"""What higher apps add to alerts without safety importing them (docs/architecture.md).

- `on_alert_raised`: called with each new alert inside the transaction that raised it (the
  notifier queues its delivery for after the commit).
- `register_alert_section`: a card on the clinician's alert page (the notifier shows who was
  told, when, and on which channel).
- `register_crisis_line`: a part of the patient's crisis card (the notifier says whether the
  care team was really told: sending…, sent at 21:04, or not yet delivered).
- `on_triage_changed`: called with the patient inside the transaction after each stored
  evaluation (every write and the sweep), each new alert and each acknowledgement (the
  caseload keeps its stored triage from these).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.common.panels import Panel
from kratom_recovery.web.patients.models import Patient
from kratom_recovery.web.safety.models import Alert

AlertListener = Callable[[Alert], None]
TriageListener = Callable[[Patient, datetime], None]
AlertSection = Callable[[Alert, User, datetime], Panel | None]
PatientSection = Callable[[Patient, User, datetime], Panel | None]

ALERT_LISTENERS: list[AlertListener] = []
ALERT_SECTIONS: list[AlertSection] = []
CRISIS_LINES: list[PatientSection] = []
TRIAGE_LISTENERS: list[TriageListener] = []


def on_alert_raised(listener: AlertListener) -> None:
    """Call `listener` with every new alert (once, however often an app's ready() runs)."""
    if listener not in ALERT_LISTENERS:
        ALERT_LISTENERS.append(listener)


def register_alert_section(section: AlertSection) -> None:
    if section not in ALERT_SECTIONS:
        ALERT_SECTIONS.append(section)


def alert_raised(alert: Alert) -> None:
    for listener in ALERT_LISTENERS:
        listener(alert)


def alert_sections(alert: Alert, viewer: User, now: datetime) -> list[Panel]:
    return [panel for section in ALERT_SECTIONS
            if (panel := section(alert, viewer, now)) is not None]


def register_crisis_line(section: PatientSection) -> None:
    if section not in CRISIS_LINES:
        CRISIS_LINES.append(section)


def crisis_lines(patient: Patient, viewer: User, now: datetime) -> list[Panel]:
    return [panel for section in CRISIS_LINES
            if (panel := section(patient, viewer, now)) is not None]


def on_triage_changed(listener: TriageListener) -> None:
    """Call `listener` whenever what the safety app knows of a patient changes."""
    if listener not in TRIAGE_LISTENERS:
        TRIAGE_LISTENERS.append(listener)


def triage_changed(patient: Patient, now: datetime) -> None:
    for listener in TRIAGE_LISTENERS:
        listener(patient, now)
