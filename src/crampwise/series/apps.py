from django.apps import AppConfig


class SeriesConfig(AppConfig):
    name = "crampwise.series"
    label = "series"

    def ready(self) -> None:
        from crampwise.series import signals

        signals.connect()
