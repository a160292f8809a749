"""Every write to the own measures goes through one function here (transaction, checks,
audit)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Final

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.profile import check_number
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.common.text import check_line
from kratom_recovery.web.patients.models import Patient
from kratom_recovery.web.recovery.models import OwnMeasure, OwnMeasureValue

MAX_MEASURES: Final = 8
MAX_MEASURE_NAME: Final = 40
MEASURE_RANGE: Final = (0, 10)


@transaction.atomic
def add_measure(patient: Patient, actor: User, name: str, *,
                now: datetime | None = None) -> OwnMeasure:
    clean = check_line("name", name, MAX_MEASURE_NAME, required=True)
    active = OwnMeasure.objects.select_for_update().filter(patient=patient, archived=False)
    if any(m.name.casefold() == clean.casefold() for m in active):
        raise InvalidInput("name", _("you already track %(name)s") % {"name": clean})
    if len(active) >= MAX_MEASURES:
        raise InvalidInput("name", _("at most %(n)d measures at a time; archive one first") % {
            "n": MAX_MEASURES})
    measure = OwnMeasure.objects.create(patient=patient, name=clean,
                                        created_at=now or timezone.now())
    audit.record(actor, patient, "create", f"measure:{measure.pk}")
    return measure


@transaction.atomic
def archive_measure(measure: OwnMeasure, actor: User) -> OwnMeasure:
    """Stop asking for a measure; its values stay in the history."""
    measure.archived = True
    measure.save(update_fields=["archived"])
    audit.record(actor, measure.patient, "update", f"measure:{measure.pk}")
    return measure


@transaction.atomic
def record_measure_values(
    patient: Patient, actor: User, values: Mapping[int, object], *,
    now: datetime | None = None,
) -> int:
    """Today's 0–10 value for each active measure given; a blank leaves it unchanged.

    Returns how many values were stored. Nothing is written unless every value is valid.
    """
    today = patient.today(now)
    measures = {m.pk: m for m in OwnMeasure.objects.filter(patient=patient, archived=False)}
    clean: dict[int, int] = {}
    for measure_id, value in values.items():
        if measure_id not in measures:
            raise InvalidInput(f"measure_{measure_id}", _("not one of your active measures"))
        if value in (None, ""):
            continue
        clean[measure_id] = int(check_number(f"measure_{measure_id}", value,
                                             low=MEASURE_RANGE[0], high=MEASURE_RANGE[1],
                                             integer=True))
    for measure_id, number in clean.items():
        OwnMeasureValue.objects.update_or_create(
            measure=measures[measure_id], local_date=today, defaults={"value": number}
        )
    if clean:
        audit.record(actor, patient, "update", f"measure-values:{today.isoformat()}")
    return len(clean)
