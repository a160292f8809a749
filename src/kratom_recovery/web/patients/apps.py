from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "kratom_recovery.web.patients"
    label = "patients"
