from django.apps import AppConfig


class TapersConfig(AppConfig):
    name = "kratom_recovery.web.tapers"
    label = "tapers"
