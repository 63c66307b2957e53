from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "crampwise.accounts"
    label = "accounts"

    def ready(self) -> None:
        from crampwise.accounts import signals  # noqa: F401 - connects the profile-creation handler
