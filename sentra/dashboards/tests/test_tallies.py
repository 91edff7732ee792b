"""The tallies stay right whatever writes the registry: forms' services, imports, undo, merges, SQL."""

import pytest
from django.db import connection, connections

from sentra.dashboards import tallies, triggers
from sentra.dashboards.figures import Dimension, count_figures
from sentra.dashboards.models import StaleVillage, Tally, VillageTally
from sentra.dashboards.tallies import tallied_figures
from sentra.imports.services import import_file
from sentra.imports.tests.test_import_file import GOOD, write_sheet
from sentra.imports.undo import undo_import
from sentra.linkage.duplicates import merge_businesses
from sentra.registry import services
from sentra.registry.models import Business, Licence, Person, StatusChange

pytestmark = pytest.mark.django_db


def assert_tallies_right(region: str = "33.16") -> None:
    """Tallied and freshly counted figures agree, per district and for the region."""
    counted = count_figures(Business.objects.filter(regency_id=region), by="district_id")
    tallied = tallied_figures(region, by="district")
    assert {k: +v for k, v in tallied.items() if +v} == {k: +v for k, v in counted.items() if +v}
    assert not StaleVillage.objects.filter(village_code__startswith=region).exists()


def test_a_read_recounts_only_stale_villages(registry):
    assert_tallies_right()
    untouched = set(Tally.objects.filter(district_code="33.16.01").values_list("pk", flat=True))
    neighbour = set(VillageTally.objects.filter(village_code="33.16.02.1011").values_list("pk", flat=True))
    Business.objects.filter(pk=registry["kerupuk"].pk).update(status="closed")  # one village of Randublatung
    stale = StaleVillage.objects.filter(village_code__startswith="33.16")
    assert list(stale.values_list("village_code", flat=True)) == ["33.16.02.1005"]
    figures = tallied_figures("33.16")[""]
    assert figures[(Dimension.STATUS, "closed")] == 2
    assert set(Tally.objects.filter(district_code="33.16.01").values_list("pk", flat=True)) == untouched
    assert set(VillageTally.objects.filter(village_code="33.16.02.1011").values_list("pk", flat=True)) == neighbour
    assert_tallies_right()


def test_writes_that_change_no_figure_mark_nothing(registry):
    assert_tallies_right()
    Business.objects.filter(pk=registry["batik"].pk).update(name="Batik Sekar Jati Asli", search_text="x")
    registry["batik"].products.create(name="kain batik")
    assert not StaleVillage.objects.filter(village_code__startswith="33.16").exists()


def test_service_writes(registry, users):
    officer = users["blora_officer"]
    assert_tallies_right()
    business = registry["toko"]
    services.verify_business_status(actor=officer, business=business, status="moved")
    assert_tallies_right()
    business.capital = 9_000_000_000  # medium now
    business.village_id = "33.16.02.1005"  # and moved to Randublatung
    services.update_business(actor=officer, business=business)
    assert_tallies_right()
    figures = tallied_figures("33.16.02")[""]
    assert figures[(Dimension.SIZE, "medium")] == 1
    assert figures[(Dimension.LICENCE, "pirt")] == 1  # its licences moved with it
    services.save_business_child(actor=officer, child=Licence(business=registry["tahu"], kind="bpom", number="MD 1"))
    assert_tallies_right()
    licence = registry["batik"].licences.get(kind="halal")
    services.delete_business_child(actor=officer, child=licence)
    assert_tallies_right()
    services.archive_business(actor=officer, business=registry["warung"])
    assert_tallies_right()
    assert tallied_figures("33.16")[""][(Dimension.TOTAL, "")] == 4
    services.restore_business(actor=users["blora_admin"], business=registry["warung"])
    assert_tallies_right()
    assert tallied_figures("33.16")[""][(Dimension.TOTAL, "")] == 5


def test_owner_sex_and_fostering_changes(registry, offices):
    assert_tallies_right()
    Person.objects.filter(pk=registry["batik"].owner_id).update(sex="L")
    assert_tallies_right()
    registry["tahu"].fostering_offices.add(offices["blora_industry"])
    assert_tallies_right()
    registry["batik"].fostering_offices.remove(offices["blora_industry"])
    assert_tallies_right()
    assert tallied_figures("33.16")[""][(Dimension.OFFICE, str(offices["blora_industry"].pk))] == 2


