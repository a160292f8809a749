"""What the notices say. Staff notices carry no health data and no patient name: a notice is
read on lock screens and passes through mail servers, so it only says that something is
waiting and where."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from kratom_recovery.web.safety.models import Alert


def alert_link(alert_id: int) -> str:
    return settings.SITE_URL + reverse("alert", args=[alert_id])


def alert_notice(alert: Alert, escalation: bool) -> tuple[str, str]:
    """(subject, body) for a staff member about one alert."""
    link = alert_link(alert.pk)
    if escalation:
        subject = _("Emergency alert not yet acknowledged")
        first = _("An emergency alert has not been acknowledged yet: %(link)s") % {"link": link}
    elif alert.severity == "emergency":
        subject = _("Emergency alert waiting")
        first = _("An emergency alert is waiting: %(link)s") % {"link": link}
    else:
        subject = _("Urgent alert waiting")
        first = _("An urgent alert is waiting: %(link)s") % {"link": link}
    body = first + "\n\n" + _(
        "Sign in to see it. This message holds no details on purpose.\n"
    )
    return subject, body


def digest_notice(new: int, open_total: int) -> tuple[str, str]:
    """The daily digest: counts and a link, nothing about any person."""
    link = settings.SITE_URL + reverse("caseload")
    subject = _("Your daily alert summary")
    body = _(
        "New alerts for your patients in the last day that did not need an immediate call "
        "(warnings and information): %(new)d.\nOpen alerts of that kind in total: "
        "%(open)d.\n\nSee them on your caseload: %(link)s\n"
    ) % {"new": new, "open": open_total, "link": link}
    return subject, body
