from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kratom_recovery.web.accounts"
    label = "accounts"