def test_status_history_changes(registry):
    assert_tallies_right()
    StatusChange.objects.filter(business=registry["warung"]).exclude(previous_status="").delete()
    assert_tallies_right()
    assert tallied_figures("33.16")[""][(Dimension.STATUS_CHANGE, "2026-06:dormant")] == 0


def test_bulk_import_and_its_undo(registry, offices, users, tmp_path):
    assert_tallies_right()
    path = write_sheet(tmp_path / "umkm.xlsx", GOOD)
    result = import_file(path=path, office=offices["blora"], actor=users["blora_officer"])
    assert result.counts["created"] == 3
    # SQLite's insert triggers were set aside for the import, and are back.
    assert triggers.existing_triggers(connection) == set(triggers.trigger_names())
    assert_tallies_right()
    assert tallied_figures("33.16")[""][(Dimension.TOTAL, "")] == 8
    undo_import(result.batch, actor=users["blora_officer"])
    assert_tallies_right()
    assert tallied_figures("33.16")[""][(Dimension.TOTAL, "")] == 5


def test_merge(registry, users):
    assert_tallies_right()
    merge_businesses(keep=registry["kerupuk"], merged=registry["warung"], actor=users["blora_officer"])
    assert_tallies_right()
    figures = tallied_figures("33.16")[""]
    assert figures[(Dimension.TOTAL, "")] == 4
    # warung's dormancy was its own: it went into the merge's snapshot, not onto kerupuk, which stays active.
    assert figures[(Dimension.STATUS_CHANGE, "2026-06:dormant")] == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two sessions of one test database: PostgreSQL only")
def test_reads_count_live_while_another_session_stores(registry):
    """A read that cannot store (another session is storing) still answers right, and leaves the marks.

    Nothing before the read may take the lock in this test's own transaction (it would hold it to the end).
    """
    stale = list(StaleVillage.objects.values_list("id", "village_code"))
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [tallies.STORE_LOCK])
            assert cursor.fetchone()[0] is True
        counts = tallies._recount(stale)
        assert counts["33.16.01"][(Dimension.TOTAL, "")] == 3
        assert StaleVillage.objects.count() == len(stale)
    finally:
        other.close()  # ends its session, and its lock
    assert_tallies_right()


def test_triggers_are_put_back_when_missing(registry):
    assert_tallies_right()
    triggers.drop_triggers(connection)
    Business.objects.filter(pk=registry["batik"].pk).update(status="closed")  # unseen: no trigger
    assert not StaleVillage.objects.filter(village_code__startswith="33.16").exists()
    missing = triggers.ensure_triggers(connection)
    assert sorted(missing) == sorted(triggers.trigger_names())
    tallies.mark_all_stale()
    assert_tallies_right()
    assert triggers.existing_triggers(connection) == set(triggers.trigger_names())


def test_refresh_tallies_command(registry):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("refresh_tallies", stdout=out)
    assert out.getvalue().startswith("6 villages recounted")  # five in Blora, one in Pesawaran
    assert not StaleVillage.objects.exists()
    Tally.objects.all().delete()
    VillageTally.objects.all().delete()
    call_command("refresh_tallies", "--all", stdout=out)
    assert_tallies_right()
    assert tallied_figures("18.09")[""][(Dimension.TOTAL, "")] == 1


def test_a_bulk_seed_is_counted_chunk_by_chunk_even_when_it_dies(db, monkeypatch):
    """The demo's bulk load skips triggers on PostgreSQL: each chunk marks its villages as it commits,
    so a seed that dies half-way leaves what it committed counted."""
    from sentra.registry import demo
    from sentra.registry.signals import bulk_loaded

    monkeypatch.setattr(demo, "BATCH_SIZE", 50)
    monkeypatch.setattr(demo, "TRANSACTION_SIZE", 100)
    monkeypatch.setattr(demo, "BULK_LOAD_FROM", 100)
    chunks = []

    def dies_in_the_second_chunk(sender, first_business_id, **kwargs):
        chunks.append(first_business_id)
        if len(chunks) == 2:
            raise RuntimeError("the machine went down")

    bulk_loaded.connect(dies_in_the_second_chunk)
    try:
        with pytest.raises(RuntimeError):
            demo.seed_demo(250)
    finally:
        bulk_loaded.disconnect(dies_in_the_second_chunk)
    assert Business.objects.count() == 100  # the first chunk only
    total = sum(figures[(Dimension.TOTAL, "")] for figures in tallied_figures("", by="regency").values())
    assert total == 100
    for regency in demo.DEMO_REGENCIES:
        assert_tallies_right(regency)
