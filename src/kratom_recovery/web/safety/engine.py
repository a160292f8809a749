"""The safety engine wired to the database: gather a patient's data, triage, store, alert.

`evaluate_patient` is registered into patients/hooks.py by `SafetyConfig.ready()`; it runs in every
write's transaction (onboarding, check-ins, questionnaires incl. COWS, logged use, tapers).
`sweep` re-evaluates everyone for the rules no write can trigger (missed check-ins).
`current_safety` is the read side for pages and the API.

An acknowledged alert is raised again only on newer evidence (care/evidence.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, TypedDict

from django.db import transaction
from django.db.models import JSONField, Q, QuerySet, Subquery
from django.db.models.expressions import BaseExpression
from django.db.models.functions import Mod

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.evidence import SafetyData, evidence_times
from kratom_recovery.care.instruments import INSTRUMENTS
from kratom_recovery.care.level_of_care import LEVEL_BY_CODE, level_in_force
from kratom_recovery.care.profile import UseProfile as DomainProfile
from kratom_recovery.care.program_settings import ProgramSettings, parse_settings
from kratom_recovery.care.resources import resources_for
from kratom_recovery.care.routing import FirstAction, first_actions
from kratom_recovery.care.safety import ScoreSummary
from kratom_recovery.care.timeline import Dose, Forecast, Observation, forecast, synthesize_doses
from kratom_recovery.care.triage import TriageResult, triage
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.common import write_batch
from kratom_recovery.web.common.prepared import Prepared
from kratom_recovery.web.patients import state as current_state
from kratom_recovery.web.patients.forecasting import DOSE_SOURCES, patient_forecast
from kratom_recovery.web.patients.models import (
    CheckIn,
    CurrentState,
    InstrumentResponse,
    Patient,
    UseEvent,
    UseProfile,
)
from kratom_recovery.web.patients.queries import latest_responses
from kratom_recovery.web.program.config import current_settings
from kratom_recovery.web.program.models import SINGLETON_ID, ProgramSettingsRow
from kratom_recovery.web.safety.actions import raise_alert
from kratom_recovery.web.safety.hooks import triage_changed
from kratom_recovery.web.safety.models import (
    SEVERITY_RANK,
    Alert,
    LevelOfCareDecision,
    SafetyState,
    SuicideFollowup,
)

# Instruments the safety and level-of-care rules read (care/safety.py, care/level_of_care.py).
SAFETY_INSTRUMENTS = ("sows", "cows", "phq9", "gad7", "sud", "audit-c")
ALERT_SEVERITIES = frozenset({"warning", "urgent", "emergency"})
CRISIS_SEVERITIES = frozenset({"urgent", "emergency"})
# ASSUMPTION [ref:assumption:followup-answer-days]: follow-up answers count for 7 days, the
# PHQ-9's weekly cadence; after that the person is asked again rather than shown an old
# answer forever.
FOLLOWUP_VALID_FOR = timedelta(days=7)
# The timeline only needs the acute weeks; older SOWS totals do not move the forecast.
TIMELINE_LOOKBACK = timedelta(days=31)
# Placeholder when a check-in arrives before onboarding: no profile rule can fire on it, but
# danger symptoms and self-harm answers are still evaluated.
NO_PROFILE = DomainProfile(product="other", amount_per_day=0.0, unit="g", doses_per_day=1,
                           years_of_use=0.0)


def note_attendance(data: SafetyData, patient: Patient, last_checkin: CheckIn | None,
                    today: date) -> None:
    """Days since the last check-in (or since onboarding, before the first one), and when
    that was: the missed-check-in rules read both."""
    if last_checkin is not None:
        data.days_since_checkin = max(0, (today - last_checkin.local_date).days)
        data.attendance_time = last_checkin.updated_at
    elif patient.onboarded_at is not None:
        data.days_since_checkin = max(0, (today - patient.today(patient.onboarded_at)).days)
        data.attendance_time = patient.onboarded_at


def program_settings(patient: Patient) -> ProgramSettings:
    """The clinical settings the rules use for this patient (care/program_settings.py): the
    program's stored row, or the defaults before an admin saves any."""
    return current_settings().clinical


