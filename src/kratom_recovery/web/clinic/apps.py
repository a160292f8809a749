from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "kratom_recovery.web.clinic"
    label = "clinic"
