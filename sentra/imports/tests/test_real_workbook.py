"""A regency office's own workbook and a second office's CSV export, typed as people type them,
go in whole: every good row kept (warned where an optional value was unusable), nothing changed by a
second import."""

import datetime as dt

import pytest
import xlsxwriter

from sentra.audit.models import ObjectChange
from sentra.imports.models import ImportRow
from sentra.imports.reading import read_workbook
from sentra.imports.services import import_file
from sentra.registry.models import Business, Licence, Person

pytestmark = pytest.mark.django_db

HEADER = [
    "NO",
    "NAMA PEMILIK",
    "NIK",
    "JENIS KELAMIN",
    "TGL LAHIR",
    "NO HP",
    "NAMA USAHA",
    "JENIS USAHA",
    "LEGALITAS USAHA",
    "NIB",
    "ALAMAT",
    "DESA",
    "KECAMATAN",
    "MODAL",
    "OMZET PER BULAN",
    "TAHUN MULAI",
    "CATATAN PETUGAS",  # hidden in the office's file
]
# Kec. Jati's sheet: each row a quirk from a real office's typing.
JATI = [
    [1, "HJ. SRI WAHYUNI, S.PD.", "'3316015205850001", "P", "12-05-85", "HP. 0812-3456-7890 (WA)",
     "UD TERASI BU SRI", "pembuatan terasi", "NIB 1234567890123, P-IRT No. 2063316010123-25", "-",
     "Jl. Mawar 1", "Ds. Bangkleyan", "Kec. Jati", "Rp 5 jt", "± 2 juta", 2015, "cek"],
    [2, "AHMAD FAUZI", '="3316011203900002"', "L", "12/03/1990", "0812 1111 2222 / 0813 3333 4444",
     "MEBEL JATI FAUZI", "mebel kayu jati", "-", "Proses", "RT 02 RW 01", "Gempol", "Jati", "1,5 M", "Rp 750rb",
     2099, ""],
    [3, "Siti Aminah", "3316 0152 0585 0003", "Perempuan", "12 Mei 1985", "12345", "Kue Basah Bu Siti",
     "kue basah", "belum ada", "tidak ada", "Dusun Krajan RT 003/RW 001 Desa Kepoh", "-", "Jatti",
     "-2.000.000", "0", "belum", ""],
    [4, "BUDI SANTOSO BIN SALIM", "", "LK", "", "-", "WARUNG BUDI", "warung makan", "Halal (proses)", "",
     "", "Singget", "", "tidak ada", "3 jt/bln", "", ""],
    [5, "-", "", "", "", "", "Toko Tanpa Pemilik", "", "", "", "", "Gempol", "Jati", "", "", "", ""],
    [6, "Sri Rahayu", "", "", "", "", "-", "", "", "", "", "Gempol", "Jati", "", "", "", ""],
    [7, "Data Lama", "", "", "", "", "Usaha Sudah Tutup", "", "", "", "", "Gempol", "Jati", "", "", "", ""],
    [8],
]  # fmt: skip
CEPU = [
    [1, "DRS. SUTARNO", "3316050107690004", "L", 25385.0, "(0296) 421234", "CV. CEPU MAKMUR",
     "toko bangunan", "BPOM RI MD 224510001234", "", "Jl. Diponegoro 5", "Balun", "Cepu", "Rp 50.000.000",
     "kurang lebih 10 jt", 2010, ""],
]  # fmt: skip
FOOTER = [["Cepu, 20 November 2026"], ["Mengetahui,"], ["Kepala Dinas Koperasi dan UKM"], ["( …………………… )"],
          ["Drs. SUPARMAN, M.Si"], ["NIP. 19700101 199003 1 001"]]  # fmt: skip


def write_workbook(path):
    workbook = xlsxwriter.Workbook(path)
    for name, rows in (("Kec. Jati", JATI), ("Kec. Cepu", CEPU)):
        sheet = workbook.add_worksheet(name)
        sheet.write(0, 0, "DATA UMKM BINAAN DINAS KOPERASI DAN UKM KABUPATEN BLORA")
        sheet.write(1, 0, "TAHUN 2026")
        sheet.write_row(3, 0, HEADER)
        sheet.write_row(4, 0, list(range(1, len(HEADER) + 1)))  # column numbers under the header
        line = 5
        for row in rows:
            for column, value in enumerate(row):
                if isinstance(value, float | int):
                    sheet.write_number(line, column, value)
                else:
                    sheet.write_string(line, column, value)
            line += 1
        if name == "Kec. Jati":
            sheet.set_row(5 + 6, None, None, {"hidden": True})  # "Data Lama": hidden, not to be read
            sheet.set_column(16, 16, None, None, {"hidden": True})
        line += 1
        for note in FOOTER:
            sheet.write(line, 1, note[0])
            line += 1
    workbook.close()
    return path


