from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "kratom_recovery.web.followup"
    label = "followup"

    def ready(self) -> None:
        # The follow-up schedule is anchored when onboarding is complete (patients/hooks.py),
        # so that showing it never has to write.
        from kratom_recovery.web.followup.actions import plan_after_onboarding
        from kratom_recovery.web.patients.hooks import register_after_write

        register_after_write(plan_after_onboarding)
