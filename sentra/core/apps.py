from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sentra.core"

    def ready(self) -> None:
        from sentra.core import middleware  # noqa: F401 - connects the login signal's receiver
