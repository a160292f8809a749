"""Bedside pages for the patient's care team (vitals flowsheet, serial COWS and CIWA-Ar,
orders, labs, the medication administration record) and the program admin's analyte list.
Reads are audited; writes go through bedside/actions.py."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kratom_recovery.care import induction
from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.instruments import get_instrument
from kratom_recovery.care.medicines import NAMES
from kratom_recovery.care.vitals import LIMIT_NAMES, cows_pulse_score
from kratom_recovery.web.accounts.decorators import (
    AuthedRequest,
    admin_required,
    clinician_required,
)
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.bedside import actions, queries
from kratom_recovery.web.bedside.defaults import ensure_default_analytes
from kratom_recovery.web.bedside.forms import (
    AnalyteForm,
    AssessmentForm,
    DoseForm,
    InductionForm,
    LabsForm,
    MedicationOrderForm,
    NewAnalyteForm,
    OrdersForm,
    ThresholdForm,
    VitalsForm,
    aware,
)
from kratom_recovery.web.bedside.models import Induction, LabAnalyte, MedicationOrder
from kratom_recovery.web.common.forms import add_domain_error
from kratom_recovery.web.patients.access import get_patient_for
from kratom_recovery.web.patients.models import Patient

URL_NAMES = {"cows": "cows", "ciwa-ar": "ciwa-ar"}
# The order form's search list: every name in the medicine table, once.
MEDICINE_NAMES = sorted({n.name for n in NAMES})


def orders_initial(patient: Patient) -> dict[str, object]:
    orders = actions.orders_for(patient)
    if orders is None:
        return {}
    return {"interval_minutes": orders.assessment_interval_minutes or "",
            **{name: f"{value:g}" for name, value in orders.limits.items()}}


@clinician_required
@require_http_methods(["GET", "POST"])
def vitals(request: AuthedRequest, patient_id: int) -> HttpResponse:
    """The flowsheet: enter a set of vitals; see each vital's latest value, trend and chart."""
    patient = get_patient_for(request.user, patient_id)
    form = VitalsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_vitals(patient, request.user, form.values(),
                                  taken_at=aware(form, "taken_at"))
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Vitals saved."))
            return redirect("vitals", patient_id=patient.pk)
    audit.record(request.user, patient, "read", "vitals")
    rows = queries.flowsheet(patient)
    orders = actions.orders_for(patient)
    limits = [(name, orders.limits[name]) for name, _v, _d in LIMIT_NAMES
              if orders and name in orders.limits]
    return render(request, "bedside/vitals.html", {
        "patient": patient, "form": form, "series": queries.series(rows),
        "rows": [(row, None if row.pulse is None else cows_pulse_score(row.pulse))
                 for row in rows],
        "limits": limits, "program_limits": actions.program_limits(),
    }, status=400 if form.errors else 200)


