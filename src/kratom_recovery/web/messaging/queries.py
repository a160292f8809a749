"""Read side of messaging: the thread and the unread counts for each side."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from kratom_recovery.web.messaging.models import Message
from kratom_recovery.web.patients.models import Patient


def thread(patient: Patient) -> QuerySet[Message]:
    """The whole thread, oldest first, with authors (one query)."""
    return Message.objects.filter(patient=patient).select_related("author").order_by(
        "created_at", "pk")


def unread_for_patient(patient: Patient) -> int:
    return Message.objects.filter(patient=patient, from_patient=False, read_at=None).count()


def unread_for_team(patient: Patient) -> int:
    return Message.objects.filter(patient=patient, from_patient=True, read_at=None).count()


def unread_for_patient_subquery() -> Coalesce:
    """The patient's own unread count as an annotation on a Patient queryset (their home
    reads it with their row for the navigation bar)."""
    counts = (Message.objects.filter(patient=OuterRef("pk"), from_patient=False, read_at=None)
              .order_by().values("patient").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def unread_for_team_subquery() -> Coalesce:
    """The care team's unread count as an annotation on a Patient queryset (the caseload
    reads it in its one query instead of one query per row)."""
    counts = (Message.objects.filter(patient=OuterRef("pk"), from_patient=True, read_at=None)
              .order_by().values("patient").annotate(n=Count("pk", filter=Q(read_at=None)))
              .values("n"))
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)
