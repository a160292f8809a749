"""Secure messages between a patient and their care team (messaging/).

The patient and anyone on their care team read and write the thread (404 for anyone else,
403 for other roles). Reading through the API does not mark messages read; POST
`/messages/read` does, for the caller's side. A sender may send 20 messages an hour; the
21st is refused with 429 and nothing is written.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from kratom_recovery.web.accounts import idempotency
from kratom_recovery.web.api.endpoints.patients import (
    ERRORS,
    READERS,
    WRITE_ERRORS,
    IdempotencyHeader,
    PatientId,
    patient_for,
    replay_header,
)
from kratom_recovery.web.api.errors import ErrorOut
from kratom_recovery.web.api.pagination import Pagination
from kratom_recovery.web.api.schemas import Text
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.messaging import actions
from kratom_recovery.web.messaging.models import MAX_BODY, Message
from kratom_recovery.web.messaging.queries import unread_for_patient, unread_for_team

router = Router(tags=["messages"])


class MessageIn(Schema):
    body: Text(MAX_BODY, 1) = Field(  # type: ignore[valid-type]
        description="Text only; line breaks allowed. Messages are not for emergencies: "
        "call 911, or call or text 988.")


class MessageOut(Schema):
    id: int
    from_patient: bool
    author_name: str
    body: str
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_author_name(obj: Message | dict[str, Any]) -> str:
        if isinstance(obj, dict):  # a stored idempotent reply, already serialized
            return str(obj["author_name"])
        return str(obj.author) if obj.author is not None else ""


class ReadOut(Schema):
    marked: int = Field(description="messages marked read by this call")
    unread: int = Field(description="messages from the other side still unread")


@router.get("/patients/{patient_id}/messages", response={200: list[MessageOut], **ERRORS})
@paginate(Pagination)
def list_messages(request: HttpRequest, patient_id: int = PatientId) -> QuerySet[Message]:
    """The thread, newest first. Shown to the care team whatever the patient shares:
    messages are what the patient chose to send (docs/messaging.md)."""
    user, patient = patient_for(request, patient_id, *READERS)
    audit.record(user, patient, "read", "messages", via="api")
    return Message.objects.filter(patient=patient).select_related("author").order_by(
        "-created_at", "-pk")


@router.post("/patients/{patient_id}/messages",
             response={201: MessageOut, 429: ErrorOut, **WRITE_ERRORS})
def post_message(request: HttpRequest, response: HttpResponse, payload: MessageIn,
                 patient_id: int = PatientId,
                 idempotency_key: str | None = IdempotencyHeader) -> Status[dict[str, Any]]:
    """Send a message to the other side, who gets a notice without its content."""
    user, patient = patient_for(request, patient_id, *READERS)
    data = payload.model_dump(mode="json")

    def write() -> tuple[int, dict[str, Any]]:
        message = actions.send_message(patient, user, data["body"], via="api")
        return 201, MessageOut.model_validate(message).model_dump(mode="json")

    try:
        status, body, replayed = idempotency.run_once(request, user, idempotency_key, data,
                                                      write)
    except actions.TooManyMessages as error:
        raise HttpError(429, error.message) from None
    replay_header(response, replayed)
    return Status(status, body)


@router.post("/patients/{patient_id}/messages/read", response={200: ReadOut, **ERRORS})
def mark_read(request: HttpRequest, patient_id: int = PatientId) -> ReadOut:
    """Mark the other side's messages read (for the care team: read by the caller)."""
    user, patient = patient_for(request, patient_id, *READERS)
    marked = actions.mark_read(patient, user)
    unread = (unread_for_patient(patient) if user.pk == patient.user_id
              else unread_for_team(patient))
    return ReadOut(marked=marked, unread=unread)
