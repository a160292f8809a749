from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kratom_recovery.web.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from kratom_recovery.web.accounts.signals import started_session

        user_logged_in.connect(started_session, dispatch_uid="accounts-session-clock")
