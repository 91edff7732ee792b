"""Importing a whole file: counts, idempotency, all-or-nothing, audit and scope."""

import json
from io import StringIO

import pytest
import xlsxwriter
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import make_business
from sentra.audit.models import ObjectChange
from sentra.imports.files import ImportRefused
from sentra.imports.models import ImportBatch, ImportRow
from sentra.imports.services import import_file
from sentra.registry.models import Business, Person

pytestmark = pytest.mark.django_db
HEADER = ["NO", "NAMA PEMILIK", "NIK", "NAMA USAHA", "PRODUK", "DESA", "KECAMATAN", "OMZET", "NO HP"]


def write_sheet(path, rows, title="DATA UMKM KABUPATEN BLORA 2026"):
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet("Kec. Jati")
    sheet.write(0, 0, title)
    sheet.write_row(2, 0, HEADER)
    for number, row in enumerate(rows, start=3):
        for column, value in enumerate(row):
            if isinstance(value, float | int):
                sheet.write_number(number, column, value)
            else:
                sheet.write_string(number, column, value)
    workbook.close()
    return path


GOOD = [
    [
        1,
        "Sri Wahyuni",
        "3316015205850001",
        "Terasi Bu Sri",
        "terasi rebon",
        "Ds. Bangkleyan",
        "Jati",
        "120 juta",
        "0812-3456-7890",
    ],
    [
        2,
        "Ahmad Fauzi",
        "3316011203900002",
        "Mebel Jati Fauzi",
        "kursi jati",
        "Gempol",
        "Kec. Jati",
        "Rp 80.000.000",
        "",
    ],
    [3, "Sri Wahyuni", "3316015205850001", "Kerupuk Bu Sri", "kerupuk", "Bangkleyan", "Jati", "", ""],
]


@pytest.fixture
def messy_file(tmp_path):
    rows = [
        *GOOD,
        [],  # blank
        [4, "Budi", 3316011203900000.0, "Warung Budi", "", "Bangkleyan", "Jati", "", ""],  # NIK damaged by Excel
        [5, "Sri Wahyuni", "3316015205850001", "Terasi Bu Sri", "terasi", "Bangkleyan", "Jati", "", ""],  # repeat
        ["JUMLAH", "", "", "", "", "", "", "200000000", ""],
    ]
    return write_sheet(tmp_path / "umkm_blora.xlsx", rows)


def test_every_row_has_an_outcome(messy_file, offices, users):
    result = import_file(path=messy_file, office=offices["blora"], actor=users["blora_officer"])
    assert result.counts == {"created": 3, "updated": 0, "skipped": 3, "rejected": 1, "warned": 1}
    assert ImportRow.objects.filter(batch=result.batch).count() == 7
    # The repeat of row 4 says "terasi" where row 4 said "terasi rebon": the first is kept, the difference said.
    repeat = ImportRow.objects.get(batch=result.batch, number=9)
    assert repeat.outcome == "skipped" and repeat.reasons == {"_": "sama dengan baris 4 lembar Kec. Jati"}
    assert repeat.warnings == {
        "product": "Berbeda dengan baris 4 lembar Kec. Jati (di sana: terasi rebon); yang dipakai isian baris itu."
    }
    rejected = ImportRow.objects.get(batch=result.batch, outcome="rejected")
    assert rejected.number == 8 and "Ubah format kolom NIK menjadi Teks" in rejected.reasons["nik"]
    sri = Person.objects.get(nik="3316015205850001")
    assert sorted(sri.businesses.values_list("name", flat=True)) == ["Kerupuk Bu Sri", "Terasi Bu Sri"]
    terasi = Business.objects.get(name="Terasi Bu Sri")
    assert (terasi.village_id, terasi.annual_turnover, terasi.size_class) == ("33.16.01.2001", 120_000_000, "micro")
    assert terasi.owner.phone == "+6281234567890"
    assert list(terasi.fostering_offices.all()) == [offices["blora"]]
    assert terasi.products.get().name == "terasi rebon"
    assert Business.objects.filter(pk__in=Business.objects.all()).count() == 3
    from sentra.registry.search import filter_by_search

    assert list(filter_by_search(Business.objects.all(), "rebon")) == [terasi]
    # A created business points to its import row; the import itself is one change-log entry.
    row = ImportRow.objects.get(business=terasi)
    assert (row.outcome, row.batch.created_by) == ("created", users["blora_officer"])
    change = ObjectChange.objects.get(object_id=row.batch_id, action="create", content_type__model="importbatch")
    assert change.actor == users["blora_officer"] and "impor #" in change.message


