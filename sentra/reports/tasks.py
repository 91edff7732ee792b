"""The report generation that runs on the task queue (`manage.py run_worker` runs it), and its queueing:
the services ask for it by name (`core.jobs.request_job`), this module queues it."""

from django_tasks import task

from sentra.core.jobs import queue_on_commit
from sentra.reports import services


@task()
def generate_report(report_id: int) -> None:
    services.generate_report(report_id)


JOBS = {"reports.generate": generate_report}


def queue(sender, name: str, args: tuple, **kwargs) -> bool:
    return queue_on_commit(JOBS, name, args)