SETTINGS_READ = "program_clinical"


def settings_expression() -> BaseExpression:
    """The stored program settings' clinical part, read with the current-state row."""
    return Subquery(ProgramSettingsRow.objects.filter(pk=SINGLETON_ID).values("clinical")[:1],
                    output_field=JSONField(null=True))


def settings_from_state(state: CurrentState) -> ProgramSettings:
    """`program_settings`, from the value `lock` read with the row (defaults before an
    admin saves any)."""
    if not hasattr(state, SETTINGS_READ):
        raise NotInState("settings")
    clinical = getattr(state, SETTINGS_READ)
    return ProgramSettings() if clinical is None else parse_settings(clinical)


def summary_of(response: InstrumentResponse) -> ScoreSummary:
    """A ScoreSummary from the stored total/band/flags; items by id when the definition fits."""
    definition = INSTRUMENTS.get(response.instrument)
    items: dict[str, int] = {}
    if definition is not None and len(definition.items) == len(response.answers):
        items = {item.id: int(value) for item, value in zip(definition.items, response.answers,
                                                            strict=True) if value is not None}
    return ScoreSummary(response.instrument, response.total, response.band or None,
                        frozenset(response.flags), items)


def gather(patient: Patient, now: datetime) -> SafetyData:
    """The patient's latest data: from the current-state row a check-in kept (no query but
    the program settings and, once per rebuild, the latest follow-up), else from the tables
    (about twenty indexed queries). Both give the same data (tests/web/test_current_state.py)."""
    state = current_state.attached(patient)
    if state is not None:
        try:
            return gather_from_state(patient, state, now)
        except NotInState:
            pass
    return gather_from_tables(patient, now)


class NotInState(Exception):
    """The row cannot answer for this `now` (data recorded after it, or older than it
    keeps): read the tables."""


def gather_from_state(patient: Patient, state: CurrentState, now: datetime) -> SafetyData:
    """`gather_from_tables`, read from the current-state row (patients/state.py)."""
    stored = getattr(state.patient, "profile", None)
    if stored is not None:
        stored.patient = state.patient
        data = SafetyData(stored.to_domain(), stored.updated_at)
    else:
        data = SafetyData(NO_PROFILE, patient.created_at)

    latest = {i: current_state.response_from(patient, r) for i, r in state.latest.items()
              if i in SAFETY_INSTRUMENTS}
    sows = latest.pop("sows", None)
    if sows is not None and sows.recorded_at > now:
        raise NotInState("sows")
    if sows is not None and sows.recorded_at >= now - TIMELINE_LOOKBACK:
        latest["sows"] = sows
    else:
        sows = None
    data.scores = {i: summary_of(r) for i, r in latest.items()}
    data.score_times = {i: r.recorded_at for i, r in latest.items()}

    today = patient.today(now)
    last_checkin = state.last_checkin
    note_attendance(data, patient, last_checkin, today)
    todays = last_checkin if last_checkin and last_checkin.local_date == today else None
    data.settings = settings_from_state(state)

    if state.followup is None:
        state.followup = latest_followup(patient)
    if state.followup:
        created = datetime.fromisoformat(state.followup["created_at"])
        if created > now:
            raise NotInState("followup")
        if created > now - FOLLOWUP_VALID_FOR:
            data.followup = {str(k): bool(v) for k, v in state.followup["answers"].items()}
            data.followup_time = created
    if todays is not None:
        data.danger_symptoms = frozenset(todays.danger_symptoms)
        data.checkin_time = todays.updated_at
        if todays.self_harm_thoughts:  # the daily yes counts as "thoughts right now"
            data.followup["thoughts-now"] = True
            data.followup_time = max(filter(None, (data.followup_time, todays.updated_at)))
        extra = state.checkin_responses.get("daily-extra")
        set_vitals(todays, None if extra is None else current_state.response_from(patient, extra),
                   data)
    lapse_from_state(state, stored, data)

    if stored is not None:
        timeline = forecast_from_state(patient, state, stored, now)
        if timeline is not None:
            data.phase = timeline.phase
            data.timeline_flags = frozenset(timeline.flags)
            data.timeline_time = sows.recorded_at if sows else data.profile_time
    return data


