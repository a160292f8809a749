"""Template context: the patient's unread message count for the navigation bar."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.messaging.models import Message

PATIENT_UNREAD = "patient_unread"


def unread_messages(request: HttpRequest) -> dict[str, object]:
    """`unread_messages` for a signed-in patient, counted only if a template reads it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(user, "role", "") != "patient":
        return {}

    def count() -> int:
        # A page that read the count with the patient's row (messaging/panels.py) is not
        # asked again.
        if User.patient.is_cached(user):
            counted = getattr(user.patient, "__dict__", {}).get(PATIENT_UNREAD)
            if isinstance(counted, int):
                return counted
        return Message.objects.filter(patient__user=user, from_patient=False,
                                      read_at=None).count()

    return {"unread_messages": SimpleLazyObject(count)}
