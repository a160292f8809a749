"""The clinician's caseload, triaged by risk (care.caseload), in a constant number of queries.

The order, the tier filter and the paging run in SQL on each patient's stored triage
(clinic/triage.py), so the cost grows with the page, not the caseload. Then one annotated
query reads the page's patients' latest scores, check-in and taper dose, a prefetch their
active kratom tapers, and their open alerts come with those the page shows in full
(clinic/live.alerts_in_full); nothing is queried per row (tests/web/test_caseload.py counts
the queries).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext, gettext_lazy, ngettext

from kratom_recovery.care.caseload import CaseloadRow, OpenAlert, Priority, prioritize
from kratom_recovery.care.caseload import trend as sows_trend
from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.taper import adapt_plan, parse_taper_request
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.clinic.triage import ranked
from kratom_recovery.web.common.links import link_for
from kratom_recovery.web.messaging.queries import unread_for_team_subquery
from kratom_recovery.web.patients.access import visible_patients
from kratom_recovery.web.patients.models import CheckIn, InstrumentResponse, Patient
from kratom_recovery.web.patients.queries import days_since_last_use
from kratom_recovery.web.recovery.models import SharingConsent
from kratom_recovery.web.safety.models import Alert
from kratom_recovery.web.tapers.models import DoseTaken, TaperPlanRecord
from kratom_recovery.web.tapers.plans import checkin_summaries_for

SCORED = ("sows", "craving", "cows", "phq9", "gad7")
TIER_LABELS = {1: gettext_lazy("Urgent"), 2: gettext_lazy("Off course"),
               3: gettext_lazy("Follow up"), 4: gettext_lazy("No flags")}
ROW_COLUMNS = ("timezone", "last_use_at", "phone", "user__username", "user__display_name",
               "user__email", "safety_state__phase", "safety_state__flags")


def latest_response(instrument: str, field_name: str, offset: int = 0) -> Subquery:
    return Subquery(
        InstrumentResponse.objects.filter(patient=OuterRef("pk"), instrument=instrument)
        .order_by("-recorded_at")
        .values(field_name)[offset : offset + 1]
    )


def series_started() -> Subquery:
    """When a plan's first version was saved: an edit does not restart the grace period."""
    return Subquery(
        TaperPlanRecord.objects.filter(series=OuterRef("series")).order_by("version")
        .values("created_at")[:1]
    )


def taper_days(record: Any, today: date, patient: Patient) -> int:
    """Days the plan has run: from the later of its first save and its first day."""
    started = patient.today(record.series_started)
    try:
        first_day = date.fromisoformat(str(record.request.get("start")))
    except ValueError:
        first_day = started
    return (today - max(started, first_day)).days


def annotated(clinician: User) -> QuerySet[Patient]:
    """The page's patients with what their rows show (their open alerts are added apart)."""
    annotations: dict[str, Any] = {
        "latest_checkin": Subquery(
            CheckIn.objects.filter(patient=OuterRef("pk")).order_by("-local_date")
            .values("local_date")[:1]
        ),
        "previous_sows": latest_response("sows", "total", offset=1),
        "last_taper_dose": Subquery(
            DoseTaken.objects.filter(patient=OuterRef("pk"), plan__kind="kratom")
            .order_by("-taken_at").values("taken_at")[:1]
        ),
        "shares_checkins": Subquery(
            SharingConsent.objects.filter(patient=OuterRef("pk")).values("checkins")[:1]
        ),
        "unread_messages": unread_for_team_subquery(),
    }
    for instrument in SCORED:
        key = instrument.replace("-", "_")
        annotations[f"{key}_total"] = latest_response(instrument, "total")
        annotations[f"{key}_band"] = latest_response(instrument, "band")
    return (
        visible_patients(clinician)
        .select_related("safety_state")
        # Only what a row shows: the safety state's reasons and evidence, the user's
        # password and dates, decoded for a hundred rows, cost more than the row itself.
        .only(*ROW_COLUMNS)
        .annotate(**annotations)
        .prefetch_related(
            Prefetch("taper_plans",
                     queryset=TaperPlanRecord.objects.filter(active=True, kind="kratom")
                     .annotate(series_started=series_started()),
                     to_attr="active_tapers"),
        )
    )


