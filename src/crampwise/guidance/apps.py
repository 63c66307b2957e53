from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    name = "crampwise.guidance"
    label = "guidance"
