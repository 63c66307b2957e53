from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "crampwise.reminders"
    label = "reminders"

    def ready(self) -> None:
        from crampwise.reminders import signals

        signals.connect()