def latest_followup(patient: Patient) -> dict[str, Any]:
    followup = (SuicideFollowup.objects.filter(patient=patient)
                .order_by("-created_at", "-pk").first())
    if followup is None:
        return {}
    return {"answers": followup.answers, "created_at": followup.created_at.isoformat()}


def lapse_from_state(state: CurrentState, stored: UseProfile | None, data: SafetyData) -> None:
    """`gather_lapse` from the row's latest two uses and its doses."""
    if not state.uses:
        return
    taken, created, unit = (datetime.fromisoformat(state.uses[0][0]),
                            datetime.fromisoformat(state.uses[0][1]), state.uses[0][2])
    before = [datetime.fromisoformat(row[0]) for row in state.uses[1:]]
    if stored is not None and stored.last_dose < taken:
        before.append(stored.last_dose)
    if before:
        since = max(before)
        if state.doses_since is None or since < state.doses_since:
            raise NotInState("doses")
        before += [when for when, amount, dose_unit in state_doses(state, "taper")
                   if dose_unit == unit and since < when < taken and amount > 0]
    if not before:
        return
    data.days_free_before_lapse = max(0, (taken - max(before)).days)
    data.lapse_time = created


def state_doses(state: CurrentState, kind: str) -> list[tuple[datetime, float, str]]:
    return [(datetime.fromisoformat(when), float(amount), unit)
            for when, amount, unit, dose_kind in state.doses if dose_kind == kind]


def forecast_from_state(patient: Patient, state: CurrentState, profile: UseProfile,
                        now: datetime) -> Forecast | None:
    """`patients.forecasting.compute_forecast` with the check-ins, from the row."""
    domain = profile.to_domain()
    if domain.last_dose is None or domain.last_dose > now:
        return None
    if state.doses_since != profile.last_dose or state.sows_since is None:
        raise NotInState("forecast")
    logged = sorted((Dose(when, amount) for kind in ("use", "taper")
                     for when, amount, unit in state_doses(state, kind)
                     if unit == profile.unit and when <= now),
                    key=lambda dose: dose.time)
    doses = None
    if logged:
        doses = synthesize_doses(replace(domain, last_dose=profile.last_dose)) + logged
    start = doses[0].time if doses else domain.last_dose
    if start < state.sows_since:
        raise NotInState("sows")
    observed = [Observation(time=when, sows_total=float(total))
                for when, total in ((datetime.fromisoformat(row[0]), row[1])
                                    for row in state.sows)
                if start <= when <= now]
    try:
        return forecast(domain, patient.local_now(now), doses=doses, observed=observed,
                        curve=False)
    except InvalidInput:
        return None


def gather_from_tables(patient: Patient, now: datetime) -> SafetyData:
    """Read the patient's latest data from the tables."""
    stored = UseProfile.objects.filter(patient=patient).first()
    if stored is not None:
        stored.patient = patient  # to_domain reads last_use_at; no extra query
        data = SafetyData(stored.to_domain(), stored.updated_at)
    else:
        data = SafetyData(NO_PROFILE, patient.created_at)

    # Only a recent SOWS speaks to withdrawal now (the forecast reads its own history).
    sows = (
        InstrumentResponse.objects.filter(
            patient=patient, instrument="sows", recorded_at__lte=now,
            recorded_at__gte=now - TIMELINE_LOOKBACK,
        ).order_by("-recorded_at").first()
    )
    latest = {"sows": sows} if sows else {}
    latest.update(latest_responses(patient, SAFETY_INSTRUMENTS[1:]))
    data.scores = {i: summary_of(r) for i, r in latest.items()}
    data.score_times = {i: r.recorded_at for i, r in latest.items()}

    today = patient.today(now)
    last_checkin = CheckIn.objects.filter(patient=patient).order_by("-local_date").first()
    note_attendance(data, patient, last_checkin, today)
    todays = last_checkin if last_checkin and last_checkin.local_date == today else None
    data.settings = program_settings(patient)

    followup = (SuicideFollowup.objects.filter(patient=patient,
                                               created_at__gt=now - FOLLOWUP_VALID_FOR,
                                               created_at__lte=now)
                .order_by("-created_at").first())
    if followup is not None:
        data.followup = {str(k): bool(v) for k, v in followup.answers.items()}
        data.followup_time = followup.created_at
    if todays is not None:
        data.danger_symptoms = frozenset(todays.danger_symptoms)
        data.checkin_time = todays.updated_at
        if todays.self_harm_thoughts:  # the daily yes counts as "thoughts right now"
            data.followup["thoughts-now"] = True
            data.followup_time = max(filter(None, (data.followup_time, todays.updated_at)))
        gather_vitals(todays, data)
    gather_lapse(patient, stored, data)

    if stored is not None:
        # The same forecast the patient sees (profile, logged doses, check-ins).
        result = patient_forecast(patient, now)
        if result is not None:
            timeline = result[0]
            data.phase = timeline.phase
            data.timeline_flags = frozenset(timeline.flags)
            data.timeline_time = sows.recorded_at if sows else data.profile_time
    return data


