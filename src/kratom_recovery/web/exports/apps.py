from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "kratom_recovery.web.exports"
    label = "exports"
