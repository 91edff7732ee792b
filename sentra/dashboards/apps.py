from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "sentra.dashboards"
    verbose_name = _("Dasbor dan laporan")

    def ready(self) -> None:
        from sentra.dashboards import receivers  # noqa: F401 - connects the bulk-load receiver
        from sentra.dashboards.list_counts import exact_list_count
        from sentra.registry.selectors import register_exact_counter

        register_exact_counter(exact_list_count)  # the registry list's exact count, from the tallies
