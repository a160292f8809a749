from django.apps import AppConfig


class ProgramConfig(AppConfig):
    name = "kratom_recovery.web.program"
    label = "program"
