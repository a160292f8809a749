"""The patient's current-state row (CurrentState): the safety evaluation's inputs in one row.

A check-in reads the row once, with a lock (`lock`), changes it in memory (`note_checkin`)
and hands it to the after-write hooks (`keep`), which evaluate from it and save it
(`save_kept`). Every other write leaves it untouched in memory, and `after_write` marks the
row not valid instead (`invalidate`, an upsert, so it also takes the row's lock), and the
next check-in rebuilds it from the tables (`rebuild`). The row never holds an input that a
write has changed without it, so the evaluation reads the same data either way.

What the safety app adds (the latest suicide follow-up) it fills in itself: `followup` is
None until then.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Callable, Collection, Iterable
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet, Window
from django.db.models.expressions import BaseExpression
from django.db.models.functions import RowNumber
from django.utils import timezone

from kratom_recovery.care.profile import UNITS
from kratom_recovery.care.timeline import synthesize_doses
from kratom_recovery.web.common import write_batch
from kratom_recovery.web.common.prepared import Prepared
from kratom_recovery.web.patients.forecasting import DOSE_SOURCES
from kratom_recovery.web.patients.models import (
    CheckIn,
    CurrentState,
    InstrumentResponse,
    Patient,
    UseEvent,
)

ATTACHED = "_current_state"
KEPT = "_current_state_kept"
# Values a higher app reads in the same query as the row (name -> expression factory): the
# safety app adds the program's clinical settings, so the evaluation needs no read of its own.
LOCK_READS: dict[str, Callable[[], BaseExpression]] = {}


def register_lock_read(name: str, expression: Callable[[], BaseExpression]) -> None:
    """Read `expression()` as the row's attribute `name` whenever `lock` reads the row."""
    LOCK_READS[name] = expression


def summary(response: InstrumentResponse) -> dict[str, Any]:
    """A response as the row stores it (JSON values only)."""
    return {
        "id": response.pk, "checkin_id": response.checkin_id, "instrument": response.instrument,
        "version": response.version, "answers": list(response.answers),
        "total": response.total, "max_total": response.max_total, "band": response.band,
        "flags": list(response.flags), "recorded_at": response.recorded_at.isoformat(),
        "recorded_by_id": response.recorded_by_id,
    }


def response_from(patient: Patient, data: dict[str, Any]) -> InstrumentResponse:
    """A stored summary back as an (unsaved, read-only) InstrumentResponse."""
    return InstrumentResponse(
        pk=data["id"], patient=patient, checkin_id=data["checkin_id"],
        instrument=data["instrument"], version=data["version"], answers=data["answers"],
        total=data["total"], max_total=data["max_total"], band=data["band"],
        flags=data["flags"], recorded_at=moment(data["recorded_at"]),
        recorded_by_id=data["recorded_by_id"],
    )


