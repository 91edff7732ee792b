"""A file matched and written a few rows at a time, its rows parsed here or in a child process beside
the writing: the outcome is the file's, however it is cut, and a child that dies keeps nothing."""

import csv
import multiprocessing
import os
import signal

import pytest

from conftest import make_business
from sentra.imports.files import ImportRefused
from sentra.imports.models import ImportRow
from sentra.imports.services import import_file
from sentra.registry.models import BulkWrite, Business, Person

pytestmark = pytest.mark.django_db

HEADER = ["NAMA PEMILIK", "NIK", "NO HP", "NAMA USAHA", "DESA", "KECAMATAN"]
SRI = "3316015205850001"


@pytest.fixture(params=["here", "apart"])
def parsed(request, settings):
    """Rows parsed in this process, or in a child; two rows matched and two businesses written at a time."""
    settings.IMPORT_PARSE_APART_BYTES = 0 if request.param == "apart" else 10**12
    settings.IMPORT_PARSE_CHUNK_ROWS = 2
    settings.REGISTRY_BULK_WRITE_CHUNK = 2
    return request.param


def write_csv(path, rows):
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows([HEADER, *rows])
    return path


def test_repeats_and_owners_are_found_across_chunks(parsed, tmp_path, offices, users):
    registered = make_business("33.16.01.2001", "Batik Lama", offices=[offices["blora"]], owner_name="Rina Wati")
    rina = registered.owner
    rows = [
        ["Sri Wahyuni", SRI, "", "Terasi Bu Sri", "Bangkleyan", "Jati"],
        ["Budi Santoso", "", "", "Warung Budi", "Gempol", "Jati"],
        ["SRI WAHYUNI", SRI, "", "TERASI BU SRI", "Kepoh", "Jati"],  # a repeat of row 2, another village
        ["Sri Wahyuni", SRI, "", "Kerupuk Bu Sri", "Bangkleyan", "Jati"],  # her second business
        ["Rina Wati", rina.nik, "081234567890", "Batik Baru", "Bangkleyan", "Jati"],  # a registered owner's
        ["Budi Santoso", "", "", "Warung Budi", "Gempol", "Jati"],  # a repeat of row 3, by names and village
        ["Rina Wati", rina.nik, "", "Batik Lama", "Bangkleyan", "Jati"],  # registered: nothing new
    ]
    path = write_csv(tmp_path / "umkm.csv", rows)
    result = import_file(path=path, office=offices["blora"], actor=users["blora_officer"])
    assert result.counts == {"created": 4, "updated": 0, "skipped": 3, "rejected": 0, "warned": 1}

    terasi, kerupuk = Business.objects.get(name="Terasi Bu Sri"), Business.objects.get(name="Kerupuk Bu Sri")
    assert terasi.owner_id == kerupuk.owner_id and Person.objects.filter(nik=SRI).count() == 1
    assert terasi.village_id == "33.16.01.2001"  # the first row decides; the repeat only warns
    repeat = ImportRow.objects.get(batch=result.batch, number=4)
    assert (repeat.outcome, repeat.reasons["_"]) == ("skipped", "sama dengan baris 2 lembar umkm")
    assert "(di sana: Bangkleyan)" in repeat.warnings["village"]
    assert ImportRow.objects.get(batch=result.batch, number=7).reasons["_"] == "sama dengan baris 3 lembar umkm"
    assert Business.objects.filter(name="Warung Budi").count() == 1

    baru = Business.objects.get(name="Batik Baru")
    assert baru.owner_id == rina.pk  # joins the registered owner, and fills their blank phone
    rina.refresh_from_db()
    assert rina.phone == "+6281234567890"
    assert Person.objects.filter(nik=rina.nik).count() == 1
    assert ImportRow.objects.get(batch=result.batch, number=8).reasons["_"] == "tidak ada perubahan"

    again = import_file(path=path, office=offices["blora"], actor=users["blora_officer"])
    assert again.counts["created"] == again.counts["updated"] == 0


def test_a_child_that_dies_keeps_nothing(settings, tmp_path, offices, users):
    settings.IMPORT_PARSE_APART_BYTES = 0
    settings.REGISTRY_BULK_WRITE_CHUNK = 10
    before = (Business.all_objects.count(), Person.objects.count(), BulkWrite.objects.count())
    rows = [[f"Pemilik {i}", "", "", f"Usaha {i}", "Bangkleyan", "Jati"] for i in range(3_000)]
    path = write_csv(tmp_path / "umkm.csv", rows)

    def kill_the_child(phase, done, total):
        # The first word of writing comes before the child has parsed the file: it dies mid-way.
        if phase == "writing" and done == 0:
            for child in multiprocessing.active_children():
                os.kill(child.pid, signal.SIGKILL)

    with pytest.raises(ImportRefused, match="Pemeriksaan baris berhenti"):
        import_file(path=path, office=offices["blora"], actor=users["blora_officer"], progress=kill_the_child)
    assert (Business.all_objects.count(), Person.objects.count(), BulkWrite.objects.count()) == before
    assert not ImportRow.objects.exists()
