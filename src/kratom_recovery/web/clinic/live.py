"""The caseload's live part: open alerts for the poll (GET /clinic/alerts.json), the pinned
emergency banner and the count in the page title.

One query, over the clinician's whole caseload whatever the page's filters, so an emergency
is pinned even when its patient is filtered out or on another page. The feed holds only what
the caseload already shows (patient name, severity, the rule's short title, when): no
clinical details, no free text.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final, TypedDict

from django.urls import reverse

from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.common.clock import relative, wall_clock
from kratom_recovery.web.patients.access import visible_patients
from kratom_recovery.web.safety.models import RULE_TITLES, Alert

POLL_SECONDS: Final = 30  # how often the caseload asks; the page carries it (data-poll-seconds)
FEED_LIMIT: Final = 500  # most severe first, so the urgent ones are always within it
COUNTED: Final = ("urgent", "emergency")  # counted in the page title


class FeedAlert(TypedDict):
    id: int
    patient_id: int
    patient: str
    severity: str
    title: str
    created_at: str
    when: str
    ago: str
    url: str


class AlertFeed(TypedDict):
    now: str
    now_label: str
    count: int  # open urgent and emergency alerts
    alerts: list[FeedAlert]
    truncated: bool


def open_alerts(clinician: User) -> list[Alert]:
    """Open alerts of the clinician's caseload, most severe and newest first."""
    return list(
        Alert.objects.filter(acknowledged_at=None, patient__in=visible_patients(clinician))
        .select_related("patient__user")
        .order_by("-severity_rank", "-created_at")[:FEED_LIMIT]
    )


def title(alert: Alert) -> str:
    """The rule's short title, without what matched (the alert page shows that)."""
    known = RULE_TITLES.get(alert.rule)
    return str(known) if known else alert.clinician_message.split(". ")[0].rstrip(".")


def feed_alert(alert: Alert, now: datetime) -> FeedAlert:
    return {
        "id": alert.pk,
        "patient_id": alert.patient_id,
        "patient": alert.patient.display_name,
        "severity": alert.severity,
        "title": title(alert),
        "created_at": alert.created_at.isoformat(),
        "when": wall_clock(alert.created_at, now),
        "ago": relative(alert.created_at, now),
        "url": reverse("alert", args=[alert.pk]),
    }


def alert_feed(clinician: User, now: datetime) -> AlertFeed:
    alerts = open_alerts(clinician)
    return {
        "now": now.isoformat(),
        "now_label": wall_clock(now, now),
        "count": sum(a.severity in COUNTED for a in alerts),
        "alerts": [feed_alert(a, now) for a in alerts],
        "truncated": len(alerts) == FEED_LIMIT,
    }


class PinnedAlert(TypedDict):
    alert: Alert
    title: str


def live_context(clinician: User, now: datetime,
                 every_alert: list[Alert] | None = None) -> dict[str, object]:
    """What the caseload template needs for its pinned banner, title and poll.

    `every_alert`: the open alerts of the whole caseload when the page already holds them
    (an unfiltered caseload's rows), which saves the query."""
    alerts = open_alerts(clinician) if every_alert is None else sorted(
        every_alert, key=lambda a: (-a.severity_rank, -a.created_at.timestamp()))
    return {
        "pinned": [PinnedAlert(alert=a, title=title(a)) for a in alerts
                   if a.severity == "emergency"],
        "alert_count": sum(a.severity in COUNTED for a in alerts),
        "known_alert_ids": ",".join(str(a.pk) for a in alerts),
        "loaded_at": now,
        "poll_seconds": POLL_SECONDS,
    }
