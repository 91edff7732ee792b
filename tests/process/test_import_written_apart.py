"""On PostgreSQL an import's chunks are written on a thread of their own while the next is made
(core/chunk_writer.py): the outcome is the same, and a chunk the database refuses keeps nothing."""

import csv

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from sentra.audit.models import ObjectChange
from sentra.core.chunk_writer import writes_apart
from sentra.imports.models import ImportBatch, ImportRow
from sentra.imports.services import import_file
from sentra.registry.models import BulkWrite, Business, Person, StatusChange

pytestmark = [
    pytest.mark.process,
    pytest.mark.django_db(transaction=True),  # the writer's own connection sees only what is committed
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite writes in the importing thread"),
]

HEADER = ["NAMA PEMILIK", "NIK", "NAMA USAHA", "PRODUK", "DESA", "KECAMATAN"]
SRI = "3316015205850001"
ROWS = [
    ["Sri Wahyuni", SRI, "Batik Sekar", "batik tulis", "Kunden", "Blora"],
    ["Budi Santoso", "3316010101800002", "Bakso Pak Budi", "bakso", "Kunden", "Blora"],
    ["Ani Lestari", "", "Warung Ani", "", "Kunden", "Blora"],
    ["Sri Wahyuni", SRI, "Kue Bu Sri", "kue lapis", "Kunden", "Blora"],  # her second business, a later chunk
    ["Dewi Sartika", "", "Jamu Dewi", "jamu", "Kunden", "Blora"],
]


@pytest.fixture
def small_chunks(settings):
    settings.REGISTRY_BULK_WRITE_CHUNK = 2
    settings.IMPORT_PARSE_CHUNK_ROWS = 2


def write_csv(path, rows):
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows([HEADER, *rows])
    return path


def test_chunks_written_apart_come_out_as_written_here(small_chunks, tmp_path, offices, users):
    assert writes_apart()
    ContentType.objects.clear_cache()  # the change log's content types are read then, never mid-COPY
    result = import_file(
        path=write_csv(tmp_path / "umkm.csv", ROWS), office=offices["blora"], actor=users["blora_admin"]
    )
    assert result.counts["created"] == 5
    businesses = Business.objects.filter(owner__nik=SRI)
    assert sorted(businesses.values_list("name", flat=True)) == ["Batik Sekar", "Kue Bu Sri"]
    assert Person.objects.filter(nik=SRI).count() == 1  # one owner across the chunks
    created = Business.objects.filter(bulk_write__isnull=False)
    assert created.count() == 5 and all(offices["blora"] in b.fostering_offices.all() for b in created)
    assert StatusChange.objects.filter(business__in=created).count() == 5
    assert ObjectChange.objects.filter(content_type__model="business", action="create").count() == 5
    products = Business.objects.filter(bulk_write__isnull=False, products__isnull=False)
    assert sorted(products.values_list("products__name", flat=True)) == ["bakso", "batik tulis", "jamu", "kue lapis"]
    assert ImportRow.objects.filter(batch=result.batch).count() == 5
    assert BulkWrite.objects.get().published_at is not None


def test_a_chunk_the_database_refuses_keeps_nothing(small_chunks, tmp_path, offices, users):
    """A real refusal by the database, in the third chunk: the import fails and leaves nothing behind."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_jamu() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF NEW.name = 'Jamu Dewi' THEN RAISE EXCEPTION 'refused for the test'; END IF; RETURN NEW; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER refuse_jamu BEFORE INSERT ON registry_business FOR EACH ROW EXECUTE FUNCTION refuse_jamu()"
        )
    try:
        with pytest.raises(Exception, match="refused for the test"):
            import_file(
                path=write_csv(tmp_path / "umkm.csv", ROWS), office=offices["blora"], actor=users["blora_admin"]
            )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER refuse_jamu ON registry_business")
            cursor.execute("DROP FUNCTION refuse_jamu()")
    assert not Business.all_objects.exists() and not Person.objects.exists()
    assert not BulkWrite.objects.exists() and not ImportRow.objects.exists()
    assert not ObjectChange.objects.filter(content_type__model="business").exists()
    assert ImportBatch.objects.count() <= 1
