from django.apps import AppConfig


def _settle_dead_sources(sender, **kwargs) -> int:
    from sentra.linkage.services import fail_dead_sources

    return fail_dead_sources()


class LinkageConfig(AppConfig):
    name = "sentra.linkage"

    def ready(self) -> None:
        from sentra.core.jobs import dead_job_sweep, job_requested
        from sentra.linkage import tasks

        job_requested.connect(tasks.queue, dispatch_uid="linkage")
        dead_job_sweep.connect(_settle_dead_sources, dispatch_uid="linkage")