def moment(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _with_reads() -> QuerySet[CurrentState]:
    """Rows with the latest check-in, the use profile and what higher apps read with them."""
    return (CurrentState.objects.select_related("last_checkin", "patient__profile")
            .annotate(**{name: expression() for name, expression in LOCK_READS.items()}))


# Compiled once per connection: building this query costs ten times what SQLite takes to
# run it, and every check-in runs it.
_LOCKED = Prepared(lambda key: _with_reads().select_for_update(of=("self",))
                   .filter(patient_id=key))


def lock(patient: Patient) -> CurrentState:
    """The patient's row, locked for this transaction (one query when it exists), with the
    latest check-in and the use profile read in the same query. A missing row is created
    not valid, so that a later write's `invalidate` waits for this transaction."""
    state = _LOCKED.first(patient.pk)
    if state is None:
        CurrentState.objects.bulk_create([CurrentState(patient=patient)], ignore_conflicts=True)
        state = _LOCKED.first(patient.pk)
        assert state is not None
    return state


def read_many(patient_ids: Collection[int]) -> dict[int, CurrentState]:
    """These patients' rows as `lock` reads them, in one query and without a lock: for a
    look that writes nothing (the sweep locks a patient's row only when it has something to
    write)."""
    return {row.patient_id: row for row in _with_reads().filter(patient__in=patient_ids)}


def day_checkin(patient: Patient, day: date, state: CurrentState | None) -> CheckIn | None:
    """The patient's check-in of `day`: from a valid row when it knows (it holds the latest
    check-in), else read."""
    if state is not None and state.valid:
        last = state.last_checkin
        if last is None or day > last.local_date:
            return None
        if last.local_date == day:
            return last
    return CheckIn.objects.filter(patient=patient, local_date=day).first()


def checkin_answers(checkin: CheckIn, state: CurrentState | None) -> dict[str, list[object]]:
    """The answers stored with `checkin`, by instrument."""
    if state is not None and state.valid and state.last_checkin == checkin:
        return {i: list(data["answers"]) for i, data in state.checkin_responses.items()}
    return {r.instrument: list(r.answers) for r in checkin.responses.all()}


def invalidate(patient: Patient) -> None:
    """A write the row does not follow: mark it not valid (creating it if need be)."""
    write_batch.upsert([CurrentState(patient=patient, valid=False, updated_at=timezone.now())],
                       ["patient"], ["valid", "updated_at"])


def keep(patient: Patient, state: CurrentState) -> None:
    """This write kept the row right: the hooks evaluate from it and save it."""
    patient.__dict__[ATTACHED] = state
    patient.__dict__[KEPT] = True


def attached(patient: Patient) -> CurrentState | None:
    """The row a check-in kept for the hooks running now, if any."""
    state = patient.__dict__.get(ATTACHED)
    return state if isinstance(state, CurrentState) and state.valid else None


def after_write(patient: Patient) -> None:
    """Called by patients/hooks.after_write: a write that did not keep the row invalidates
    it (and drops any row left from an earlier write of a deferred block)."""
    if not patient.__dict__.pop(KEPT, False):
        patient.__dict__.pop(ATTACHED, None)
        invalidate(patient)


def save_kept(patient: Patient) -> None:
    """Write the kept row back (one statement, or part of one in a write batch), after the
    hooks ran on it."""
    state = patient.__dict__.pop(ATTACHED, None)
    if isinstance(state, CurrentState):
        state.updated_at = timezone.now()
        write_batch.update(state)


def rebuild(state: CurrentState, patient: Patient) -> None:
    """Fill the row from the tables (a few queries; after a write that invalidated it)."""
    profile = getattr(state.patient, "profile", None)
    last = CheckIn.objects.filter(patient=patient).order_by("-local_date").first()
    state.last_checkin = last
    state.checkin_responses = {} if last is None else {
        r.instrument: summary(r)
        for r in last.responses.order_by("recorded_at", "pk")}
    ranked = InstrumentResponse.objects.filter(patient=patient).annotate(
        rank=Window(RowNumber(), partition_by=[F("instrument")],
                    order_by=[F("recorded_at").desc(), F("pk").desc()]),
    ).filter(rank=1)
    state.latest = {r.instrument: summary(r) for r in ranked}
    state.sows_since = state.doses_since = None
    state.sows, state.doses = [], []
    if profile is not None:
        profile.patient = state.patient
        domain = replace(profile.to_domain(), last_dose=profile.last_dose)
        state.sows_since = synthesize_doses(domain)[0].time
        state.sows = [
            [when.isoformat(), total, pk] for when, total, pk in
            InstrumentResponse.objects.filter(
                patient=patient, instrument="sows", recorded_at__gte=state.sows_since,
            ).order_by("recorded_at", "pk").values_list("recorded_at", "total", "pk")]
        state.doses_since = profile.last_dose
        state.doses = [
            [when.isoformat(), str(amount), unit, "use"] for when, amount, unit in
            UseEvent.objects.filter(patient=patient, taken_at__gt=profile.last_dose,
                                    amount__gt=0).values_list("taken_at", "amount", "unit")]
        state.doses += [[dose.time.isoformat(), str(dose.amount), unit, "taper"]
                        for source in DOSE_SOURCES for unit in UNITS
                        for dose in source(patient, profile.last_dose, unit)]
    state.uses = [
        [taken.isoformat(), created.isoformat(), unit] for taken, created, unit in
        UseEvent.objects.filter(patient=patient).order_by("-taken_at", "-pk")
        .values_list("taken_at", "created_at", "unit")[:2]]
    state.followup = None
    state.valid = True


def note_checkin(state: CurrentState, checkin: CheckIn, replaced: Iterable[dict[str, Any]],
                 added: Iterable[InstrumentResponse]) -> None:
    """Follow a check-in write: `replaced` are the stored summaries of the responses it
    deleted, `added` the responses it wrote."""
    if state.last_checkin is None or state.last_checkin.pk != checkin.pk:
        if state.last_checkin is not None and checkin.local_date < state.last_checkin.local_date:
            state.valid = False  # an earlier day: not the latest check-in
            return
        state.checkin_responses = {}
    state.last_checkin = checkin
    gone = {data["id"] for data in replaced}
    state.sows = [row for row in state.sows if row[2] not in gone]
    for response in added:
        data = summary(response)
        state.checkin_responses[response.instrument] = data
        previous = state.latest.get(response.instrument)
        if previous is None or moment(previous["recorded_at"]) <= response.recorded_at:
            state.latest[response.instrument] = data
        elif previous["id"] in gone:
            state.valid = False  # the newest was replaced by an older one: unknown now
        if (response.instrument == "sows" and state.sows_since is not None
                and response.recorded_at >= state.sows_since):
            insort(state.sows, [data["recorded_at"], response.total, response.pk],
                   key=lambda row: (moment(row[0]), row[2]))


def rebuild_all() -> int:
    """Rebuild every patient's row, one transaction each; returns how many."""
    count = 0
    for patient in Patient.objects.order_by("pk").iterator():
        with transaction.atomic():
            state = lock(patient)
            rebuild(state, patient)
            state.save(force_update=True)
        count += 1
    return count
