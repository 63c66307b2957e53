from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "crampwise.diary"
    label = "diary"
