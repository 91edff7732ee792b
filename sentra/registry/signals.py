"""Signals the registry sends for work that bypasses model saves."""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.db import connection
from django.dispatch import Signal

# Sent inside the transaction of a bulk load that may have skipped database triggers (the demo
# seed on PostgreSQL turns them off for speed), before it commits; `first_business_id` is the
# first id that transaction wrote.
bulk_loaded = Signal()
# Sent once a bulk load has finished, outside its transactions.
bulk_load_finished = Signal()
# Around many inserts of businesses (and their history and fostering rows) in one transaction:
# listeners may set per-row work aside when it starts and do it once, for `business_ids`, at the end.
bulk_insert_started = Signal()
bulk_insert_finished = Signal()
# A bulk write (`registry.bulk`) was published: its businesses, hidden until now, count from here on.
bulk_write_published = Signal()


@contextmanager
def bulk_inserts() -> Iterator[Callable[[Iterable[int]], None]]:
    """Use inside a transaction; hand the ids of the businesses inserted to the function it yields.

    On error the transaction rolls back, and with it whatever a listener set aside.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("bulk_inserts() needs a transaction")
    inserted: list[int] = []
    bulk_insert_started.send(sender=None)
    yield inserted.extend
    bulk_insert_finished.send(sender=None, business_ids=inserted)
