"""The caseload's live part: open alerts for the poll (GET /clinic/alerts.json), the pinned
emergency banner and the count in the page title.

One query, over the clinician's whole caseload whatever the page's filters, so an emergency
is pinned even when its patient is filtered out or on another page. The feed holds only what
the caseload already shows (patient name, severity, the rule's short title, when): no
clinical details, no free text.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Final, TypedDict

from django.db.models import Q, QuerySet
from django.urls import reverse

from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.common.clock import relative, wall_clock
from kratom_recovery.web.patients.access import of_visible_patients
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


MOST_URGENT_FIRST: Final = ("-severity_rank", "-created_at", "-pk")


def _open(clinician: User) -> QuerySet[Alert]:
    """Open alerts of the clinician's caseload, most severe and newest first."""
    return (Alert.objects.filter(of_visible_patients(clinician), acknowledged_at=None)
            .order_by(*MOST_URGENT_FIRST))


def open_alerts(clinician: User) -> list[Alert]:
    """Open alerts of the clinician's caseload in full (the poll's feed)."""
    return list(_open(clinician).select_related("patient__user")[:FEED_LIMIT])


@dataclass(frozen=True)
class AlertBrief:
    """An open alert without its texts or its patient: what the title count, the poll's
    known ids and the choice of which alerts to read in full need."""

    pk: int
    patient_id: int
    severity: str


def open_alert_briefs(clinician: User) -> list[AlertBrief]:
    """The caseload's open alerts in brief. A caseload of thousands can have hundreds open,
    and reading each in full with its patient cost more than the rest of the page."""
    return [AlertBrief(*row) for row in
            _open(clinician).values_list("pk", "patient_id", "severity")[:FEED_LIMIT]]


def alerts_in_full(briefs: list[AlertBrief], *, first: int,
                   patients: Collection[int]) -> list[Alert]:
    """In one query, the open alerts a caseload page shows in full: the `first` most severe
    (its card of open alerts), every emergency (pinned) and all of `patients`' (its rows;
    also those past the brief list's limit), most severe and newest first."""
    wanted = [b.pk for b in briefs[:first]] + [b.pk for b in briefs if b.severity == "emergency"]
    return list(Alert.objects.filter(Q(pk__in=wanted) | Q(patient__in=patients),
                                     acknowledged_at=None)
                .select_related("patient__user").order_by(*MOST_URGENT_FIRST))


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


def live_context(now: datetime, briefs: list[AlertBrief],
                 in_full: list[Alert]) -> dict[str, object]:
    """What the caseload template needs for its pinned banner, title and poll: `briefs`
    from open_alert_briefs, `in_full` from alerts_in_full (which holds every emergency)."""
    return {
        "pinned": [PinnedAlert(alert=a, title=title(a)) for a in in_full
                   if a.severity == "emergency"],
        "alert_count": sum(b.severity in COUNTED for b in briefs),
        "known_alert_ids": ",".join(str(b.pk) for b in briefs),
        "loaded_at": now,
        "poll_seconds": POLL_SECONDS,
    }
