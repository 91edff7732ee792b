from django.apps import AppConfig


def _settle_dead_batches(sender, **kwargs) -> int:
    from sentra.imports.workflow import fail_dead_batches

    return fail_dead_batches()


class ImportsConfig(AppConfig):
    name = "sentra.imports"

    def ready(self) -> None:
        from sentra.core.jobs import dead_job_sweep, serve_jobs
        from sentra.imports import tasks

        serve_jobs("imports", tasks.JOBS)
        dead_job_sweep.connect(_settle_dead_batches, dispatch_uid="imports")
