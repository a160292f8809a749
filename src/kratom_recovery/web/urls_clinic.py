"""Every page a clinician reaches, under /clinic/: the caseload, the chart and its tools."""

from django.urls import URLPattern, URLResolver, path

from kratom_recovery.web.bedside import views as bedside
from kratom_recovery.web.clinic import reset_code
from kratom_recovery.web.clinic import views as clinic
from kratom_recovery.web.exports import views as exports
from kratom_recovery.web.followup import views as followup
from kratom_recovery.web.followup.moud import views as moud
from kratom_recovery.web.messaging import views as messaging
from kratom_recovery.web.pages import views as pages
from kratom_recovery.web.safety import views as safety
from kratom_recovery.web.safety.plan import views as safety_plan
from kratom_recovery.web.tapers import views as tapers

PATIENT = "patients/<int:patient_id>/"
TAPERS = PATIENT + "tapers/"
TAPER = TAPERS + "<uuid:series>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", clinic.caseload, name="caseload"),
    # The caseload's background poll (web/common/polling.py: never extends the session).
    path("alerts.json", clinic.alerts_feed, name="clinic-alerts-feed"),
    path("invites/", clinic.new_invite, name="new-invite"),
    path("invites/<str:code>/", clinic.invite_page, name="invite"),
    path("alerts/<int:alert_id>/", safety.alert_page, name="alert"),
    path(PATIENT, pages.chart, name="chart"),
    path(PATIENT + "notes/", clinic.notes, name="notes"),
    path(PATIENT + "reset-code/", reset_code.reset_code, name="reset-code"),
    path(PATIENT + "messages/", messaging.clinic_thread, name="clinic-messages"),
    # bedside: vitals flowsheet, serial COWS and CIWA-Ar, orders, labs
    path(PATIENT + "cows/", bedside.assessment, {"instrument_id": "cows"}, name="cows"),
    path(PATIENT + "ciwa-ar/", bedside.assessment, {"instrument_id": "ciwa-ar"},
         name="ciwa-ar"),
    path(PATIENT + "vitals/", bedside.vitals, name="vitals"),
    path(PATIENT + "bedside-orders/", bedside.orders, name="bedside-orders"),
    path(PATIENT + "labs/", bedside.lab_results, name="labs"),
    path(PATIENT + "mar/", bedside.mar, name="mar"),
    path(PATIENT + "mar/order/", bedside.mar_order, name="mar-order"),
    path(PATIENT + "mar/<int:order_id>/dose/", bedside.mar_dose, name="mar-dose"),
    path(PATIENT + "mar/<int:order_id>/stop/", bedside.mar_stop, name="mar-stop"),
    path(PATIENT + "induction/", bedside.induction_page, name="induction"),
    # MOUD and naloxone (followup app), the discharge summary (exports app)
    path(PATIENT + "moud/", moud.moud_page, name="moud"),
    path(PATIENT + "discharge/", exports.discharge_list, name="discharge"),
    path(PATIENT + "discharge/<int:summary_id>/", exports.discharge_summary,
         name="discharge-summary"),
    path(PATIENT + "discharge/<int:summary_id>/fhir/", exports.discharge_fhir,
         name="discharge-fhir"),
    path(PATIENT + "level-of-care/", safety.level_of_care, name="level-of-care"),
    path(PATIENT + "risk-assessment/", safety_plan.risk_assessment,
         name="clinic-risk-assessment"),
    path(PATIENT + "safety-plan/", safety_plan.clinic_plan, name="clinic-safety-plan"),
    path(PATIENT + "safety-plan/edit/", safety_plan.clinic_plan_edit,
         name="clinic-safety-plan-edit"),
    path(PATIENT + "export/fhir/", exports.fhir_bundle, name="export-fhir"),
    path(PATIENT + "appointments/new/", followup.new_appointment, name="new-appointment"),
    path(PATIENT + "follow-up/anchor/", followup.set_anchor, name="followup-anchor"),
    # tapers and medicines
    path(TAPERS, tapers.clinic_index, name="clinic-tapers"),
    path(TAPERS + "medication/", tapers.clinic_medication, name="clinic-medication-new"),
    path(TAPERS + "signoff/", tapers.clinic_signoff, name="clinic-taper-signoff"),
    path(TAPER, tapers.clinic_plan, name="clinic-taper"),
    path(TAPER + "edit/", tapers.clinic_edit, name="clinic-taper-edit"),
    path(TAPER + "stop/", tapers.clinic_stop, name="clinic-taper-stop"),
    path(TAPER + "calendar/", tapers.clinic_calendar, name="clinic-taper-calendar"),
    path(TAPER + "plan.ics", tapers.clinic_download, {"fmt": "ics"}, name="clinic-taper-ics"),
    path(TAPER + "plan.json", tapers.clinic_download, {"fmt": "json"},
         name="clinic-taper-json"),
]
