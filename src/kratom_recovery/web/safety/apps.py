from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "kratom_recovery.web.safety"
    label = "safety"
