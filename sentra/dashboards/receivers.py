"""Keeping the tallies' triggers in place and the tallies right after bulk loads."""

from django.db import connections
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from sentra.dashboards import tallies, triggers
from sentra.registry.models import Business
from sentra.registry.signals import bulk_loaded


@receiver(post_migrate)
def reinstall_missing_triggers(sender, using: str = "default", **kwargs) -> None:
    """SQLite drops a table's triggers when a migration rebuilds it: put them back, and recount."""
    if sender.name != "sentra.dashboards":
        return
    if triggers.ensure_triggers(connections[using]):
        tallies.mark_all_stale()


@receiver(bulk_loaded)
def recount_after_bulk_load(sender, first_business_id: int, **kwargs) -> None:
    villages = Business.objects.filter(pk__gte=first_business_id).order_by().values_list("village_id", flat=True)
    tallies.mark_stale(villages.distinct())
    tallies.refresh_tallies()
