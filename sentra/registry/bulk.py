"""Large writes of registry rows in committed chunks, invisible until published at once.

An import of 200,000 rows written in one transaction holds SQLite's single write
lock for half a minute, and every other office's save waits and fails. A
`BulkWrite` instead commits a few thousand rows at a time, tagging each business
(and new owner) it writes; the default manager leaves tagged businesses out of
every read until `publish` stamps the write, in one short statement. A write that
fails, or whose process dies (no heartbeat for `REGISTRY_BULK_WRITE_STALE_SECONDS`),
is removed, rows and all, by `remove` / `remove_abandoned`.
"""

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from sentra.audit.models import ObjectChange
from sentra.registry.models import BulkWrite, Business, Person
from sentra.registry.signals import bulk_write_published

logger = logging.getLogger(__name__)
REMOVE_CHUNK = 2000


def start(label: str) -> BulkWrite:
    """Begin a write (committed at once, so every reader leaves its rows out from the first chunk)."""
    with transaction.atomic():
        return BulkWrite.objects.create(label=label[:200])


def beat(write: BulkWrite) -> None:
    """The writer is alive: call between chunks."""
    BulkWrite.objects.filter(pk=write.pk).update(heartbeat_at=timezone.now())


def publish(write: BulkWrite) -> None:
    """Make every row of the write visible at once; call in the transaction that finishes the write."""
    write.published_at = timezone.now()
    BulkWrite.objects.filter(pk=write.pk).update(published_at=write.published_at)
    bulk_write_published.send(sender=BulkWrite, write_id=write.pk)


def remove(write: BulkWrite) -> int:
    """Delete an unpublished write's rows (its businesses with everything under them, then owners it
    created who own nothing else), a chunk per transaction; returns how many businesses went."""
    if BulkWrite.objects.filter(pk=write.pk, published_at__isnull=False).exists():
        raise ValueError(f"bulk write {write.pk} is published; undo it as an import instead")
    business_type = ContentType.objects.get_for_model(Business)
    removed = 0
    while True:
        ids = list(Business.all_objects.filter(bulk_write_id=write.pk).values_list("pk", flat=True)[:REMOVE_CHUNK])
        if not ids:
            break
        with transaction.atomic():
            ObjectChange.objects.filter(content_type=business_type, object_id__in=ids).delete()
            Business.all_objects.filter(pk__in=ids).delete()  # products, histories, fostering rows with them
        removed += len(ids)
    with transaction.atomic():
        # A form may have linked a business to an owner the write created: that owner stays.
        Person.objects.filter(bulk_write_id=write.pk, businesses__isnull=True).delete()
        BulkWrite.objects.filter(pk=write.pk).delete()
    return removed


def remove_abandoned(now: dt.datetime | None = None) -> int:
    """Remove every unpublished write whose writer stopped beating (killed, crashed); returns how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(seconds=settings.REGISTRY_BULK_WRITE_STALE_SECONDS)
    abandoned = list(BulkWrite.objects.filter(published_at__isnull=True, heartbeat_at__lt=cutoff))
    for write in abandoned:
        logger.warning("removing abandoned bulk write %s (%s)", write.pk, write.label)
        remove(write)
    return len(abandoned)


@contextmanager
def bulk_write(label: str) -> Iterator[BulkWrite]:
    """A write that is removed if the block fails; the block publishes it when done."""
    write = start(label)
    try:
        yield write
    except BaseException:
        if not BulkWrite.objects.filter(pk=write.pk, published_at__isnull=False).exists():
            remove(write)
        raise
