"""Reading the registry's history: who moved up a size class or stage, what changed in a month.

The registry list's history filters and the dashboards both ask these, so a
figure and the list behind it use one definition.
"""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone

from sentra.registry.models import Business, Maturity, MaturityChange, SizeClassChange
from sentra.registry.sizing import SizeClass

# Ranks of the ordered stages; "unknown" has none, so learning a size is not moving up.
SIZE_RANKS = {SizeClass.MICRO: 1, SizeClass.SMALL: 2, SizeClass.MEDIUM: 3, SizeClass.LARGE: 4}
MATURITY_RANKS = {Maturity.TRADITIONAL: 1, Maturity.MODERN: 2, Maturity.DIGITAL: 3}
# The dates the registry's history filters accept: outside them date arithmetic would overflow.
EARLIEST_DATE, LATEST_DATE = dt.date(1900, 1, 1), dt.date(2199, 12, 31)
MOVES = {
    "size": (SizeClassChange, "size_class", "previous_size_class", SIZE_RANKS),
    "maturity": (MaturityChange, "stage", "previous_stage", MATURITY_RANKS),
}


def local_day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, the day after end 00:00) in the office's time zone."""
    zone = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, zone),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, zone),
    )


def month_bounds(month: str) -> tuple[dt.datetime, dt.datetime]:
    """The local start of month "YYYY-MM" and of the month after it; ValueError when malformed."""
    first = dt.datetime.strptime(month, "%Y-%m").date()
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return local_day_bounds(first, following - dt.timedelta(days=1))


def moved_up(businesses: QuerySet[Business] | Q, kind: str, start: dt.date, end: dt.date) -> dict[int, tuple[str, str]]:
    """Businesses whose size class (kind "size") or maturity stage (kind "maturity") ranks higher
    at the end of [start, end] than at its beginning, read from the history: id → (from, to).

    `businesses` is a queryset of them, or a condition on the history rows' `business__…`
    fields (a region: a join the database walks from the period's rows, instead of a
    subquery of every business of the region).

    The stage at the beginning is the one the first change inside the period left
    behind (a business registered inside the period starts where it registered), the
    stage at the end the one its last change set. Up and back down again is no move.
    """
    model, field, previous_field, ranks = MOVES[kind]
    since, until = local_day_bounds(start, end)
    which = businesses if isinstance(businesses, Q) else Q(business__in=businesses.values("pk"))
    changes = (
        model.objects.filter(which, changed_at__gte=since, changed_at__lt=until)
        .exclude(**{previous_field: ""})
        .order_by("business_id", "changed_at", "id")
        .values_list("business_id", previous_field, field)
    )
    return net_moves(changes, ranks)  # a plain fetch (see figures._moves_by_period)


def net_moves(changes: Iterable[tuple[object, str, str]], ranks: dict) -> dict[object, tuple[str, str]]:
    """From (key, previous, new) changes in time order, the keys whose last change left them ranked
    above where their first change found them: key → (from, to)."""
    first: dict[object, str] = {}
    last: dict[object, str] = {}
    for key, previous, stage in changes:
        first.setdefault(key, previous)
        last[key] = stage
    moved = {}
    for key, before in first.items():
        after = last[key]
        if before in ranks and after in ranks and ranks[after] > ranks[before]:
            moved[key] = (before, after)
    return moved
