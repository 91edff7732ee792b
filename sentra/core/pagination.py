"""Keyset pagination: pages stay fast at a million rows, and nothing counts them all."""

import base64
import datetime as dt
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import DateTimeField, Field, Q, QuerySet
from django.utils.dateparse import parse_datetime


@dataclass
class KeysetPage:
    items: list
    next_cursor: str | None
    previous_cursor: str | None
    # (count, whether counting stopped at the cap) when the page was asked to count (`count_up_to`).
    counted: tuple[int, bool] | None = None


def _encode(value: object, pk: int) -> str:
    if isinstance(value, dt.datetime):
        value = {"dt": value.isoformat()}
    raw = json.dumps([value, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str, field: Field) -> tuple[object, int] | None:
    """The (value, pk) a cursor holds, checked against `field`; None for anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, pk = json.loads(raw)
        if isinstance(value, dict):
            value = parse_datetime(value["dt"])
        value = field.to_python(value)
        if value is None or isinstance(value, (dict, list)) or isinstance(pk, bool):
            return None
        if isinstance(field, DateTimeField) != isinstance(value, dt.datetime):
            return None  # a cursor from another sort order
        return value, int(pk)
    except (ValueError, TypeError, KeyError, ValidationError):
        return None


def keyset_page(
    queryset: QuerySet,
    *,
    field: str,
    descending: bool,
    after: str = "",
    before: str = "",
    size: int = 25,
    count_up_to: int | None = None,
    rows_from: QuerySet | None = None,
) -> KeysetPage:
    """One page of `queryset` ordered by (`field`, id), after or before a cursor.

    A cursor that does not decode is treated as no cursor (first page). With `count_up_to`, the
    first page also counts the matches up to that cap (`counted`) in the same query: the ids of the
    first `count_up_to + 1` in list order, whose head is the page. A search matching tens of
    thousands pays for finding and ordering its matches once, not once for the page and once more
    for the count. Later pages leave `counted` empty. The page's rows are then read by id from
    `rows_from` (default `queryset`): a queryset without the costly filters (a search) and with the
    joins the page shows, so that those filters are not run again for a page of ids already chosen.
    """
    going_back = bool(before) and not after
    raw_cursor = before if going_back else after
    cursor = _decode(raw_cursor, queryset.model._meta.get_field(field)) if raw_cursor else None
    if cursor is None:
        going_back = False  # a cursor that does not decode means the first page
    forward_desc = descending != going_back  # reading backwards flips the order
    if cursor is not None:
        value, pk = cursor
        op = "lt" if forward_desc else "gt"
        queryset = queryset.filter(Q(**{f"{field}__{op}": value}) | Q(**{field: value, f"pk__{op}": pk}))
    prefix = "-" if forward_desc else ""
    ordered = queryset.order_by(f"{prefix}{field}", f"{prefix}pk")
    counted = None
    if count_up_to is not None and cursor is None:
        ids = list(ordered.values_list("pk", flat=True)[: max(count_up_to, size) + 1])
        counted = (min(len(ids), count_up_to), len(ids) > count_up_to)
        source = queryset if rows_from is None else rows_from
        by_id = {row.pk: row for row in source.filter(pk__in=ids[: size + 1]).order_by()}
        rows = [by_id[pk] for pk in ids[: size + 1] if pk in by_id]
    else:
        rows = list(ordered[: size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    if going_back:
        rows.reverse()
    if not rows:
        return KeysetPage(items=[], next_cursor=None, previous_cursor=None, counted=counted)
    first, last = rows[0], rows[-1]
    first_cursor = _encode(getattr(first, field), first.pk)
    last_cursor = _encode(getattr(last, field), last.pk)
    if going_back:
        return KeysetPage(items=rows, next_cursor=last_cursor, previous_cursor=first_cursor if has_more else None)
    return KeysetPage(
        items=rows,
        next_cursor=last_cursor if has_more else None,
        previous_cursor=first_cursor if cursor else None,
        counted=counted,
    )


def capped_count(queryset: QuerySet, cap: int) -> tuple[int, bool]:
    """(count, whether it reached the cap): counts at most `cap` rows."""
    count = queryset.order_by()[: cap + 1].count()
    return min(count, cap), count > cap
