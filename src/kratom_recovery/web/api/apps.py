from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kratom_recovery.web.api"
    label = "api"
