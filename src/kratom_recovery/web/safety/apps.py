from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "kratom_recovery.web.safety"
    label = "safety"

    def ready(self) -> None:
        # Every write to a patient's records is evaluated (patients/hooks.py).
        from kratom_recovery.web.patients.hooks import register_after_write
        from kratom_recovery.web.safety.engine import evaluate_patient

        register_after_write(evaluate_patient)
