"""A regency office's workbook as it is typed: headers with units and alternatives under a merged
ALAMAT, a row of column numbers, one sheet per district with the same business in two of them,
and a REKAP sheet. Every column is accounted for, each business comes in once, and a second
import changes nothing."""

import pytest
import xlsxwriter

from sentra.imports.files import MissingColumns, read_file
from sentra.imports.headers import find_header, is_column_number_row, match_label
from sentra.imports.models import ImportRow
from sentra.imports.services import import_file
from sentra.registry.models import Business, Person

pytestmark = pytest.mark.django_db

TOP = [
    "NO",
    "NAMA PEMILIK",
    "NIK",
    "NAMA USAHA / MERK",
    "NIB",
    "ALAMAT",
    "",
    "",
    "",
    "",
    "NO. HP / WA",
    "MODAL\n(Rp)",
    "OMZET PER TAHUN (Rp.)",
    "JENIS KEGIATAN USAHA",
    "KETERANGAN",
]
UNDER_ALAMAT = ["JALAN/DUSUN", "RT", "RW", "DESA", "KECAMATAN"]

JATI = [
    [1, "SRI WAHYUNI", "3316015205850001", "Terasi Bu Sri", "", "Dk. Krajan", "002", "001", "Bangkleyan", "Jati",
     "0812-3456-7890", "5.000.000", "120.000.000", "pembuatan terasi", "binaan 2024"],
    [2, "Ahmad Fauzi", "3316011203900002", "UD. Mebel Jati Fauzi", "", "Jl. Randublatung Km 3", "", "", "Gempol",
     "Jati", "", "Rp 25.000.000", "Rp 300.000.000", "mebel kayu jati", ""],
    [3, "SRI WAHYUNI", "3316015205850001", "Kerupuk Bu Sri", "", "Dk. Krajan", "002", "001", "Bangkleyan", "Jati",
     "0812-3456-7890", "2.000.000", "36.000.000", "kerupuk", ""],
    [4, "Hj. Marfu'ah", "3316014708750004", "Batik Sekar Arum", "9120001234567", "Dk. Ngasem", "", "", "Kepoh",
     "Jati", "0821-1111-2222", "10.000.000", "90.000.000", "batik tulis", ""],
]  # fmt: skip
CEPU = [
    # Terasi Bu Sri again, typed in capitals, with another village and phone: a repeat, its differences warned.
    [1, "Sri Wahyuni", "3316015205850001", "TERASI BU SRI", "", "Jl. Pemuda", "", "", "Balun", "Cepu",
     "0813-2222-3333", "5.000.000", "120.000.000", "pembuatan terasi", ""],
    [2, "Budi Santoso", "3316051506800003", "Bengkel Las Budi", "", "Jl. Diponegoro 12", "003", "004", "Balun",
     "Cepu", "0852-9876-5432", "15.000.000", "150.000.000", "bengkel las", ""],
    # The same mebel shop written "Toko …" instead of "UD. …": one business after normalisation.
    [3, "AHMAD FAUZI", "3316011203900002", "Toko Mebel Jati Fauzi", "", "Jl. Randublatung Km 3", "", "", "Gempol",
     "Jati", "", "Rp 25.000.000", "Rp 300.000.000", "mebel kayu jati", ""],
    # Batik Sekar Arum without its NIB, in another village: a repeat of the row that has the NIB.
    [4, "Hj. Marfu'ah", "3316014708750004", "Batik Sekar Arum", "", "Dk. Ngasem", "", "", "Ngloram", "Cepu",
     "0821-1111-2222", "10.000.000", "90.000.000", "batik tulis", ""],
    # A village no one in Blora has heard of: the one row the registry cannot hold.
    [5, "SUPARMI", "3316054101700005", "Warung Makan Bu Parmi", "", "Jl. Sorogo", "", "", "Sorogo Wetan", "Cepu",
     "0857-1234-0000", "3.000.000", "60.000.000", "warung makan", ""],
]  # fmt: skip


def district_sheet(workbook, name: str, rows: list[list]) -> None:
    sheet = workbook.add_worksheet(name)
    bold = workbook.add_format({"bold": True, "text_wrap": True})
    sheet.write(0, 0, "DATA PELAKU USAHA MIKRO DAN KECIL KABUPATEN BLORA")
    sheet.write(1, 0, f"{name} TAHUN 2026")
    for column, label in enumerate(TOP):
        if label and label != "ALAMAT":
            sheet.merge_range(3, column, 4, column, label, bold)
    sheet.merge_range(3, 5, 3, 9, "ALAMAT", bold)
    sheet.write_row(4, 5, UNDER_ALAMAT, bold)
    sheet.write_row(5, 0, list(range(1, len(TOP) + 1)))  # the column numbers some offices print
    for number, row in enumerate(rows, start=6):
        for column, value in enumerate(row):
            if isinstance(value, int):
                sheet.write_number(number, column, value)
            else:
                sheet.write_string(number, column, value)