@pytest.fixture
def workbook(tmp_path):
    return write_workbook(tmp_path / "DATA UMKM BLORA 2026.xlsx")


@pytest.fixture(params=["here", "apart"])
def parsed(request, settings):
    """The rows parsed in this process, or in a child process beside the writing (a big file's way)."""
    settings.IMPORT_PARSE_APART_BYTES = 0 if request.param == "apart" else 10**12
    return request.param


def outcome_of(batch, sheet, number):
    return ImportRow.objects.get(batch=batch, sheet=sheet, number=number)


def test_a_real_workbook_goes_in_whole(parsed, workbook, offices, users):
    result = import_file(path=workbook, office=offices["blora"], actor=users["blora_officer"])
    batch = result.batch
    # Jati: 4 businesses, 2 rejects (no owner, "-" as business name), a hidden row, a running number,
    # the column numbers, a blank row and 6 footer lines; Cepu: 1 business, the same around it.
    assert result.counts == {"created": 5, "updated": 0, "skipped": 18, "rejected": 2, "warned": 3}
    assert batch.warned_count == 3

    sri = Business.objects.get(nib="1234567890123")
    assert (sri.name, sri.owner.full_name) == ("UD Terasi Bu Sri", "Hj. Sri Wahyuni, S.Pd.")
    assert (sri.owner.nik, sri.owner.phone, sri.owner.birth_date) == (
        "3316015205850001",
        "+6281234567890",
        dt.date(1985, 5, 12),
    )
    assert (sri.capital, sri.annual_turnover, sri.village_id) == (5_000_000, 24_000_000, "33.16.01.2001")
    assert sri.activity == "pembuatan terasi"
    assert list(sri.licences.values_list("kind", "number")) == [("pirt", "2063316010123-25")]
    row = outcome_of(batch, "Kec. Jati", 6)
    assert row.typed == {"owner_name": "HJ. SRI WAHYUNI, S.PD.", "business_name": "UD TERASI BU SRI"}
    assert row.warnings == {} and row.cells == []  # imported cleanly: no cells kept

    fauzi = Business.objects.get(name="Mebel Jati Fauzi")
    assert (fauzi.nib, fauzi.capital, fauzi.annual_turnover, fauzi.start_year) == ("", 1_500_000_000, 9_000_000, None)
    assert (fauzi.owner.phone, fauzi.owner.birth_date) == ("+6281211112222", dt.date(1990, 3, 12))
    warned = outcome_of(batch, "Kec. Jati", 7)
    assert set(warned.warnings) == {"phone", "nib", "start_year"}
    assert "+6281333334444" in warned.warnings["phone"] and "NIB sedang diurus" in warned.warnings["nib"]
    assert warned.cells[1] == "AHMAD FAUZI"  # a warned row keeps its cells, to fix and import again

    siti = Business.objects.get(name="Kue Basah Bu Siti")
    assert (siti.village_id, siti.capital, siti.annual_turnover) == ("33.16.01.2003", None, None)
    assert siti.owner.phone == ""
    assert set(outcome_of(batch, "Kec. Jati", 8).warnings) == {"phone", "capital"}

    budi = Business.objects.get(name="Warung Budi")
    assert (budi.owner.full_name, budi.owner.sex, budi.annual_turnover) == ("Budi Santoso bin Salim", "L", 36_000_000)
    assert budi.village_id == "33.16.01.2007"  # no district typed: Singget is the regency's only one
    assert "Halal (proses)" in outcome_of(batch, "Kec. Jati", 9).warnings["legality"]

    cepu = Business.objects.get(name="CV. Cepu Makmur")
    assert (cepu.owner.phone, cepu.owner.birth_date, cepu.annual_turnover) == (
        "+62296421234",
        dt.date(1969, 7, 1),
        120_000_000,
    )
    assert list(cepu.licences.values_list("kind", "number")) == [("bpom", "MD 224510001234")]

    rejected = {row.number: row.reasons for row in ImportRow.objects.filter(batch=batch, outcome="rejected")}
    assert rejected == {10: {"owner_name": "Nama pemilik kosong."}, 11: {"business_name": "Nama usaha kosong."}}
    skipped = dict(
        ImportRow.objects.filter(batch=batch, outcome="skipped", sheet="Kec. Jati").values_list("number", "reasons")
    )
    assert skipped[12] == {"_": "baris disembunyikan di Excel"}
    assert skipped[13] == {"_": "baris hanya berisi nomor urut"}
    assert skipped[5] == {"_": "baris nomor kolom di bawah judul"}
    assert {skipped[number]["_"] for number in range(15, 21)} == {"catatan atau tanda tangan di bawah tabel"}
    assert not Business.objects.filter(name="Usaha Sudah Tutup").exists()


