from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "kratom_recovery.web.audit"
    label = "audit"

    def ready(self) -> None:
        from kratom_recovery.web.accounts.events import on_account_event
        from kratom_recovery.web.audit.log import record_account_event

        on_account_event(record_account_event)
