from django.apps import AppConfig


class BedsideConfig(AppConfig):
    name = "kratom_recovery.web.bedside"
    label = "bedside"
