"""The import steps that run on the task queue (`manage.py db_worker` runs them)."""

from django_tasks import task

from sentra.imports import workflow


@task()
def check_import(batch_id: int) -> None:
    workflow.check_batch(batch_id)


@task()
def run_import(batch_id: int) -> None:
    workflow.run_batch(batch_id)
