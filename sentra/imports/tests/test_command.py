"""`manage.py import_businesses` does what the preview does: templates, mapping by hand, KBLI
suggestions taken above a confidence, and a `--json` that leaves nothing out."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sentra.imports.models import ImportTemplate
from sentra.imports.tests.test_headers_and_repeats import write_regency_workbook
from sentra.registry.models import Business

pytestmark = pytest.mark.django_db


def run(*args) -> dict:
    out = StringIO()
    call_command(
        "import_businesses", *map(str, args), "--office", "dinkop-blora", "--json", "--no-progress", stdout=out
    )
    return json.loads(out.getvalue())


@pytest.fixture
def regency_workbook(tmp_path):
    return write_regency_workbook(tmp_path / "Data UMKM Kab Blora 2026.xlsx")


@pytest.fixture
def old_desktop_export(tmp_path):
    """A one-table export of an old desktop database: semicolons, Windows-1252, its own column names."""
    path = tmp_path / "EXPORT_UMKM.csv"
    path.write_text(
        "No;Nama Pemilik;NIK;Merk Dagang;Nama Desa Usaha;Kec.;Telp/HP;Catatan Petugas\r\n"
        "1;Sri Wahyuni;3316015205850001;Terasi Bu Sri;Bangkleyan;Jati;0812-3456-7890;sudah dikunjungi\r\n"
        "2;Ahmad Fauzi;3316011203900002;Mebel Jati Fauzi;Gempol;Jati;;\r\n",
        encoding="cp1252",
    )
    return path


def test_json_lists_ignored_columns_skipped_sheets_warnings_and_rejects(regency_workbook, offices):
    summary = run(regency_workbook)
    assert (summary["created"], summary["skipped"], summary["rejected"], summary["warned"]) == (5, 5, 1, 2)
    assert [(c["sheet"], c["column"], c["header"], c["sample"]) for c in summary["ignored_columns"]] == [
        ("KEC. JATI", "A", "NO", "1"),
        ("KEC. JATI", "O", "KETERANGAN", "binaan 2024"),
    ]
    assert [sheet["sheet"] for sheet in summary["skipped_sheets"]] == ["REKAP", "Catatan"]
    [rejected] = summary["rejected_rows"]
    assert (rejected["sheet"], rejected["row"], rejected["business_name"], rejected["owner_name"]) == (
        "KEC. CEPU",
        11,
        "Warung Makan Bu Parmi",
        "Suparmi",  # stored in proper case; the cells as typed are in the rejects download
    )
    assert "village" in rejected["reasons"]
    warned = {(w["sheet"], w["row"], w["field"]) for w in summary["warnings"]}
    assert ("KEC. CEPU", 7, "village") in warned and ("KEC. CEPU", 7, "phone") in warned
    assert ("KEC. CEPU", 10, "village") in warned
    assert len({(sheet, row) for sheet, row, _field in warned}) == summary["warned"]


def test_a_missing_column_says_how_to_map_it_and_map_does(old_desktop_export, offices):
    with pytest.raises(CommandError) as refused:
        run(old_desktop_export)
    message = str(refused.value)
    assert "Kolom wajib tidak ditemukan: Nama usaha, Desa/kelurahan" in message
    assert '--map "HEADER=field"' in message and "'Merk Dagang'" in message and "business_name" in message
    summary = run(old_desktop_export, "--map", "Merk Dagang=business_name", "--map", "Nama Desa Usaha=village")
    assert (summary["created"], summary["rejected"]) == (2, 0)
    assert [c["header"] for c in summary["ignored_columns"]] == ["No", "Catatan Petugas"]
    terasi = Business.objects.get(name="Terasi Bu Sri")
    assert (terasi.village_id, terasi.owner.phone) == ("33.16.01.2001", "+6281234567890")


def test_a_saved_template_maps_the_columns(old_desktop_export, offices):
    ImportTemplate.objects.create(
        office=offices["blora"],
        name="Ekspor aplikasi lama",
        mapping={"merk dagang": "business_name", "nama desa usaha": "village", "catatan petugas": ""},
    )
    summary = run(old_desktop_export, "--template", "EKSPOR APLIKASI LAMA", "--dry-run")
    assert (summary["created"], summary["dry_run"]) == (2, True) and not Business.objects.exists()
    assert [c["header"] for c in summary["ignored_columns"]] == ["No", "Catatan Petugas"]
    with pytest.raises(CommandError, match="No template 'Rekap 2025'.*SIDT Kementerian Koperasi dan UKM"):
        run(old_desktop_export, "--template", "Rekap 2025")
    with pytest.raises(CommandError, match="No field 'desa'; the fields are: owner_name"):
        run(old_desktop_export, "--map", "Nama Desa Usaha=desa")


def test_the_shipped_sidt_template(tmp_path, offices):
    path = tmp_path / "sidt.csv"
    path.write_text(
        "nik_pengusaha,nama_pengusaha,nama_usaha,kegiatan_utama,kel_usaha,kec_usaha,omzet_tahunan,id_sidt\n"
        "3316015205850001,Sri Wahyuni,Terasi Bu Sri,pembuatan terasi,Bangkleyan,Jati,120000000,88123\n"
    )
    summary = run(path, "--template", "SIDT Kementerian Koperasi dan UKM")
    assert summary["created"] == 1
    assert [c["header"] for c in summary["ignored_columns"]] == ["id_sidt"]
    assert Business.objects.get().annual_turnover == 120_000_000


def test_kbli_suggestions_taken_above_the_confidence_and_the_rest_listed(regency_workbook, offices):
    summary = run(regency_workbook, "--kbli", "suggested", "--kbli-confidence", "0.8")
    accepted = {entry["text"]: entry["code"] for entry in summary["kbli"]["accepted"]}
    review = {entry["text"]: entry for entry in summary["kbli"]["for_review"]}
    assert accepted and all(entry["score"] >= 0.8 for entry in summary["kbli"]["accepted"])
    assert all(entry["score"] is None or entry["score"] < 0.8 for entry in review.values())
    for business in Business.objects.all():
        assert business.kbli_id == accepted.get(business.activity)  # taken, or left empty for review
    assert set(accepted) | set(review) == {
        "pembuatan terasi",
        "mebel kayu jati",
        "kerupuk",
        "batik tulis",
        "bengkel las",
    }  # not the rejected row's "warung makan"
    with pytest.raises(CommandError, match="between 0 and 1"):
        run(regency_workbook, "--kbli", "suggested", "--kbli-confidence", "80")


def test_without_kbli_suggested_no_code_is_guessed(regency_workbook, offices):
    summary = run(regency_workbook)
    assert summary["kbli"] == {"accepted": [], "for_review": []}
    assert not Business.objects.exclude(kbli=None).exists()
