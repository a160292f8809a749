from django.urls import URLPattern, URLResolver, path

from kratom_recovery.web.recovery import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("me/coping/", views.coping, name="recovery-coping"),
    path("me/coping/feedback/", views.coping_feedback, name="recovery-coping-feedback"),
    path("me/exercises/", views.exercise_list, name="recovery-exercises"),
    path("me/exercises/entries/<int:entry_id>/", views.exercise_entry,
         name="recovery-exercise-entry"),
    path("me/exercises/<slug:exercise_id>/", views.exercise, name="recovery-exercise"),
    path("learn/", views.learn_index, name="recovery-learn"),
    path("learn/<slug:slug>/", views.learn_page, name="recovery-learn-page"),
    path("me/plan/", views.plan, name="recovery-plan"),
    path("me/plan/edit/", views.plan_edit, name="recovery-plan-edit"),
    path("me/lapse/", views.lapse, name="recovery-lapse"),
    path("me/progress/", views.progress, name="recovery-progress"),
    path("me/progress/settings/", views.progress_settings, name="recovery-settings"),
    path("me/journal/", views.journal, name="recovery-journal"),
    path("me/journal/<int:entry_id>/", views.journal_entry, name="recovery-journal-entry"),
    path("me/measures/", views.measures, name="recovery-measures"),
    path("me/measures/add/", views.measure_add, name="recovery-measure-add"),
    path("me/measures/<int:measure_id>/archive/", views.measure_archive,
         name="recovery-measure-archive"),
    path("me/sharing/", views.sharing, name="recovery-sharing"),
    path("me/record-access/", views.record_access, name="recovery-record-access"),
]
