"""The import steps that run on the task queue (`manage.py run_worker` runs them), and their queueing:
the workflow asks for them by name (`core.jobs.request_job`), `core.jobs.serve_jobs` queues them."""

from django_tasks import task

from sentra.imports import workflow


@task()
def check_import(batch_id: int) -> None:
    workflow.check_batch(batch_id)


@task()
def run_import(batch_id: int) -> None:
    workflow.run_batch(batch_id)


JOBS = {"imports.check": check_import, "imports.run": run_import}