def test_reimporting_the_same_file_changes_nothing(messy_file, offices, users):
    import_file(path=messy_file, office=offices["blora"], actor=users["blora_officer"])
    registry_changes = ObjectChange.objects.exclude(content_type__model="importbatch")
    before = (Business.objects.count(), Person.objects.count(), registry_changes.count())
    again = import_file(path=messy_file, office=offices["blora"], actor=users["blora_officer"])
    assert again.counts == {"created": 0, "updated": 0, "skipped": 6, "rejected": 1, "warned": 1}
    assert (Business.objects.count(), Person.objects.count(), registry_changes.count()) == before


def test_a_changed_value_updates_and_is_logged(tmp_path, offices, users):
    import_file(path=write_sheet(tmp_path / "a.xlsx", GOOD), office=offices["blora"], actor=users["blora_officer"])
    changed = [list(row) for row in GOOD]
    changed[0][7] = "Rp 3.000.000.000"
    result = import_file(
        path=write_sheet(tmp_path / "b.xlsx", changed), office=offices["blora"], actor=users["blora_officer"]
    )
    assert result.counts["updated"] == 1
    terasi = Business.objects.get(name="Terasi Bu Sri")
    assert (terasi.annual_turnover, terasi.size_class) == (3_000_000_000, "small")
    change = ObjectChange.objects.get(object_id=terasi.pk, action="update")
    assert change.prechange_data["annual_turnover"] == 120_000_000


def test_dry_run_writes_nothing(messy_file, offices, users):
    result = import_file(path=messy_file, office=offices["blora"], actor=users["blora_officer"], dry_run=True)
    assert result.counts["created"] == 3 and result.batch is None
    assert not Business.objects.exists() and not ImportBatch.objects.exists() and not ObjectChange.objects.exists()


def test_officers_import_only_into_their_own_office(messy_file, offices, users):
    with pytest.raises(PermissionDenied):
        import_file(path=messy_file, office=offices["blora"], actor=users["pesawaran_officer"])
    with pytest.raises(PermissionDenied):
        import_file(path=messy_file, office=offices["blora"], actor=users["blora_viewer"])
    assert not Business.objects.exists()


def test_a_file_without_a_header_is_refused(tmp_path, offices, users):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(ImportRefused, match="baris judul kolom"):
        import_file(path=path, office=offices["blora"], actor=users["blora_officer"])


def test_command_prints_a_json_summary(messy_file, offices):
    out = StringIO()
    call_command("import_businesses", str(messy_file), "--office", "dinkop-blora", "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert (summary["created"], summary["skipped"], summary["rejected"]) == (3, 3, 1)
    assert summary["rejected_rows"][0]["row"] == 8
    with pytest.raises(CommandError, match="No office"):
        call_command("import_businesses", str(messy_file), "--office", "nope")


def test_imported_businesses_are_searchable_and_the_index_is_whole(messy_file, offices, users):
    """Imports index their rows in one statement (no per-row trigger); the index must still agree."""
    from django.db import connection

    from sentra.registry.search import filter_by_search

    make_business("33.16.01.2002", "Batik Lama")  # indexed by the trigger, before the import
    import_file(path=messy_file, office=offices["blora"], actor=users["blora_officer"])
    assert [b.name for b in filter_by_search(Business.objects.order_by("name"), "sri")] == [
        "Kerupuk Bu Sri",
        "Terasi Bu Sri",
    ]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO registry_business_fts(registry_business_fts, rank) VALUES ('integrity-check', 1)"
            )
    new = make_business("33.16.01.2002", "Batik Baru")  # the insert trigger is back after the import
    assert list(filter_by_search(Business.objects.all(), "baru")) == [new]


def test_an_imported_business_stores_the_copies_its_page_would(messy_file, offices, users):
    """The import works out region copies, size class and search text apart (in the parsing child);
    they are the registry's own (`registry.derived`), as a save from the business page makes them."""
    import_file(path=messy_file, office=offices["blora"], actor=users["blora_officer"])
    derived = ("district_id", "regency_id", "province_id", "kbli_section", "size_class", "size_basis", "search_text")
    businesses = list(Business.objects.select_related("owner", "kbli"))
    assert len(businesses) == 3
    for business in businesses:
        stored = {name: getattr(business, name) for name in derived}
        business.refresh_derived_fields()
        assert stored == {name: getattr(business, name) for name in derived}, business.name