@dataclass(frozen=True)
class Score:
    """A latest score as a row shows it (attributes, not a tuple: a template's `.0` look-up
    first fails as a key and as an attribute, and that costs more than the cell)."""

    total: int
    band: str


@dataclass
class Row:
    patient: Patient
    priority: Priority
    phase: str
    shared: bool
    scores: dict[str, Score | None] = field(default_factory=dict)
    trend: str = ""
    days_free: int | None = None
    days_since_checkin: int | None = None
    taper: str = ""
    alerts: list[Alert] = field(default_factory=list)  # open ones (live.alerts_in_full)
    unread_messages: int = 0  # the patient's messages no one on the team has read
    chart_url: str = ""
    messages_url: str = ""

    @property
    def tier_label(self) -> str:
        return str(TIER_LABELS.get(self.priority.tier, TIER_LABELS[4]))

    @property
    def last_checkin(self) -> str:
        """"today", "3 days ago" or "–": worded here, not by a template tag on every row."""
        days = self.days_since_checkin
        if days is None:
            return "–"
        if days == 0:
            return gettext("today")
        return ngettext("%(n)d day ago", "%(n)d days ago", days) % {"n": days}


def taper_texts(patients: list[Any], now: datetime) -> dict[int, str]:
    """"step 2/9 · 13.5 g/d" for each tapering patient: the adapted plan the patient sees
    (holds included), with everyone's recent check-ins read in one query."""
    tapering = [p for p in patients if p.active_tapers]
    if not tapering:
        return {}
    requests = {}
    for patient in tapering:
        try:
            requests[patient.pk] = parse_taper_request(patient.active_tapers[0].request)
        except InvalidInput:
            continue
    if not requests:
        return {}
    checkins = checkin_summaries_for(tapering, min(r.start for r in requests.values()))
    texts = {}
    for patient in tapering:
        request = requests.get(patient.pk)
        if request is None:
            texts[patient.pk] = patient.active_tapers[0].name
            continue
        today = patient.today(now)
        plan = adapt_plan(request, checkins[patient.pk], today)
        index = next((i for i, s in enumerate(plan.steps) if s.start <= today <= s.end),
                     len(plan.steps) - 1 if today > plan.start else 0)
        step = plan.steps[index]
        held = " ⏸" if plan.holds else ""
        texts[patient.pk] = (f"{index + 1}/{len(plan.steps)} · {step.daily_amount:g} "
                             f"{step.unit}/d{held}")
    return texts


Links = tuple[Callable[[int], str], Callable[[int], str]]


def row_links() -> Links:
    """A row's links (chart, messages), reversed once for a page of rows."""
    return link_for("chart"), link_for("clinic-messages")


def build_row(patient: Any, now: datetime, taper: str = "", links: Links | None = None) -> Row:
    today = patient.today(now)
    state = getattr(patient, "safety_state", None)
    shared = patient.shares_checkins is not False  # no consent row: the default, shared
    days_since_checkin = (today - patient.latest_checkin).days if patient.latest_checkin else None
    last_dose = patient.last_taper_dose
    domain_row = CaseloadRow(
        phase=(state.phase or None) if state else None,
        timeline_flags=frozenset(
            f["id"] for f in (state.flags if state and shared else [])
            if f["id"] in ("worse-than-expected", "prolonged-acute")
        ),
        sows=patient.sows_total if shared else None,
        previous_sows=patient.previous_sows if shared else None,
        alerts=[OpenAlert(a.rule, a.severity, a.why) for a in patient.open_alerts],
        days_since_checkin=days_since_checkin,
        on_taper=bool(patient.active_tapers),
        days_since_taper_dose=None if last_dose is None else (
            today - patient.today(last_dose)).days,
        taper_days=taper_days(patient.active_tapers[0], today, patient)
        if patient.active_tapers else None,
    )
    # Every instrument has a key (None when not scored or not shared): the template's
    # look-up of a missing key is an exception, costly on a hundred rows.
    scores: dict[str, Score | None] = dict.fromkeys(SCORED)
    if shared:
        for instrument in SCORED:
            total = getattr(patient, f"{instrument}_total")
            if total is not None:
                scores[instrument] = Score(total, getattr(patient, f"{instrument}_band") or "")
    chart, messages = links or row_links()
    return Row(
        patient=patient,
        priority=prioritize(domain_row),
        phase=domain_row.phase or "",
        shared=shared,
        scores=scores,
        trend=sows_trend(domain_row),
        days_free=days_since_last_use(patient, now),
        days_since_checkin=days_since_checkin,
        taper=taper,
        alerts=list(patient.open_alerts),
        unread_messages=patient.unread_messages,
        chart_url=chart(patient.pk),
        messages_url=messages(patient.pk),
    )


