from django.apps import AppConfig
from django.core import checks


class PatientsConfig(AppConfig):
    name = "kratom_recovery.web.patients"
    label = "patients"

    def ready(self) -> None:
        from kratom_recovery.web.patients.hooks import check_hooks_registered

        checks.register(check_hooks_registered)
