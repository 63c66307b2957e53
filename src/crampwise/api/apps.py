from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "crampwise.api"
    label = "api"
