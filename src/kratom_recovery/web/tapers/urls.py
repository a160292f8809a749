from django.urls import URLPattern, URLResolver, path

from kratom_recovery.web.tapers import views

PLAN = "me/tapers/<uuid:series>/"
CLINIC = "clinic/patients/<int:patient_id>/tapers/"
CLINIC_PLAN = CLINIC + "<uuid:series>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("me/tapers/", views.index, name="tapers"),
    path("me/tapers/new/", views.new, name="taper-new"),
    path(PLAN, views.plan, name="taper-plan"),
    path(PLAN + "log/", views.log, name="taper-log"),
    path(PLAN + "stop/", views.stop, name="taper-stop"),
    path(PLAN + "calendar/", views.calendar, name="taper-calendar"),
    path(PLAN + "plan.ics", views.download, {"fmt": "ics"}, name="taper-ics"),
    path(PLAN + "plan.json", views.download, {"fmt": "json"}, name="taper-json"),
    path(CLINIC, views.clinic_index, name="clinic-tapers"),
    path(CLINIC + "medication/", views.clinic_medication, name="clinic-medication-new"),
    path(CLINIC + "signoff/", views.clinic_signoff, name="clinic-taper-signoff"),
    path(CLINIC_PLAN, views.clinic_plan, name="clinic-taper"),
    path(CLINIC_PLAN + "edit/", views.clinic_edit, name="clinic-taper-edit"),
    path(CLINIC_PLAN + "stop/", views.clinic_stop, name="clinic-taper-stop"),
    path(CLINIC_PLAN + "calendar/", views.clinic_calendar, name="clinic-taper-calendar"),
    path(CLINIC_PLAN + "plan.ics", views.clinic_download, {"fmt": "ics"},
         name="clinic-taper-ics"),
    path(CLINIC_PLAN + "plan.json", views.clinic_download, {"fmt": "json"},
         name="clinic-taper-json"),
]
