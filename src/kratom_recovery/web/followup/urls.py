from django.urls import URLPattern, URLResolver, path

from kratom_recovery.web.followup import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("me/follow-up/", views.followup_page, name="followup"),
    path("me/follow-up/sud/", views.sud_questionnaire, name="followup-sud"),
    path("me/follow-up/calendar.ics", views.calendar_download, name="followup-ics"),
    path("me/reminders/", views.reminders, name="reminders"),
    path("me/reminders/calendar/", views.calendar_feed_settings, name="calendar-feed-settings"),
    path("feeds/<str:token>.ics", views.feed, name="calendar-feed"),
    path("help/find-treatment/", views.find_treatment, name="find-treatment"),
    path("help/directory/", views.directory_search, name="directory"),
    path("clinic/patients/<int:patient_id>/appointments/new/", views.new_appointment,
         name="new-appointment"),
    path("clinic/patients/<int:patient_id>/follow-up/anchor/", views.set_anchor,
         name="followup-anchor"),
    path("program/directory/", views.admin_directory, name="admin-directory"),
    path("program/directory/new/", views.edit_referral, name="new-referral"),
    path("program/directory/<int:referral_id>/edit/", views.edit_referral, name="edit-referral"),
    path("program/directory/import/", views.import_referrals, name="import-referrals"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
