from django.urls import URLPattern, URLResolver, path

from kratom_recovery.web.exports import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("me/data/", views.my_data, name="my-data"),
    path("me/data/download/", views.my_data_download, name="my-data-download"),
    path("me/data/delete/", views.delete_account, name="delete-account"),
    path("clinic/patients/<int:patient_id>/export/fhir/", views.fhir_bundle, name="export-fhir"),
    path("program/exports/", views.program_exports, name="program-exports"),
    path("program/exports/research.csv", views.research_csv, name="export-research"),
]
