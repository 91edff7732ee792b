from django.apps import AppConfig


def _settle_dead_sources(sender, **kwargs) -> int:
    from sentra.linkage.services import fail_dead_sources

    return fail_dead_sources()


class LinkageConfig(AppConfig):
    name = "sentra.linkage"

    def ready(self) -> None:
        from sentra.core.jobs import dead_job_sweep, serve_jobs
        from sentra.linkage import tasks

        serve_jobs("linkage", tasks.JOBS)
        dead_job_sweep.connect(_settle_dead_sources, dispatch_uid="linkage")
