"""Reserving ids in bulk, and writing chunks apart from making them."""

import threading
import time

import pytest
from django.db import connection, transaction

from conftest import make_business
from sentra.core.bulk import insert_rows, reserve_ids
from sentra.core.chunk_writer import ChunkWriter
from sentra.registry.models import Product

pytestmark = pytest.mark.django_db


def test_reserved_ids_are_fresh_and_never_handed_out_again(offices):
    business = make_business("33.16.01.2001", "Keripik Bu Sri", [offices["blora"]])
    with transaction.atomic():  # SQLite's are free while its one writer holds them
        first = reserve_ids(Product, 500)
        assert len(set(first)) == 500 and first == sorted(first)
        insert_rows(
            Product,
            ["id", "business_id", "name", "category", "unit", "packaging", "photo"],
            [(pk, business.pk, f"produk {pk}", "lainnya", "pcs", "lainnya", "") for pk in first],
        )
    made = business.products.create(name="keripik")  # the database's own numbering goes on after them
    assert made.pk > max(first)
    assert min(reserve_ids(Product, 3)) > made.pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's sequences")
def test_reserved_ids_with_gaps_between_them_are_the_numbers_taken():
    """Numbers that do not follow on (another session took some meanwhile) come back as taken."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence('registry_product', 'id')")
        (sequence,) = cursor.fetchone()
        cursor.execute(f"ALTER SEQUENCE {sequence} INCREMENT BY 3")  # rolled back with the test
    ids = reserve_ids(Product, 4)
    assert len(ids) == 4 and all(later - earlier == 3 for earlier, later in zip(ids, ids[1:], strict=False))


def test_chunks_commit_in_order_inline_or_on_threads():
    """Two threads write at once, but a chunk that waits its turn commits after the chunk before."""
    for apart, threads in ((False, 1), (True, 1), (True, 2), (True, 3)):
        committed: list[int] = []
        names: set[str] = set()

        def write(chunk: int, in_turn, committed: list = committed, names: set = names) -> None:
            time.sleep(0.01 * (chunk % 3))  # later chunks sometimes ready first
            names.add(threading.current_thread().name)
            in_turn()
            committed.append(chunk)

        with ChunkWriter(write, apart=apart, threads=threads, depth=2) as writer:
            for number in range(12):
                writer.send(number)
        assert committed == list(range(12)) and writer.committed == 12
        assert all(name.startswith("chunk-writer") for name in names) if apart else names == {"MainThread"}


def test_a_chunk_that_fails_stops_the_writing_and_is_raised_to_the_sender():
    committed: list[int] = []

    def write(chunk: int, in_turn) -> None:
        in_turn()
        if chunk == 2:  # as a foreign key checked at commit fails
            raise ValueError("chunk 2 does not fit")
        committed.append(chunk)

    with pytest.raises(ValueError, match="chunk 2"), ChunkWriter(write, apart=True, threads=2) as writer:
        for number in range(50):
            writer.send(number)
    assert committed == [0, 1]  # nothing after the failed chunk committed


def test_leaving_on_the_senders_error_drops_what_waits():
    started, release = threading.Event(), threading.Event()
    committed: list[int] = []

    def write(chunk: int, in_turn) -> None:
        started.set()
        release.wait(5)
        in_turn()
        committed.append(chunk)

    with pytest.raises(RuntimeError), ChunkWriter(write, apart=True, threads=1, depth=5) as writer:
        for number in range(4):
            writer.send(number)
        started.wait(5)
        threading.Timer(0.2, release.set).start()  # once the block has been left
        raise RuntimeError("the import failed")
    assert committed == []  # the chunk being written rolls back at its turn; those waiting are not written
