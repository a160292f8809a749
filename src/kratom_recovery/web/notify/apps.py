from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "kratom_recovery.web.notify"
    label = "notify"

    def ready(self) -> None:
        # A raised alert is queued once its transaction commits; its delivery record is
        # shown on the alert page and the patient's crisis card (safety/hooks.py: safety does not
        # import notify).
        from kratom_recovery.web.notify.outbox import alert_raised
        from kratom_recovery.web.notify.panels import alert_deliveries, crisis_delivery
        from kratom_recovery.web.safety.hooks import (
            on_alert_raised,
            register_alert_section,
            register_crisis_line,
        )

        on_alert_raised(alert_raised)
        register_alert_section(alert_deliveries)
        register_crisis_line(crisis_delivery)
