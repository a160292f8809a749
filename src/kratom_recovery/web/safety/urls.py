from django.urls import URLPattern, URLResolver, path

from kratom_recovery.web.safety import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("help/", views.help_page, name="help"),
    path("me/safety-check/", views.safety_check, name="safety-check"),
    path("clinic/alerts/<int:alert_id>/", views.alert_page, name="alert"),
    path("clinic/patients/<int:patient_id>/level-of-care/", views.level_of_care,
         name="level-of-care"),
]
