"""The report generation that runs on the task queue (`manage.py run_worker` runs it), and its queueing:
the services ask for it by name (`core.jobs.request_job`), `core.jobs.serve_jobs` queues it."""

from django_tasks import task

from sentra.reports import services


@task()
def generate_report(report_id: int) -> None:
    services.generate_report(report_id)


JOBS = {"reports.generate": generate_report}
