from django.apps import AppConfig


class KbliConfig(AppConfig):
    name = "sentra.kbli"