class Counted:
    """Patient ids whose number is already known, so the paginator does not count again."""

    def __init__(self, ids: QuerySet[Patient, int], total: int) -> None:
        self.ids, self.total = ids, total

    def count(self) -> int:
        return self.total

    def __getitem__(self, index: slice) -> QuerySet[Patient, int]:
        return self.ids[index]


def filtered(clinician: User, now: datetime, *, search: str = "", tier: str = "",
             phase: str = "") -> tuple[QuerySet[Patient], Counted | QuerySet[Patient, int]]:
    """The clinician's patients, most urgent first (clinic/triage.py), after the filters:
    name search, tier ('attention' = 1–3) and phase; and their ids for the paginator,
    already counted when no tier filter needs the order's own expressions (a query fewer)."""
    patients = visible_patients(clinician)
    if search:
        patients = patients.filter(Q(user__display_name__icontains=search)
                                   | Q(user__username__icontains=search))
    if phase:
        patients = patients.filter(safety_state__phase=phase)
    by_zone = dict(patients.order_by().values_list("timezone").annotate(n=Count("pk")))
    tiers = (1, 2, 3) if tier == "attention" else (int(tier),) if tier.isdigit() else ()
    ordered = ranked(patients, by_zone, now, tiers)
    ids = ordered.values_list("pk", flat=True)
    return ordered, (ids if tiers else Counted(ids, sum(by_zone.values())))


def page_of_ids(ids: Counted | QuerySet[Patient, int], *, per_page: int,
                number: str | None = None) -> Page[int]:
    """One page of patient ids from `filtered`: sorted and paged in SQL on the stored
    triage."""
    return Paginator(ids, per_page).get_page(number)  # type: ignore[arg-type]


def with_rows(clinician: User, page: Page[int], now: datetime,
              alerts: Iterable[Alert]) -> Page[Row]:
    """The page's patients read in full and given their rows (reasons, scores, taper), in a
    number of queries that grows with neither caseload nor page. `alerts`: open alerts
    that include all of the page's patients' (clinic/live.alerts_in_full)."""
    on_page = list(page.object_list)
    loaded = {p.pk: p for p in annotated(clinician).filter(pk__in=on_page)}
    rows: list[Any] = [loaded[pk] for pk in on_page if pk in loaded]
    by_patient: dict[int, list[Alert]] = {}
    for alert in alerts:
        by_patient.setdefault(alert.patient_id, []).append(alert)
    for patient in rows:
        patient.open_alerts = by_patient.get(patient.pk, [])
    tapers = taper_texts(rows, now)
    filled: Page[Any] = page
    links = row_links()
    filled.object_list = [build_row(p, now, tapers.get(p.pk, ""), links) for p in rows]
    return filled


def open_alerts_of(patients: QuerySet[Patient], limit: int) -> list[Alert]:
    """Open alerts of these patients, most severe and newest first."""
    return list(Alert.objects.filter(acknowledged_at=None, patient__in=patients.values("pk"))
                .select_related("patient__user")
                .order_by("-severity_rank", "-created_at")[:limit])
