from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "kratom_recovery.web.audit"
    label = "audit"