@pytest.fixture
def regency_workbook(tmp_path):
    return write_regency_workbook(tmp_path / "Data UMKM Kab Blora 2026.xlsx")


def write_regency_workbook(path):
    workbook = xlsxwriter.Workbook(path)
    district_sheet(workbook, "KEC. JATI", JATI)
    district_sheet(workbook, "KEC. CEPU", CEPU)
    rekap = workbook.add_worksheet("REKAP")
    rekap.write_row(0, 0, ["NO", "KECAMATAN", "DESA", "JUMLAH UMKM"])
    rekap.write_row(1, 0, [1, "Jati", "3 desa", 4])
    rekap.write_row(2, 0, [2, "Cepu", "2 desa", 4])
    rekap.write_row(3, 0, ["", "JUMLAH", "", 8])
    notes = workbook.add_worksheet("Catatan")
    notes.write(0, 0, "Data dihimpun oleh petugas pendataan kecamatan.")
    workbook.close()
    return path


@pytest.mark.parametrize(
    "label,field",
    [
        ("NO. HP / WA", "phone"),
        ("Telp/HP", "phone"),
        ("Nama Usaha / Merk", "business_name"),
        ("1. NAMA PEMILIK", "owner_name"),
        ("NAMA\nPEMILIK", "owner_name"),
        ("MODAL (Rp.)", "capital"),
        ("Jumlah Modal (Rp)", None),
        ("OMZET / TAHUN", "annual_turnover"),
        ("Omzet (Rp/bln)", "monthly_turnover"),
        ("OMSET PER BULAN", "monthly_turnover"),
        ("omzet sebulan", "monthly_turnover"),
        ("BULAN MULAI USAHA", "start_month"),
        ("Nama Desa", "village"),
        ("Kegiatan / Jenis Usaha", "activity"),
        ("NIK (16 digit)", "nik"),
        ("L/P", "sex"),
        ("KECAMTAN", "district"),  # a slip of the keyboard, close enough to apply
        ("KETERANGAN", None),
        ("TEMPAT LAHIR", None),
    ],
)
def test_headers_as_people_write_them(label, field):
    match = match_label(label)
    assert (match.field if match and match.applied else None) == field


def test_a_loose_spelling_is_only_proposed():
    match = match_label("Tahun Lahir")
    assert match is not None and not match.applied  # never applied without the officer


def test_the_merged_header_and_its_column_numbers(regency_workbook):
    parsed = read_file(regency_workbook)
    sheet, header = parsed.sheets[0]
    fields = {header.labels[column]: field for column, field in header.mapping.items()}
    assert fields == {
        "NAMA PEMILIK": "owner_name",
        "NIK": "nik",
        "NAMA USAHA / MERK": "business_name",
        "NIB": "nib",
        "ALAMAT › JALAN/DUSUN": "address",
        "ALAMAT › RT": "rt",
        "ALAMAT › RW": "rw",
        "ALAMAT › DESA": "village",
        "ALAMAT › KECAMATAN": "district",
        "NO. HP / WA": "phone",
        "MODAL\n(Rp)": "capital",
        "OMZET PER TAHUN (Rp.)": "annual_turnover",
        "JENIS KEGIATAN USAHA": "activity",
    }
    assert is_column_number_row(sheet.rows[header.data_start])
    assert header.skipped == {5: "baris nomor kolom di bawah judul"}
    # NO and KETERANGAN fill nothing: listed with a sample value, not dropped unseen.
    assert [(c["label"], c["sample"]) for c in parsed.ignored()] == [("NO", "1"), ("KETERANGAN", "binaan 2024")]
    assert [name for name, _reason in parsed.skipped_sheets] == ["REKAP", "Catatan"]