def gather_vitals(todays: CheckIn, data: SafetyData) -> None:
    """Today's measured temperature (a check-in field) and resting pulse (the daily-extra
    pulse item): only today's measurements speak to now."""
    set_vitals(todays, todays.responses.filter(instrument="daily-extra").first(), data)


def set_vitals(todays: CheckIn, extra: InstrumentResponse | None, data: SafetyData) -> None:
    if todays.temperature_c is not None:
        data.temperature_c = float(todays.temperature_c)
    if extra is not None:
        data.resting_pulse = summary_of(extra).items.get("pulse")
    if data.temperature_c is not None or data.resting_pulse is not None:
        data.vitals_time = todays.updated_at


def gather_lapse(patient: Patient, stored: UseProfile | None, data: SafetyData) -> None:
    """Whole days without kratom before the latest logged use: the gap back to the use
    before it (an earlier logged use, a taper dose or the onboarding's last dose). None
    without a logged use or an earlier one to measure from."""
    uses = list(UseEvent.objects.filter(patient=patient).order_by("-taken_at", "-pk")[:2])
    if not uses:
        return
    latest = uses[0]
    before = [u.taken_at for u in uses[1:]]
    if stored is not None and stored.last_dose < latest.taken_at:
        before.append(stored.last_dose)
    if before:
        since = max(before)
        # Taper doses between that use and this one end the break too.
        before += [dose.time for source in DOSE_SOURCES
                   for dose in source(patient, since, latest.unit)
                   if dose.time < latest.taken_at]
    if not before:
        return
    data.days_free_before_lapse = max(0, (latest.taken_at - max(before)).days)
    data.lapse_time = latest.created_at


def run_triage(data: SafetyData) -> TriageResult:
    return triage(
        data.profile, data.scores,
        danger_symptoms=sorted(data.danger_symptoms),
        suicide_followup=data.followup,
        timeline_flags=sorted(data.timeline_flags),
        days_since_checkin=data.days_since_checkin,
        phase=data.phase,
        temperature_c=data.temperature_c,
        resting_pulse=data.resting_pulse,
        days_free_before_lapse=data.days_free_before_lapse,
        settings=data.settings,
    )


def _newest_by_rule(
    alerts: Iterable[tuple[str, datetime, datetime | None]],
) -> dict[str, tuple[datetime, bool]]:
    """Each rule's newest alert as (when, still open), from (rule, created, acknowledged)
    rows ordered oldest first: what `_alert_due` decides on."""
    return {rule: (created, acknowledged is None) for rule, created, acknowledged in alerts}


def _alert_due(previous: tuple[datetime, bool] | None, evidence: datetime) -> bool:
    """Whether a flag raises an alert, given its rule's newest alert (when, still open): one
    open per rule, and none for evidence its last alert already covered."""
    return previous is None or (not previous[1] and evidence > previous[0])


def _alert_rows(alerts: QuerySet[Alert]) -> QuerySet[Alert, tuple[str, datetime,
                                                                   datetime | None, int]]:
    return alerts.order_by("created_at").values_list(
        "rule", "created_at", "acknowledged_at", "severity_rank")


def _open_or_of_rules(patient_id: int, *rules: str) -> QuerySet[
        Alert, tuple[str, datetime, datetime | None, int]]:
    return _alert_rows(Alert.objects.filter(Q(rule__in=rules) | Q(acknowledged_at=None),
                                            patient_id=patient_id))


