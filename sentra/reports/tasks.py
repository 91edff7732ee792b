"""The report generation that runs on the task queue (`manage.py db_worker` runs it)."""

from django_tasks import task

from sentra.reports import services


@task()
def generate_report(report_id: int) -> None:
    services.generate_report(report_id)