def test_every_business_once_repeats_warned_and_a_second_import_changes_nothing(regency_workbook, offices, users):
    result = import_file(path=regency_workbook, office=offices["blora"], actor=users["blora_officer"])
    # 9 rows and 2 rows of column numbers; Sri's terasi, Fauzi's mebel and the batik come twice.
    assert result.counts == {"created": 5, "updated": 0, "skipped": 5, "rejected": 1, "warned": 2}
    terasi = Business.objects.get(name="Terasi Bu Sri")
    assert (terasi.village_id, terasi.address, terasi.capital) == (
        "33.16.01.2001",
        "Dk. Krajan RT 002/RW 001",
        5_000_000,
    )
    assert terasi.owner.phone == "+6281234567890" and terasi.activity == "pembuatan terasi"
    # A same owner with another business keeps both.
    assert sorted(Person.objects.get(nik="3316015205850001").businesses.values_list("name", flat=True)) == [
        "Kerupuk Bu Sri",
        "Terasi Bu Sri",
    ]
    batik = Business.objects.get(name="Batik Sekar Arum")
    assert (batik.nib, batik.village_id) == ("9120001234567", "33.16.01.2003")
    rows = {(row.sheet, row.number): row for row in ImportRow.objects.filter(batch=result.batch)}
    assert rows[("KEC. JATI", 6)].reasons == {"_": "baris nomor kolom di bawah judul"}
    repeat = rows[("KEC. CEPU", 7)]
    assert (repeat.outcome, repeat.reasons) == ("skipped", {"_": "sama dengan baris 7 lembar KEC. JATI"})
    assert repeat.warnings["village"] == (
        "Berbeda dengan baris 7 lembar KEC. JATI (di sana: Bangkleyan); yang dipakai isian baris itu."
    )
    assert "di sana: +6281234567890" in repeat.warnings["phone"] and "address" in repeat.warnings
    assert set(rows[("KEC. CEPU", 10)].warnings) == {"village"}  # the batik, its NIB left out: not a difference
    assert rows[("KEC. CEPU", 9)].reasons == {"_": "sama dengan baris 8 lembar KEC. JATI"}
    assert not rows[("KEC. CEPU", 9)].warnings

    before = sorted(Business.objects.values_list("pk", "name", "village_id", "address", "nib", "updated_at"))
    for _again in range(2):  # the issue saw a business move village on the second import and back on the third
        again = import_file(path=regency_workbook, office=offices["blora"], actor=users["blora_officer"])
        assert again.counts == {"created": 0, "updated": 0, "skipped": 10, "rejected": 1, "warned": 2}
        assert (
            sorted(Business.objects.values_list("pk", "name", "village_id", "address", "nib", "updated_at")) == before
        )


def test_a_registered_business_named_by_two_rows_is_matched_once(regency_workbook, offices, users, tmp_path):
    """Registered twice before repeats were caught (once with its NIB, once without): each import
    leaves both as they are instead of moving one of them between villages."""
    import_file(path=regency_workbook, office=offices["blora"], actor=users["blora_officer"])
    batik = Business.objects.get(name="Batik Sekar Arum")
    twin = Business.objects.create(
        name="Batik Sekar Arum", owner=batik.owner, village_id="33.16.05.2002", nib="", address="Dk. Ngasem"
    )
    before = sorted(Business.objects.values_list("pk", "village_id", "nib", "updated_at"))
    for _again in range(2):
        again = import_file(path=regency_workbook, office=offices["blora"], actor=users["blora_officer"])
        assert (again.counts["created"], again.counts["updated"]) == (0, 0)
    assert sorted(Business.objects.values_list("pk", "village_id", "nib", "updated_at")) == before
    assert twin.pk in {pk for pk, *_rest in before}


def test_a_missing_required_column_says_how_to_map_it(tmp_path):
    path = tmp_path / "ekspor.csv"
    path.write_text(
        "No;Nama Pemilik;NIK;Merk Dagang;Alamat Lengkap\n"
        "1;Sri Wahyuni;3316015205850001;Terasi Bu Sri;Dusun Krajan RT 002/RW 001 Desa Bangkleyan\n",
        encoding="cp1252",
    )
    with pytest.raises(MissingColumns) as refused:
        read_file(path)
    # The village is not asked for: it is read from inside the full address.
    assert refused.value.missing == ["business_name"]
    assert refused.value.labels == ["No", "Nama Pemilik", "NIK", "Merk Dagang", "Alamat Lengkap"]
    parsed = read_file(path, corrections={"merk dagang": "business_name"})
    assert parsed.sheets[0][1].mapping == {1: "owner_name", 2: "nik", 3: "business_name", 4: "address"}


def test_a_unit_under_a_merged_label_leaves_the_label():
    header = find_header(
        [
            ["NAMA PEMILIK", "NAMA USAHA", "DESA", "OMZET", "MODAL"],
            ["", "", "", "(Rp/bln)", "(Rp)"],
            ["Sri", "Terasi", "Gempol", "1 jt", "5 jt"],
        ]
    )
    assert header.mapping == {0: "owner_name", 1: "business_name", 2: "village", 3: "monthly_turnover", 4: "capital"}
