"""Secure messages: one thread per patient, between the patient and their care team.

Writers live in messaging/actions.py; nothing else creates or changes these rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from kratom_recovery.web.patients.models import Patient

MAX_BODY = 2000


class Message(models.Model):
    """One message of a patient's thread. `from_patient` tells the side; anyone on the care
    team writes for the team and reading by any of them marks it read for the team."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="+")
    from_patient = models.BooleanField()
    body = models.TextField(max_length=MAX_BODY)
    created_at = models.DateTimeField(default=timezone.now)
    # When the other side first opened it, and who (for the team: which clinician).
    read_at = models.DateTimeField(null=True, blank=True)
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # Serves the thread and the unread counts (caseload row, nav, chart).
            models.Index(fields=["patient", "from_patient", "read_at"], name="message_unread"),
            # Serves the per-sender hourly limit.
            models.Index(fields=["author", "created_at"], name="message_sender_hour"),
        ]

    def __str__(self) -> str:
        return f"message {self.pk} for patient {self.patient_id}"


class MessageSettings(models.Model):
    """The patient's choice of e-mail notices for new messages. No row: notices on."""

    patient = models.OneToOneField(Patient, on_delete=models.CASCADE,
                                   related_name="message_settings")
    email_notices = models.BooleanField(default=True)
    updated_at = models.DateTimeField(default=timezone.now)
