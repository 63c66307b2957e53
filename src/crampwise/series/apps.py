from django.apps import AppConfig


class SeriesConfig(AppConfig):
    name = "crampwise.series"
    label = "series"
