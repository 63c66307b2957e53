from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "crampwise.api"
    label = "api"

    def ready(self) -> None:
        from django.core import checks  # noqa: PLC0415

        from .checks import check_api_rates  # noqa: PLC0415

        checks.register(check_api_rates)
