from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _settle_dead_reports(sender, **kwargs) -> int:
    from sentra.reports.services import fail_dead_reports

    return fail_dead_reports()


class ReportsConfig(AppConfig):
    name = "sentra.reports"
    verbose_name = _("Laporan")

    def ready(self) -> None:
        from sentra.core.jobs import dead_job_sweep, serve_jobs
        from sentra.reports import tasks

        serve_jobs("reports", tasks.JOBS)
        dead_job_sweep.connect(_settle_dead_reports, dispatch_uid="reports")
