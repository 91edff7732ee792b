from django.apps import AppConfig


def _settle_dead_batches(sender, **kwargs) -> int:
    from sentra.imports.workflow import fail_dead_batches

    return fail_dead_batches()


class ImportsConfig(AppConfig):
    name = "sentra.imports"

    def ready(self) -> None:
        from sentra.core.jobs import dead_job_sweep, job_requested
        from sentra.imports import tasks

        job_requested.connect(tasks.queue, dispatch_uid="imports")
        dead_job_sweep.connect(_settle_dead_batches, dispatch_uid="imports")