@clinician_required
@require_http_methods(["GET", "POST"])
def assessment(request: AuthedRequest, patient_id: int, instrument_id: str) -> HttpResponse:
    """COWS or CIWA-Ar at the bedside: big touch targets, the total and band updated as items
    are tapped (static JS; without it they show after saving), the time assessed, and when
    the next one is due under the clinician's interval."""
    if instrument_id not in actions.BEDSIDE_INSTRUMENTS:
        raise Http404
    patient = get_patient_for(request.user, patient_id)
    instrument = get_instrument(instrument_id)
    form = AssessmentForm(instrument_id, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            response = actions.record_assessment(
                patient, request.user, instrument_id, form.item_answers(),
                assessed_at=aware(form, "assessed_at"),
                resting_pulse=form.cleaned_data.get("resting_pulse"),
            )
        except InvalidInput as error:
            form.add_error_from(error)
        else:
            band = instrument.band_for(response.total)
            messages.success(request, _("%(name)s saved: %(total)d of %(max)d (%(band)s).") % {
                "name": instrument.short_name, "total": response.total,
                "max": response.max_total, "band": band.label if band else "–"})
            return redirect(URL_NAMES[instrument_id], patient_id=patient.pk)
    audit.record(request.user, patient, "read", f"bedside:{instrument_id}")
    now = timezone.now()
    bands = [{"low": b.low, "high": b.high, "label": b.label} for b in instrument.bands]
    pulse_bands = [] if instrument_id != "cows" else [
        {"pulse": p, "score": cows_pulse_score(p)} for p in (80, 100, 120)]
    return render(request, "bedside/assessment.html", {
        "patient": patient, "form": form, "instrument": instrument,
        "history": queries.assessment_history(patient, instrument_id),
        "due": queries.due_for(patient, now),
        "orders_form": OrdersForm(initial=orders_initial(patient)),
        "score_data": json.dumps({"max": instrument.max_total, "bands": bands,
                                  "pulse": pulse_bands, "prefix": f"{instrument_id}-"}),
    }, status=400 if form.errors else 200)


@clinician_required
@require_http_methods(["GET", "POST"])
def orders(request: AuthedRequest, patient_id: int) -> HttpResponse:
    """The clinician's assessment interval and vital-sign limits for this patient."""
    patient = get_patient_for(request.user, patient_id)
    form = OrdersForm(request.POST or None, initial=orders_initial(patient))
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_orders(patient, request.user,
                               interval_minutes=form.cleaned_data["interval_minutes"],
                               limits=form.limits())
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Orders saved."))
            return redirect("vitals", patient_id=patient.pk)
    audit.record(request.user, patient, "read", "bedside-orders")
    return render(request, "bedside/orders.html", {"patient": patient, "form": form},
                  status=400 if form.errors else 200)


@clinician_required
@require_http_methods(["GET", "POST"])
def lab_results(request: AuthedRequest, patient_id: int) -> HttpResponse:
    """Enter a panel's results (urine drug screen, kratom alkaloids, liver tests, pregnancy
    test, ECG QTc) and see the history, flagged against the program's ranges."""
    patient = get_patient_for(request.user, patient_id)
    form = LabsForm(actions.active_analytes(), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_labs(patient, request.user, form.results(),
                                collected_at=aware(form, "collected_at"))
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Results saved."))
            return redirect("labs", patient_id=patient.pk)
    audit.record(request.user, patient, "read", "labs")
    return render(request, "bedside/labs.html", {
        "patient": patient, "form": form, "history": queries.lab_history(patient),
    }, status=400 if form.errors else 200)


# --- program admin: the analyte list ------------------------------------------------------


def analyte_rows(bound: AnalyteForm | None = None,
                 bound_pk: int | None = None) -> list[tuple[LabAnalyte, AnalyteForm]]:
    """Each analyte with its edit form (the one just posted keeps its input and errors)."""
    return [(a, bound if bound is not None and a.pk == bound_pk else AnalyteForm(
        prefix=f"a{a.pk}", initial={
            "name": a.name, "loinc": a.loinc, "active": a.active,
            "low": "" if a.low is None else a.low, "high": "" if a.high is None else a.high,
        })) for a in LabAnalyte.objects.all()]


@admin_required
def analytes(request: AuthedRequest) -> HttpResponse:
    """The program's analytes: names, codes, ranges; and a form to add one."""
    ensure_default_analytes()
    return render(request, "bedside/analytes.html", {"rows": analyte_rows(),
                                                     "new": NewAnalyteForm()})


@admin_required
@require_POST
def analyte_edit(request: AuthedRequest, analyte_id: int) -> HttpResponse:
    analyte = get_object_or_404(LabAnalyte, pk=analyte_id)
    form = AnalyteForm(request.POST, prefix=f"a{analyte.pk}")
    if form.is_valid():
        try:
            actions.update_analyte(request.user, analyte, name=form.cleaned_data["name"],
                                   loinc=form.cleaned_data["loinc"],
                                   low=form.cleaned_data["low"], high=form.cleaned_data["high"],
                                   active=form.cleaned_data["active"])
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": analyte.name})
            return redirect("lab-analytes")
    return render(request, "bedside/analytes.html", {
        "rows": analyte_rows(form, analyte.pk), "new": NewAnalyteForm()}, status=400)


@admin_required
@require_POST
def analyte_new(request: AuthedRequest) -> HttpResponse:
    form = NewAnalyteForm(request.POST)
    if form.is_valid():
        try:
            actions.add_analyte(request.user, **form.cleaned_data)
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Analyte added."))
            return redirect("lab-analytes")
    return render(request, "bedside/analytes.html", {"rows": analyte_rows(), "new": form},
                  status=400)


# --- comfort-medication orders and the administration record (MAR) ------------------------


def _mar_page(request: AuthedRequest, patient: Patient, *, bound: DoseForm | None = None,
              bound_order: int | None = None, status: int = 200) -> HttpResponse:
    audit.record(request.user, patient, "read", "mar")
    orders = queries.medication_orders(patient)
    return render(request, "bedside/mar.html", {
        "patient": patient,
        "orders": [(o, o.spec(), None if o.stopped_at else (
            bound if bound is not None and o.pk == bound_order
            else DoseForm(prefix=f"o{o.pk}"))) for o in orders],
        "doses": queries.dose_rows(patient),
    }, status=status)


@clinician_required
def mar(request: AuthedRequest, patient_id: int) -> HttpResponse:
    """The medication administration record: each order as written with a form to record a
    dose given, held or refused, and the doses with the COWS before and after."""
    return _mar_page(request, get_patient_for(request.user, patient_id))


@clinician_required
@require_http_methods(["GET", "POST"])
def mar_order(request: AuthedRequest, patient_id: int) -> HttpResponse:
    """A new comfort-medication order; every value is the clinician's entry."""
    patient = get_patient_for(request.user, patient_id)
    form = MedicationOrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_order(patient, request.user, form.cleaned_data, form.hold_rows())
        except InvalidInput as error:
            form.add_error_from(error)
        else:
            messages.success(request, _("Order saved."))
            return redirect("mar", patient_id=patient.pk)
    audit.record(request.user, patient, "read", "mar-order")
    return render(request, "bedside/mar_order.html", {
        "patient": patient, "form": form, "names": MEDICINE_NAMES,
    }, status=400 if form.errors else 200)


def _order_for(request: AuthedRequest, patient_id: int, order_id: int) -> MedicationOrder:
    patient = get_patient_for(request.user, patient_id)
    return get_object_or_404(MedicationOrder, pk=order_id, patient=patient)


@clinician_required
@require_POST
def mar_dose(request: AuthedRequest, patient_id: int, order_id: int) -> HttpResponse:
    """Record a dose against an order. A dose the order's limits forbid is refused with the
    parameter named and nothing written."""
    order = _order_for(request, patient_id, order_id)
    form = DoseForm(request.POST, prefix=f"o{order.pk}")
    if form.is_valid():
        try:
            actions.record_dose(order, request.user, outcome=form.cleaned_data["outcome"],
                                at=aware(form, "at"), reason=form.cleaned_data["reason"])
        except InvalidInput as error:
            if error.field in form.fields:
                form.add_error(error.field, error.message)
            else:
                form.add_error(None, _("Not recorded (%(what)s): %(why)s") % {
                    "what": error.field, "why": error.message})
        else:
            messages.success(request, _("Dose recorded."))
            return redirect("mar", patient_id=order.patient.pk)
    return _mar_page(request, order.patient, bound=form, bound_order=order.pk, status=400)


@clinician_required
@require_POST
def mar_stop(request: AuthedRequest, patient_id: int, order_id: int) -> HttpResponse:
    order = _order_for(request, patient_id, order_id)
    try:
        actions.stop_order(order, request.user)
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Order stopped."))
    return redirect("mar", patient_id=order.patient.pk)


# --- buprenorphine induction ----------------------------------------------------------------

LAST_USE_FIELDS = {"leaf": "last_leaf", "extract": "last_extract", "7-oh": "last_7oh"}


def _local(form: InductionForm, name: str) -> datetime | None:
    value: datetime | None = form.cleaned_data.get(name)
    return None if value is None else value.replace(tzinfo=timezone.get_current_timezone())


def _induction_initial(row: Induction | None) -> dict[str, object]:
    if row is None:
        return {}
    stamp = {name: timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")
             for product, name in LAST_USE_FIELDS.items()
             if (when := row.last_uses()[product]) is not None}
    return {**stamp, "reassess_minutes": row.reassess_minutes or "", "low_dose": row.low_dose,
            "schedule": row.schedule}


@clinician_required
@require_http_methods(["GET", "POST"])
def induction_page(request: AuthedRequest, patient_id: int) -> HttpResponse:
    """The buprenorphine induction checklist: last use by product with hours since, the
    COWS trend against the program's line, the warning, the reassessment timer after each
    dose and the low-dose schedule. Doses are written as MAR orders by the clinician."""
    patient = get_patient_for(request.user, patient_id)
    row = Induction.objects.filter(patient=patient).first()
    form = InductionForm(request.POST or None, initial=_induction_initial(row))
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_induction(
                patient, request.user,
                last_uses={p: _local(form, n) for p, n in LAST_USE_FIELDS.items()},
                reassess_minutes=form.cleaned_data["reassess_minutes"],
                low_dose=form.cleaned_data["low_dose"], schedule=form.cleaned_data["schedule"])
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Induction checklist saved."))
            return redirect("induction", patient_id=patient.pk)
    audit.record(request.user, patient, "read", "induction")
    now = timezone.now()
    threshold = actions.induction_threshold()
    cows = queries.assessment_history(patient, "cows")
    uses = row.last_uses() if row else {}
    products = []
    for key, label in induction.PRODUCTS.items():
        when = uses.get(key)
        products.append((key, label, when,
                         None if when is None else induction.hours_since(when, now),
                         induction.HALF_LIFE_NOTES[key]))
    last_dose = queries.last_buprenorphine_dose(patient)
    reassess_at = None if last_dose is None or row is None or not row.reassess_minutes \
        else last_dose.at + timedelta(minutes=row.reassess_minutes)
    return render(request, "bedside/induction.html", {
        "patient": patient, "form": form, "threshold": threshold, "cows": cows,
        "latest_cows": cows[0] if cows else None, "products": products,
        "caution_7oh": induction.CAUTION_7OH, "warning": induction.PRECIPITATED_WARNING,
        "last_dose": last_dose, "reassess_at": reassess_at,
        "reassess_overdue": reassess_at is not None and reassess_at <= now,
        "row": row,
    }, status=400 if form.errors else 200)


@admin_required
@require_http_methods(["GET", "POST"])
def induction_threshold(request: AuthedRequest) -> HttpResponse:
    """The program admin sets the COWS line for the first buprenorphine dose (no default)."""
    current = actions.induction_threshold()
    form = ThresholdForm(request.POST or None,
                         initial={"cows_threshold": current if current is not None else ""})
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_induction_threshold(request.user, form.cleaned_data["cows_threshold"])
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("induction-threshold")
    return render(request, "bedside/induction_threshold.html", {
        "form": form, "current": current}, status=400 if form.errors else 200)
