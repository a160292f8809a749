"""Every page the patient reaches, under /me/: one file to read what a patient can open."""

from django.urls import URLPattern, URLResolver, path

from kratom_recovery.web.accounts.idempotency import keyed_form_post
from kratom_recovery.web.exports import views as exports
from kratom_recovery.web.followup import views as followup
from kratom_recovery.web.messaging import views as messaging
from kratom_recovery.web.notify import views as notify
from kratom_recovery.web.pages import summary
from kratom_recovery.web.pages import views as pages
from kratom_recovery.web.patients import views as patients
from kratom_recovery.web.recovery import views as recovery
from kratom_recovery.web.recovery.journal import views as journal
from kratom_recovery.web.recovery.measures import views as measures
from kratom_recovery.web.safety import views as safety
from kratom_recovery.web.safety.plan import views as safety_plan
from kratom_recovery.web.tapers import views as tapers

PLAN = "tapers/<uuid:series>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", pages.home, name="patient-home"),
    path("onboarding/", patients.onboarding, name="onboarding"),
    # The offline queue resends a check-in with an Idempotency-Key (recorded once).
    path("checkin/", keyed_form_post(patients.checkin), name="checkin"),
    path("questionnaires/<slug:instrument_id>/", patients.questionnaire, name="questionnaire"),
    path("use/", patients.log_use, name="log-use"),
    path("join/", patients.join, name="join"),
    path("contact/", patients.contact, name="contact"),
    path("messages/", messaging.patient_thread, name="messages"),
    path("messages/notices/", messaging.notices, name="message-notices"),
    path("safety-check/", safety.safety_check, name="safety-check"),
    path("safety-plan/", safety_plan.my_plan, name="my-safety-plan"),
    path("safety-plan/edit/", safety_plan.my_plan_edit, name="my-safety-plan-edit"),
    path("alert-delivery/", notify.my_alert_delivery, name="my-alert-delivery"),
    # tapers
    path("tapers/", tapers.index, name="tapers"),
    path("tapers/new/", tapers.new, name="taper-new"),
    path(PLAN, tapers.plan, name="taper-plan"),
    path(PLAN + "log/", tapers.log, name="taper-log"),
    path(PLAN + "stop/", tapers.stop, name="taper-stop"),
    path(PLAN + "calendar/", tapers.calendar, name="taper-calendar"),
    path(PLAN + "plan.ics", tapers.download, {"fmt": "ics"}, name="taper-ics"),
    path(PLAN + "plan.json", tapers.download, {"fmt": "json"}, name="taper-json"),
    # recovery tools
    path("coping/", recovery.coping, name="recovery-coping"),
    path("coping/feedback/", recovery.coping_feedback, name="recovery-coping-feedback"),
    path("exercises/", recovery.exercise_list, name="recovery-exercises"),
    path("exercises/entries/<int:entry_id>/", recovery.exercise_entry,
         name="recovery-exercise-entry"),
    path("exercises/<slug:exercise_id>/", recovery.exercise, name="recovery-exercise"),
    path("plan/", recovery.plan, name="recovery-plan"),
    path("plan/edit/", recovery.plan_edit, name="recovery-plan-edit"),
    path("lapse/", recovery.lapse, name="recovery-lapse"),
    path("progress/", recovery.progress, name="recovery-progress"),
    path("progress/settings/", recovery.progress_settings, name="recovery-settings"),
    path("journal/", journal.journal, name="recovery-journal"),
    path("journal/<int:entry_id>/", journal.journal_entry, name="recovery-journal-entry"),
    path("measures/", measures.measures, name="recovery-measures"),
    path("measures/add/", measures.measure_add, name="recovery-measure-add"),
    path("measures/<int:measure_id>/archive/", measures.measure_archive,
         name="recovery-measure-archive"),
    path("sharing/", recovery.sharing, name="recovery-sharing"),
    path("record-access/", recovery.record_access, name="recovery-record-access"),
    # own data
    path("data/", exports.my_data, name="my-data"),
    path("data/download/", exports.my_data_download, name="my-data-download"),
    path("data/summary/", summary.appointment_summary, name="appointment-summary"),
    path("data/delete/", exports.delete_account, name="delete-account"),
    # follow-up and reminders
    path("follow-up/", followup.followup_page, name="followup"),
    path("follow-up/sud/", followup.sud_questionnaire, name="followup-sud"),
    path("follow-up/calendar.ics", followup.calendar_download, name="followup-ics"),
    path("reminders/", followup.reminders, name="reminders"),
    path("reminders/calendar/", followup.calendar_feed_settings, name="calendar-feed-settings"),
]
