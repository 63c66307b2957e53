from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "crampwise.api"
    label = "api"

    def ready(self) -> None:
        from django.core import checks

        from crampwise.api.checks import check_api_rates

        checks.register(check_api_rates)
