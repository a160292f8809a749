from django.apps import AppConfig


class TapersConfig(AppConfig):
    name = "kratom_recovery.web.tapers"
    label = "tapers"

    def ready(self) -> None:
        # The withdrawal forecast counts taper doses as doses (patients/forecasting.py).
        from kratom_recovery.web.patients.forecasting import register_dose_source
        from kratom_recovery.web.tapers.doses import kratom_doses

        register_dose_source(kratom_doses)