# A check-in's alert read, compiled once for each number of flagged rules up to three
# (common/prepared.py); a check-in flags no more than that but rarely.
_OPEN_OR_OF_RULES = [Prepared(_open_or_of_rules, keys=(int, *(str,) * count))
                     for count in range(4)]


def raise_alerts(patient: Patient, result: TriageResult, evidence: Mapping[str, datetime],
                 source: str, now: datetime) -> list[Alert]:
    """An alert per warning/urgent/emergency flag: one open per rule, none for old evidence."""
    wanted = [flag for flag in result.flags if flag.severity in ALERT_SEVERITIES]
    rules = {flag.id for flag in wanted}
    # During a check-in the same query reads every open alert, which the caseload triage
    # refreshed after this write needs (clinic/triage.py), so it need not read them again.
    held = current_state.attached(patient)
    if held is None:
        rows = list(_alert_rows(Alert.objects.filter(patient=patient, rule__in=rules)))
    elif len(rules) < len(_OPEN_OR_OF_RULES):
        rows = _OPEN_OR_OF_RULES[len(rules)].all(patient.pk, *sorted(rules))
    else:
        rows = list(_open_or_of_rules(patient.pk, *rules))
    latest = _newest_by_rule((rule, created, acknowledged)
                            for rule, created, acknowledged, _ in rows if rule in rules)
    ranks = [rank for _, _, acknowledged, rank in rows if acknowledged is None]
    if held is not None:
        held.open_alert_ranks = ranks
    raised = []
    for flag in wanted:
        if not _alert_due(latest.get(flag.id), evidence[flag.id]):
            continue
        ranks.append(SEVERITY_RANK[flag.severity])  # before the alert's own triage refresh
        raised.append(raise_alert(
            patient, rule=flag.id, severity=flag.severity,
            patient_message=flag.patient_message, clinician_message=flag.clinician_message,
            actions=flag.actions, details=flag.details, source=source,
            evidence_source=flag.source, assumption=flag.assumption or "", now=now,
        ))
    return raised


def stored_fields(result: TriageResult, evidence: Mapping[str, datetime],
                  phase: str | None) -> dict[str, Any]:
    """The stored evaluation's content (SafetyState without when and by what)."""
    rec = result.recommendation.as_dict()
    return {
        "phase": phase or "",
        "flags": [flag.as_dict() for flag in result.flags],
        "highest_severity": result.highest_severity or "",
        "level": rec["level"],
        "level_name": rec["level_name"],
        "reasons": rec["reasons"],
        "recommendation": {k: rec[k] for k in ("level_plain_name", "next_step",
                                               "disclaimer")},
        "evidence": {rule: when.isoformat() for rule, when in evidence.items()},
    }


def store_state(patient: Patient, result: TriageResult, evidence: Mapping[str, datetime],
                source: str, now: datetime, phase: str | None = None) -> SafetyState:
    """Replace the stored evaluation: one upsert, read by nothing before the write's batch is
    sent (common/write_batch.py); pages after it read `patient.safety_state`."""
    fields: dict[str, Any] = {"evaluated_at": now, "source": source,
                              **stored_fields(result, evidence, phase)}
    stored = SafetyState(patient=patient, **fields)
    write_batch.upsert([stored], ["patient"], list(fields))
    patient.safety_state = stored  # what this write stored, for readers after it
    return stored


def evaluate_patient(patient: Patient, actor: User | None, now: datetime, source: str) -> None:
    """AFTER_WRITE hook: triage the patient now, store the result, raise alerts."""
    evaluate_and_store(patient, now, source)


def evaluate_and_store(patient: Patient, now: datetime, source: str) -> SafetyState:
    data = gather(patient, now)
    result = run_triage(data)
    evidence = evidence_times(data, {flag.id for flag in result.flags})
    raise_alerts(patient, result, evidence, source, now)
    state = store_state(patient, result, evidence, source, now, data.phase)
    triage_changed(patient, now)  # the caseload's stored triage (clinic/triage.py)
    return state


