from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "kratom_recovery.web.clinic"
    label = "clinic"

    def ready(self) -> None:
        # The caseload's stored triage follows every evaluation and alert (clinic/triage.py).
        from kratom_recovery.web.clinic.triage import (
            TAPER_READ,
            active_taper_expression,
            refresh_triage,
        )
        from kratom_recovery.web.patients.state import register_lock_read
        from kratom_recovery.web.safety.hooks import on_triage_changed

        on_triage_changed(refresh_triage)
        # A check-in's triage reads the active taper with its current-state row.
        register_lock_read(TAPER_READ, active_taper_expression)
