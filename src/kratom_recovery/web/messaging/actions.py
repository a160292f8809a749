"""Every write to messages goes through one function here.

Messages are audited whoever writes them, the patient included (`always=True`): a message
is a record the care team acts on. A sender may send at most `PER_HOUR` messages an hour.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.common.text import check_text
from kratom_recovery.web.messaging.models import MAX_BODY, Message, MessageSettings
from kratom_recovery.web.messaging.notices import care_team, notify_other_side
from kratom_recovery.web.patients.models import Patient

PER_HOUR: Final = 20
HOUR: Final = timedelta(hours=1)


class TooManyMessages(InvalidInput):
    """The sender reached the hourly limit; the API answers 429, a form shows the error."""

    def __init__(self) -> None:
        super().__init__("body", _(
            "you can send at most %(n)d messages an hour; please wait a while before "
            "sending another. In an emergency call 911, or call or text 988."
        ) % {"n": PER_HOUR})


@transaction.atomic
def send_message(patient: Patient, author: User, body: object, *, via: str = "web",
                 now: datetime | None = None, notify: bool = True) -> Message:
    """Add a message to the patient's thread, by the patient or someone on their care team
    (the caller has checked access through patients.access), and notify the other side
    (unless `notify` is off: the synthetic demo tells no one)."""
    now = now or timezone.now()
    text = check_text("body", body, MAX_BODY, required=True)
    if author.pk == patient.user_id and not care_team(patient):
        raise InvalidInput("body", _("you are not connected with a care team yet, so no one "
                                     "would read this; connect with a clinician first"))
    # Lock the sender's row so concurrent sends by one person are counted one at a time.
    User.objects.select_for_update().filter(pk=author.pk).exists()
    if Message.objects.filter(author=author, created_at__gt=now - HOUR).count() >= PER_HOUR:
        raise TooManyMessages
    message = Message.objects.create(patient=patient, author=author, body=text,
                                     from_patient=author.pk == patient.user_id,
                                     created_at=now)
    audit.record(author, patient, "create", f"message:{message.pk}", via=via, always=True)
    if notify:
        notify_other_side(message)
    return message


@transaction.atomic
def mark_read(patient: Patient, reader: User, *, now: datetime | None = None) -> int:
    """Mark the other side's unread messages read; returns how many were marked."""
    now = now or timezone.now()
    from_patient = reader.pk != patient.user_id
    return Message.objects.filter(patient=patient, from_patient=from_patient,
                                  read_at=None).update(read_at=now, read_by=reader)


@transaction.atomic
def set_email_notices(patient: Patient, actor: User, on: bool, *,
                      now: datetime | None = None) -> MessageSettings:
    """The patient's choice of e-mail notices for new messages from their care team."""
    stored, _created = MessageSettings.objects.update_or_create(
        patient=patient, defaults={"email_notices": on, "updated_at": now or timezone.now()})
    audit.record(actor, patient, "update", "message-settings")
    return stored