SWEEP_CHUNK = 500  # patients read per query: memory stays flat however large the program


@dataclass(frozen=True)
class Shard:
    """One of `count` disjoint parts of the patients (by id), for running the sweep in
    several processes or workers at once: shard i of n takes the ids with id % n == i."""

    index: int = 0
    count: int = 1

    @classmethod
    def parse(cls, text: str) -> Shard:
        """'i/n' with 0 <= i < n, e.g. '0/4' ... '3/4'."""
        index, slash, count = text.partition("/")
        try:
            shard = cls(int(index), int(count))
        except ValueError:
            shard = cls(-1, 0)
        if not slash or not 0 <= shard.index < shard.count:
            raise InvalidInput("shard", f"give I/N with 0 <= I < N, e.g. 0/4 (got {text!r})")
        return shard


def sweep_ids(shard: Shard | None = None, *,
              chunk: int = SWEEP_CHUNK) -> Iterator[list[int]]:
    """The onboarded patients' ids of one shard, `chunk` at a time, in id order (keyset
    paging: each chunk is one query from where the last one stopped)."""
    patients = Patient.objects.exclude(onboarded_at=None)
    if shard is not None and shard.count > 1:
        patients = patients.alias(shard=Mod("pk", shard.count)).filter(shard=shard.index)
    last = 0
    while True:
        ids = list(patients.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)
                   [:chunk])
        if not ids:
            return
        yield ids
        last = ids[-1]


def sweep_one(patient: Patient, now: datetime) -> None:
    """Evaluate one patient in their own transaction, from their current-state row (locked,
    as a check-in locks it, so a concurrent write waits or is waited for). A row a write has
    invalidated is rebuilt from the tables and saved, so the next sweep reads it at once."""
    with transaction.atomic():
        state = current_state.lock(patient)
        changed = not state.valid or state.followup is None
        if not state.valid:
            current_state.rebuild(state, patient)
        current_state.keep(patient, state)
        with write_batch.collected():
            evaluate_and_store(patient, now, "sweep")
            if changed:
                current_state.save_kept(patient)
        patient.__dict__.pop(current_state.ATTACHED, None)


def confirms(patient: Patient, state: CurrentState, stored: SafetyState,
             alerts: Mapping[str, tuple[datetime, bool]], now: datetime) -> bool:
    """Whether evaluating the patient now, from a row read without a lock, gives exactly the
    stored evaluation and raises no alert (`alerts`: each rule's newest, as `_alert_due`
    reads it). Then the sweep has nothing to write for them but the time it looked."""
    if not state.valid or state.followup is None:
        return False  # the row must be rebuilt or completed first, under its lock
    try:
        data = gather_from_state(patient, state, now)
    except NotInState:
        return False
    result = run_triage(data)
    evidence = evidence_times(data, {flag.id for flag in result.flags})
    if any(_alert_due(alerts.get(flag.id), evidence[flag.id]) for flag in result.flags
           if flag.severity in ALERT_SEVERITIES):
        return False
    fields = json.loads(json.dumps(stored_fields(result, evidence, data.phase)))
    return all(getattr(stored, name) == value for name, value in fields.items())


def sweep_chunk(ids: list[int], now: datetime) -> None:
    """Evaluate these patients. Most have the same evaluation as an hour ago: they are
    checked from rows read together, without locks (four queries for the chunk), and only
    their evaluation time is written, in one statement. The rest (a changed result, an
    alert to raise, a row to rebuild) go through `sweep_one` under their row's lock, which
    reads everything again, so a check-in in between is never overwritten by older data."""
    states = current_state.read_many(ids)
    stored = {row.patient_id: row for row in SafetyState.objects.filter(patient__in=ids)}
    history: dict[int, list[tuple[str, datetime, datetime | None]]] = {}
    for patient_id, rule, created, acknowledged in (
            Alert.objects.filter(patient__in=ids).order_by("created_at")
            .values_list("patient_id", "rule", "created_at", "acknowledged_at")):
        history.setdefault(patient_id, []).append((rule, created, acknowledged))
    confirmed = []
    for patient in Patient.objects.filter(pk__in=ids).order_by("pk"):
        state, previous = states.get(patient.pk), stored.get(patient.pk)
        if (state is not None and previous is not None
                and confirms(patient, state, previous,
                             _newest_by_rule(history.get(patient.pk, ())), now)):
            confirmed.append(patient.pk)
        else:
            sweep_one(patient, now)
    # Only forward: a check-in evaluated since `now` keeps its own time and source.
    SafetyState.objects.filter(patient__in=confirmed, evaluated_at__lt=now).update(
        evaluated_at=now, source="sweep")


