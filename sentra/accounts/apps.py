from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sentra.accounts"

    def ready(self) -> None:
        from sentra.accounts import twofactor  # noqa: F401 - connects the login signal's receiver
