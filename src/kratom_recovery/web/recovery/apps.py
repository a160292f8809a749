from django.apps import AppConfig


class RecoveryConfig(AppConfig):
    name = "kratom_recovery.web.recovery"
    label = "recovery"