def sweep(now: datetime, shard: Shard | None = None, *,
          chunk: int = SWEEP_CHUNK) -> dict[str, int]:
    """Re-evaluate every onboarded patient of `shard` (for rules no write triggers, e.g.
    missed check-ins). Idempotent: open alerts are deduplicated, old evidence raises nothing.
    Streams: `chunk` patients in memory at a time, never the whole program."""
    counts = {"patients": 0, "alerts": 0}
    for ids in sweep_ids(shard, chunk=chunk):
        before = Alert.objects.filter(patient__in=ids).count()
        sweep_chunk(ids, now)
        counts["patients"] += len(ids)
        counts["alerts"] += Alert.objects.filter(patient__in=ids).count() - before
    return counts


# --- the read side ------------------------------------------------------------------------


class SafetySummary(TypedDict):
    """What pages and the API read: the stored evaluation plus the decision in force."""

    evaluated_at: str
    highest_severity: str | None
    crisis: bool
    flags: list[dict[str, Any]]
    level: str
    level_name: str
    level_plain_name: str
    next_step: str
    reasons: list[dict[str, Any]]
    disclaimer: str
    decision: dict[str, Any] | None
    effective_level: str
    resources: list[dict[str, Any]]
    first_actions: list[dict[str, Any]]


@dataclass(frozen=True)
class FlagView:
    """A stored flag (SafetyFlag.as_dict()) as the routing and resource tables read it."""

    severity: str
    actions: tuple[str, ...]
    family: str | None = None


def flag_views(flags: list[dict[str, Any]]) -> list[FlagView]:
    return [FlagView(str(f["severity"]), tuple(a["id"] for a in f["actions"]),
                     f.get("family")) for f in flags]


def stored_first_actions(flags: list[dict[str, Any]]) -> tuple[FirstAction, ...]:
    """What to do first for these stored flags, most pressing first (care/routing.py)."""
    return first_actions(flag_views(flags))


def latest_decision(patient: Patient) -> LevelOfCareDecision | None:
    return (LevelOfCareDecision.objects.filter(patient=patient).select_related("decided_by")
            .order_by("-decided_at").first())


def summarize(state: SafetyState, decision: LevelOfCareDecision | None) -> SafetySummary:
    flags = [dict(f) for f in state.flags]
    views = flag_views(flags)
    level = level_in_force(state.level, decision.level if decision else None)
    return SafetySummary(
        evaluated_at=state.evaluated_at.isoformat(),
        highest_severity=state.highest_severity or None,
        crisis=any(f["severity"] in CRISIS_SEVERITIES for f in flags),
        flags=flags,
        level=state.level,
        level_name=state.level_name,
        level_plain_name=str(state.recommendation.get("level_plain_name", "")),
        next_step=str(state.recommendation.get("next_step", "")),
        reasons=list(state.reasons),
        disclaimer=str(state.recommendation.get("disclaimer", "")),
        decision=None if decision is None else {
            "level": decision.level,
            "level_name": LEVEL_BY_CODE[decision.level].name,
            "reason": decision.reason,
            "decided_by": str(decision.decided_by) if decision.decided_by else None,
            "decided_at": decision.decided_at.isoformat(),
        },
        effective_level=level.code,
        resources=[r.as_dict() for r in resources_for(views)],
        first_actions=[a.as_dict() for a in first_actions(views)],
    )


def current_safety(patient: Patient, now: datetime | None = None) -> SafetySummary | None:
    """The patient's latest stored evaluation (for the API and pages); None before any write.

    Reads only; never raises alerts. Call `evaluate_and_store` to refresh.
    """
    state = SafetyState.objects.filter(patient=patient).first()
    if state is None:
        return None
    return summarize(state, latest_decision(patient))

