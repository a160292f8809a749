"""What the patient is told about their alert's delivery: only what really happened.

"Your clinician has been notified" appears only once a message was handed to a channel;
outside program hours with nobody on call, the patient is told when the team will see it and
where to get help now. Nothing here promises a person who is not there.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Final

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kratom_recovery.web.notify.delivery import outbox
from kratom_recovery.web.notify.health import UNDELIVERED_LIMIT
from kratom_recovery.web.notify.models import (
    HANDED_OVER,
    AlertDispatch,
    Channel,
    Delivery,
    Status,
)
from kratom_recovery.web.patients.models import Patient
from kratom_recovery.web.program.config import current_settings
from kratom_recovery.web.program.rota import on_call_at

# Whom the patient is told a message went to, by program.recipients reason (best first).
WHO: Final = {
    "on-call primary": gettext_noop("the on-call clinician"),
    "primary clinician": gettext_noop("your clinician"),
    "on-call backup": gettext_noop("the on-call backup clinician"),
    "co-clinician": gettext_noop("your care team"),
    "admin": gettext_noop("your program's team"),
}
CLINICIAN_REASONS: Final = frozenset({"on-call primary", "primary clinician", "on-call backup"})
WEBHOOK_WHO: Final = gettext_noop("your care team's on-call service")
HELP_NOW: Final = gettext_noop("Right now, call or text 988, or call 911.")


@dataclass(frozen=True)
class PatientDelivery:
    state: str  # sending | sent | seen | not-delivered
    text: str
    after_hours: str  # "Your team will see this on …" when nobody is there now, else ""
    poll: bool  # the card keeps asking while the state may still change soon

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _who(delivery: Delivery) -> str:
    if delivery.channel == Channel.WEBHOOK:
        return _(WEBHOOK_WHO)
    return _(WHO.get(delivery.reason, "your care team"))


def _best(handed: list[Delivery]) -> Delivery:
    order = list(WHO)
    return min(handed, key=lambda d: (d.channel == Channel.WEBHOOK,
                                      order.index(d.reason) if d.reason in order else 9,
                                      d.sent_at))


def _after_hours(patient: Patient, now: datetime) -> str:
    config = current_settings()
    if config.is_open(now) or on_call_at(now) is not None:
        return ""
    opening = config.next_opening(now)
    if opening is None:
        return _("Nobody at your program is working right now. %(help)s") % {"help": _(HELP_NOW)}
    day = formats.date_format(opening.astimezone(patient.zone), "l j F")
    return _("Your team will see this on %(day)s. %(help)s") % {"day": day,
                                                               "help": _(HELP_NOW)}


def patient_delivery(patient: Patient, now: datetime) -> PatientDelivery | None:
    """The state of the patient's latest alert that notifies a person (None: none in the
    last day, so there is nothing to report)."""
    alert = outbox(now).filter(patient=patient).select_related("acknowledged_by") \
        .order_by("-created_at").first()
    if alert is None:
        return None
    closed = _after_hours(patient, now)
    if alert.acknowledged_at is not None:
        at = alert.acknowledged_at.astimezone(patient.zone).strftime("%H:%M")
        return PatientDelivery("seen", _("Your care team saw this at %(at)s.") % {"at": at},
                               "", False)
    rows = list(Delivery.objects.filter(alert=alert))
    handed = [d for d in rows if d.status in HANDED_OVER and d.sent_at is not None]
    if handed:
        best = _best(handed)
        at = (best.sent_at or now).astimezone(patient.zone).strftime("%H:%M")
        sent = _("Sent to %(who)s at %(at)s.") % {"who": _who(best), "at": at}
        if closed:  # an inbox nobody reads tonight: say when it will be read
            return PatientDelivery("sent", sent, closed, False)
        person = best.channel == Channel.EMAIL and best.reason in CLINICIAN_REASONS
        told = _("Your clinician has been notified.") if person else \
            _("Your care team has been notified.")
        return PatientDelivery("sent", f"{told} {sent}", "", False)
    dispatched = AlertDispatch.objects.filter(pk=alert.pk).exists()
    # Still in hand: the job has not run yet, or a row waits for its (re)try.
    waiting = not dispatched or any(d.status == Status.QUEUED for d in rows)
    if waiting and now - alert.created_at <= UNDELIVERED_LIMIT:
        return PatientDelivery("sending", _("Sending to your care team…"), closed, True)
    return PatientDelivery(
        "not-delivered",
        _("Not yet delivered to your care team. %(help)s") % {"help": _(HELP_NOW)},
        closed, waiting,
    )
