from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "kratom_recovery.web.clinic"
    label = "clinic"

    def ready(self) -> None:
        # The caseload's stored triage follows every evaluation and alert (clinic/triage.py).
        from kratom_recovery.web.clinic.triage import refresh_triage
        from kratom_recovery.web.safety.hooks import on_triage_changed

        on_triage_changed(refresh_triage)
