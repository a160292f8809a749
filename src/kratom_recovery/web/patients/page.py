"""One request's view of one patient, handed to every panel of a composed page.

The patient's home and the clinician's chart (web/pages/) are built from cards several apps
contribute. Many cards need the same rows: the check-ins, the safety state, the vitals. A
card reads them through `page.once(read)`, so each read runs at most once per request
whichever cards ask, and a card that shows part of the record says so with `page.audit`,
so the page writes every audit entry in one insert.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar, cast

from django.db.models import Exists, OuterRef, QuerySet

from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.common.panels import Panel
from kratom_recovery.web.patients.models import Patient

T = TypeVar("T")


@dataclass(eq=False)
class PatientPage:
    patient: Patient
    viewer: User
    now: datetime
    audited: list[str] = field(default_factory=list)  # targets shown, in page order
    _reads: dict[Callable[[PatientPage], Any], Any] = field(default_factory=dict, repr=False)

    @property
    def by_patient(self) -> bool:
        """The patient looking at their own record (not audited, sees everything)."""
        return self.viewer.pk == self.patient.user_id

    @property
    def today(self) -> date:
        return self.patient.today(self.now)

    def once(self, read: Callable[[PatientPage], T]) -> T:
        """`read(self)`, run once per page. `read` must be a module-level function (a new
        lambda on every call would never match) and may itself call `once`."""
        if read not in self._reads:
            self._reads[read] = read(self)
        return cast(T, self._reads[read])

    def may_have(self, name: str) -> bool:
        """False only when the page read, with the patient's row, that there is none of
        `name` (an `any_of` annotation): the card then skips its read."""
        value = self.patient.__dict__.get(name)
        return value is None or bool(value)

    def audit(self, target: str) -> None:
        """This page shows `target` of the record; the page records each target it was told
        of before it answers (audit/log.py record_reads)."""
        if target not in self.audited:
            self.audited.append(target)


PanelFunction = Callable[[PatientPage], Panel | None]


def any_of(rows: QuerySet[Any]) -> Exists:
    """An annotation for the page's patient query: whether any of `rows` (a queryset of a
    model with a `patient` key) belong to the patient, so an empty card costs no query."""
    return Exists(rows.filter(patient=OuterRef("pk")))


