"""Linking a source to the registry runs on the task queue: a large list takes a while."""

import logging

from django.utils.translation import gettext as _
from django_tasks import task

from sentra.linkage.models import Source, SourceStatus

logger = logging.getLogger(__name__)


@task()
def link_source(source_id: int) -> None:
    from sentra.linkage.services import LinkageRefused, run_linkage

    source = Source.objects.select_related("office", "created_by", "agency").get(pk=source_id)
    if source.status not in (SourceStatus.QUEUED, SourceStatus.LINKING):
        return
    Source.objects.filter(pk=source.pk).update(status=SourceStatus.LINKING, error="")
    try:
        run_linkage(source, actor=source.created_by)
    except LinkageRefused as error:
        Source.objects.filter(pk=source.pk).update(status=SourceStatus.FAILED, error=str(error))
    except Exception:
        logger.exception("linking source %s failed", source.pk)
        Source.objects.filter(pk=source.pk).update(
            status=SourceStatus.FAILED, error=_("Pencocokan gagal karena kesalahan sistem; coba lagi.")
        )
        raise
