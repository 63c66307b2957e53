from django.apps import AppConfig


class ClinicianConfig(AppConfig):
    name = "crampwise.clinician"
    label = "clinician"

    def ready(self) -> None:
        from crampwise.clinician import signals

        signals.connect()
