"""Reserving ids in bulk, and writing chunks apart from making them."""

import threading

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


def test_chunks_are_written_in_order_inline_or_on_a_thread():
    for apart in (False, True):
        written: list[tuple[int, str]] = []

        def write(chunk: int, written: list = written) -> None:
            written.append((chunk, threading.current_thread().name))

        with ChunkWriter(write, apart=apart) as writer:
            for number in range(5):
                writer.send(number)
        assert [chunk for chunk, _thread in written] == list(range(5))
        assert {thread for _chunk, thread in written} == {"chunk-writer" if apart else "MainThread"}


def test_a_chunk_that_fails_stops_the_writing_and_is_raised_to_the_sender():
    written: list[int] = []

    def write(chunk: int) -> None:
        if chunk == 2:
            raise ValueError("chunk 2 does not fit")
        written.append(chunk)

    with pytest.raises(ValueError, match="chunk 2"), ChunkWriter(write, apart=True) as writer:
        for number in range(50):
            writer.send(number)
    assert written == [0, 1]  # nothing after the failed chunk was written


def test_leaving_on_the_senders_error_drops_what_waits():
    started, release = threading.Event(), threading.Event()
    written: list[int] = []

    def write(chunk: int) -> None:
        started.set()
        release.wait(5)
        written.append(chunk)

    with pytest.raises(RuntimeError), ChunkWriter(write, apart=True, depth=5) as writer:
        for number in range(4):
            writer.send(number)
        started.wait(5)
        threading.Timer(0.2, release.set).start()  # once the block has been left
        raise RuntimeError("the import failed")
    assert written == [0]  # the chunk being written is finished; those waiting are not written
