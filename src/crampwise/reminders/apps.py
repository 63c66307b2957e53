from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "crampwise.reminders"
    label = "reminders"
