"""Keeping the tallies' triggers in place and the tallies right after bulk loads."""

from django.db import connection, connections
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from sentra.dashboards import tallies, triggers
from sentra.registry.models import Business
from sentra.registry.signals import (
    bulk_insert_finished,
    bulk_insert_started,
    bulk_load_finished,
    bulk_loaded,
    bulk_write_published,
)


@receiver(post_migrate)
def reinstall_missing_triggers(sender, using: str = "default", **kwargs) -> None:
    """SQLite drops a table's triggers when a migration rebuilds it: put them back, and recount."""
    if sender.name != "sentra.dashboards":
        return
    if triggers.ensure_triggers(connections[using]):
        tallies.mark_all_stale()


@receiver(bulk_loaded)
def mark_bulk_loaded_villages(sender, first_business_id: int, **kwargs) -> None:
    """In the load's own transaction, so the marks commit with the businesses."""
    villages = Business.objects.filter(pk__gte=first_business_id).order_by().values_list("village_id", flat=True)
    tallies.mark_stale(villages.distinct())


@receiver(bulk_load_finished)
def recount_after_bulk_load(sender, **kwargs) -> None:
    """Count now, so the first dashboard after a seed need not."""
    tallies.refresh_tallies()


@receiver(bulk_insert_started)
def set_row_triggers_aside(sender, **kwargs) -> None:
    """SQLite: a row trigger costs ~10 µs a row, a quarter of a large import; mark once at the end instead."""
    if connection.vendor == "sqlite":
        triggers.drop_insert_triggers(connection)


@receiver(bulk_insert_finished)
def mark_inserted_villages(sender, business_ids: list[int], **kwargs) -> None:
    if connection.vendor == "sqlite":
        tallies.mark_villages_of(business_ids)
        triggers.ensure_triggers(connection)


@receiver(bulk_write_published)
def mark_published_villages(sender, write_id: int, **kwargs) -> None:
    """Villages counted while the write was hidden are counted again, with its businesses."""
    villages = Business.all_objects.filter(bulk_write_id=write_id).order_by().values_list("village_id", flat=True)
    tallies.mark_stale(villages.distinct())
