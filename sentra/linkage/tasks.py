"""Reading and linking a source, and searching duplicates, run on the task queue: a large list takes a
while, and a hostile file must fail its own source, not the web server. The services ask for them by
name (`core.jobs.request_job`); `core.jobs.serve_jobs` queues them."""

import logging
from collections.abc import Callable

from django.utils.translation import gettext as _
from django_tasks import task

from sentra.core import jobs
from sentra.linkage.duplicates import find_duplicates, search_key
from sentra.linkage.models import Source, SourceStatus
from sentra.linkage.services import JOB_KIND, LinkageRefused, read_source, run_linkage

logger = logging.getLogger(__name__)


@task()
def read_source_file(source_id: int) -> None:
    source = Source.objects.select_related("office", "created_by", "agency").get(pk=source_id)
    _run(source, read_source)


@task()
def link_source(source_id: int) -> None:
    source = Source.objects.select_related("office", "created_by", "agency").get(pk=source_id)
    if source.status not in (SourceStatus.QUEUED, SourceStatus.LINKING):
        return
    jobs.beat(JOB_KIND, source.pk)  # alive before it says it is working
    Source.objects.filter(pk=source.pk).update(status=SourceStatus.LINKING, error="")
    _run(source, lambda source: run_linkage(source, actor=source.created_by))


def _run(source: Source, step: Callable[[Source], object]) -> None:
    """Run one step; a refusal fails the source with its Indonesian reason, any other error with ours."""
    try:
        with jobs.heartbeat(JOB_KIND, source.pk):
            step(source)
    except LinkageRefused as error:
        Source.objects.filter(pk=source.pk).update(status=SourceStatus.FAILED, error=str(error))
    except Exception:
        logger.exception("source %s failed", source.pk)
        Source.objects.filter(pk=source.pk).update(
            status=SourceStatus.FAILED, error=_("Pencocokan gagal karena kesalahan sistem; coba lagi.")
        )
        raise


@task()
def find_office_duplicates(office_id: int, actor_id: int | None = None) -> None:
    from django.core.cache import cache

    from sentra.accounts.models import Office, User

    office = Office.objects.get(pk=office_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    try:
        find_duplicates(office, actor=actor)
    finally:
        cache.delete(search_key(office))


JOBS = {"linkage.read": read_source_file, "linkage.link": link_source, "linkage.duplicates": find_office_duplicates}
