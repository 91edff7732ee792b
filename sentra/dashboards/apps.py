from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "sentra.dashboards"
    verbose_name = _("Dasbor dan laporan")

    def ready(self) -> None:
        from sentra.dashboards import receivers  # noqa: F401 - connects the bulk-load receiver
