from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "kratom_recovery.web.safety"
    label = "safety"

    def ready(self) -> None:
        # Every write to a patient's records is evaluated (patients/hooks.py).
        from kratom_recovery.web.patients.hooks import register_after_write
        from kratom_recovery.web.patients.state import register_lock_read
        from kratom_recovery.web.safety.engine import (
            SETTINGS_READ,
            evaluate_patient,
            settings_expression,
        )

        register_after_write(evaluate_patient)
        # A check-in's evaluation reads the program settings with its current-state row.
        register_lock_read(SETTINGS_READ, settings_expression)

        # The safety plan on a suicide alert's page and the patient's crisis card.
        from kratom_recovery.web.safety.hooks import register_alert_section, register_crisis_line
        from kratom_recovery.web.safety.plan.panels import alert_section, crisis_line

        register_alert_section(alert_section)
        register_crisis_line(crisis_line)
