from django.apps import AppConfig


class TrialsConfig(AppConfig):
    name = "crampwise.trials"
    label = "trials"
