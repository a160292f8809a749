"""E-mail notices of new messages: a link and nothing else.

A notice never carries the message, the patient's name or the product's name, so what a
lock screen or a shared inbox shows says nothing about anyone's health. It is sent after
the message is committed; a failure is logged by its class only and the message stands.

There is no delivery queue yet (web/notify/ is being built beside this): when it offers a
content-free "notify this user" call, `send_notice` should hand over to it.
"""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.messaging.models import Message, MessageSettings
from kratom_recovery.web.patients.models import CareTeamMember, CareTeamRole, Patient

logger = logging.getLogger(__name__)


def care_team(patient: Patient) -> list[User]:
    """Everyone active on the patient's care team, primary first (patients.access decides
    who may read the thread; this only chooses whom to tell)."""
    team = (CareTeamMember.objects.filter(patient=patient, clinician__is_active=True)
            .select_related("clinician"))
    return [m.clinician for m in sorted(team, key=lambda m: (m.role != CareTeamRole.PRIMARY,
                                                             m.added_at, m.pk))]


def notice_text(link: str) -> tuple[str, str]:
    return _("New message"), _("You have a new message: %(link)s\n") % {"link": link}


def send_notice(address: str, link: str) -> None:
    """Send one notice now; never raises (the message is already saved)."""
    subject, body = notice_text(link)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    except Exception as error:  # any mail failure: log its class, carry on
        logger.warning("message notice not sent: %s", type(error).__name__)


def wants_notices(patient: Patient) -> bool:
    stored = MessageSettings.objects.filter(patient=patient).values_list(
        "email_notices", flat=True).first()
    return stored is not False  # no row: the default, on


def notify_other_side(message: Message) -> None:
    """Queue notices to the side that did not write, sent once the transaction commits."""
    patient = message.patient
    if message.from_patient:
        link = settings.SITE_URL + reverse("clinic-messages", args=[patient.pk])
        addresses = [u.email for u in care_team(patient) if u.email]
    else:
        link = settings.SITE_URL + reverse("messages")
        email = patient.user.email
        addresses = [email] if email and wants_notices(patient) else []
    for address in addresses:
        transaction.on_commit(partial(send_notice, address, link))
