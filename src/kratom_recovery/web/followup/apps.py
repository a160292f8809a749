from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "kratom_recovery.web.followup"
    label = "followup"
