from django.apps import AppConfig


def _remove_abandoned_writes(sender, **kwargs) -> int:
    from sentra.registry.bulk import remove_abandoned

    return remove_abandoned()


class RegistryConfig(AppConfig):
    name = "sentra.registry"

    def ready(self) -> None:
        from sentra.core.jobs import dead_job_sweep

        # Writes whose writer died; an import settles its own with its batch, whichever runs first.
        dead_job_sweep.connect(_remove_abandoned_writes, dispatch_uid="registry")