def test_a_second_import_changes_nothing(parsed, workbook, offices, users):
    import_file(path=workbook, office=offices["blora"], actor=users["blora_officer"])
    registry_changes = ObjectChange.objects.exclude(content_type__model="importbatch")
    before = (Business.objects.count(), Person.objects.count(), Licence.objects.count(), registry_changes.count())
    again = import_file(path=workbook, office=offices["blora"], actor=users["blora_officer"])
    assert again.counts == {"created": 0, "updated": 0, "skipped": 23, "rejected": 2, "warned": 3}
    after = (Business.objects.count(), Person.objects.count(), Licence.objects.count(), registry_changes.count())
    assert after == before


def test_warned_rows_are_downloadable_beside_the_rejects(workbook, offices, users, client, tmp_path):
    batch = import_file(path=workbook, office=offices["blora"], actor=users["blora_officer"]).batch
    client.force_login(users["blora_officer"])
    response = client.get(f"/impor/{batch.pk}/ditolak.xlsx")
    assert response.status_code == 200
    path = tmp_path / "ditolak.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    sheets = {sheet.name: sheet.rows for sheet in read_workbook(path)}
    assert set(sheets) == {"Kec. Jati", "Peringatan Kec. Jati"}
    warnings = sheets["Peringatan Kec. Jati"]
    width = len(HEADER)
    assert warnings[0][width:] == ["Lembar asal", "Baris asal", "Isian", "Nilai tertulis", "Peringatan"]
    lines = {(line[width + 1], line[width + 2]): line for line in warnings[1:]}
    phone = lines[(8.0, "Nomor HP")]
    assert phone[width + 3] == "12345" and "baris tetap diimpor" in phone[width + 4]
    assert phone[2] == "331601**********"  # the NIK masked, as in the rejects
    assert lines[(7.0, "NIB")][width + 3] == "Proses"
    assert len(warnings) - 1 == 6  # one line per warning: 3 (Fauzi), 2 (Siti), 1 (Budi)


# A second office's one-table export from an old desktop database: semicolons, Windows-1252, the
# village only inside the full address, the district abbreviated or blank.
CSV_LINES = [
    "No;Nama Pemilik;NIK;Tgl Lahir;No. HP;Nama Usaha / Merk;Alamat Lengkap;Kecamatan;Omzet/bln;Keterangan",
    '1;SITI KHOLIFAH;\'1809015205850001;12-05-85;0812-3456-7890 (WA);KERIPIK PISANG "BU SITI";'
    "Dusun II RT 003/RW 001 Desa Sukaraja;Gd. Tataan;1,5 jt;Café",
    "2;JOKO PRAMONO;1809031203900002;12/03/1990;-;KOPI ROBUSTA JOKO;Dsn. Sumber RT 01 Desa Trimulyo;"
    "Tegineneng;Rp 750rb;-",
    "3;Nur'aini;3316015205850003;12 Mei 1985;081299998888;Kain Tapis Nur;Jl. Lintas Barat, Desa Cipadang;;"
    "± 2 juta;pindahan dari Blora",
    "4;Yanto;;;;-;Desa Bagelen;Gd. Tataan;;",
]


@pytest.fixture
def export_csv(tmp_path):
    path = tmp_path / "ekspor_umkm.csv"
    path.write_bytes("\r\n".join(CSV_LINES).encode("cp1252"))
    return path


def test_a_second_offices_csv_export_goes_in(parsed, export_csv, offices, users):
    office, officer = offices["pesawaran"], users["pesawaran_officer"]
    result = import_file(path=export_csv, office=office, actor=officer)  # "Nama Usaha / Merk" is understood
    assert result.counts == {"created": 3, "updated": 0, "skipped": 0, "rejected": 1, "warned": 0}
    siti = Business.objects.get(owner__nik="1809015205850001")
    assert (siti.name, siti.owner.full_name) == ('Keripik Pisang "Bu Siti"', "Siti Kholifah")
    assert (siti.village_id, siti.annual_turnover, siti.owner.birth_date) == (
        "18.09.01.2008",
        18_000_000,
        dt.date(1985, 5, 12),
    )
    assert siti.address == "Dusun II RT 003/RW 001 Desa Sukaraja"
    # Trimulyo is a village of two districts: the row's district decides.
    assert Business.objects.get(name="Kopi Robusta Joko").village_id == "18.09.03.2015"
    nur = Business.objects.get(name="Kain Tapis Nur")  # a NIK of Blora in Pesawaran: people move
    assert (nur.village_id, nur.owner.nik, nur.annual_turnover) == ("18.09.01.2003", "3316015205850003", 24_000_000)
    assert ImportRow.objects.get(batch=result.batch, outcome="rejected").reasons == {
        "business_name": "Nama usaha kosong."
    }
    again = import_file(path=export_csv, office=office, actor=officer)
    assert again.counts == {"created": 0, "updated": 0, "skipped": 3, "rejected": 1, "warned": 0}
