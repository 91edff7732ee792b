"""Reading messy offices' sheets: title rows, two-row headers, synonyms, totals, CSV dialects."""

import pytest
import xlsxwriter

from sentra.imports.headers import find_header, is_blank_row, is_totals_row, normalize_label
from sentra.imports.reading import UnreadableFile, hidden_rows_and_columns, read_csv, read_workbook


@pytest.fixture
def blora_sheet(tmp_path):
    """A sheet as Blora types it: title rows, ALAMAT and TENAGA KERJA over sub-columns, a JUMLAH row."""
    path = tmp_path / "umkm_blora.xlsx"
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet("Kec. Jati")
    sheet.write(0, 0, "DATA UMKM BINAAN DINAS KOPERASI DAN UKM KABUPATEN BLORA")
    sheet.write(1, 0, "TAHUN 2026")
    for column, title in enumerate(["NO", "NAMA PEMILIK", "NIK", "NAMA USAHA"]):
        sheet.merge_range(3, column, 4, column, title)
    sheet.merge_range(3, 4, 3, 6, "ALAMAT")
    for column, title in zip(range(4, 7), ["JALAN", "DESA/KEL", "KECAMATAN"], strict=True):
        sheet.write(4, column, title)
    sheet.merge_range(3, 7, 3, 8, "TENAGA KERJA")
    sheet.write(4, 7, "L")
    sheet.write(4, 8, "P")
    sheet.write(3, 9, "OMZET / TAHUN")
    sheet.write_row(
        5,
        0,
        [
            1,
            "Sri Wahyuni",
            "3316015205850001",
            "Terasi Bu Sri",
            "Jl. Mawar",
            "Ds. Bangkleyan",
            "Jati",
            1,
            2,
            "Rp 120.000.000",
        ],
    )
    sheet.write_row(
        7, 0, [2, "Hj. Siti", "3316 0152 0585 0002", "Batik Sekar", "", "Kel. Gempol", "Kec. Jati", 0, 3, "1,5 jt"]
    )
    sheet.write_row(8, 0, ["JUMLAH", "", "", "", "", "", "", 1, 5, ""])
    workbook.close()
    return path


def test_finds_the_two_row_header_under_the_title(blora_sheet):
    [sheet] = read_workbook(blora_sheet)
    assert sheet.name == "Kec. Jati"
    header = find_header(sheet.rows)
    assert header.data_start == 5
    assert header.labels[5] == "ALAMAT › DESA/KEL"
    fields = {header.labels[column]: field for column, field in header.mapping.items()}
    assert fields == {
        "NAMA PEMILIK": "owner_name",
        "NIK": "nik",
        "NAMA USAHA": "business_name",
        "ALAMAT › JALAN": "address",
        "ALAMAT › DESA/KEL": "village",
        "ALAMAT › KECAMATAN": "district",
        "TENAGA KERJA › L": "workers_male",
        "TENAGA KERJA › P": "workers_female",
        "OMZET / TAHUN": "annual_turnover",
    }


def test_blank_and_totals_rows_are_recognised(blora_sheet):
    [sheet] = read_workbook(blora_sheet)
    rows = sheet.rows[5:]
    assert [is_blank_row(row) for row in rows] == [False, True, False, False]
    assert [is_totals_row(row) for row in rows] == [False, False, False, True]


@pytest.mark.parametrize(
    "label,normalized",
    [("Nama  Pelaku-Usaha ", "nama pelaku usaha"), ("DESA/KEL.", "desa kel"), (None, ""), (2026, "2026")],
)
def test_normalize_label(label, normalized):
    assert normalize_label(label) == normalized


@pytest.mark.parametrize(
    "title,field",
    [
        ("NAMA PEMILIK", "owner_name"),
        ("Nama Pelaku Usaha", "owner_name"),
        ("PEMILIK", "owner_name"),
        ("nik_pengusaha", "nik"),
        ("No. HP", "phone"),
        ("kontak_hp", "phone"),
        ("Omset", "annual_turnover"),
    ],
)
def test_column_spellings(title, field):
    header = find_header([[title, "NAMA USAHA"], ["x", "y"]])
    assert header.mapping[0] == field


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_any_delimiter_and_encoding(delimiter, encoding):
    text = delimiter.join(["NAMA PEMILIK", "NAMA USAHA", "ALAMAT"]) + "\r\n"
    text += delimiter.join(["Sri Wahyuni", "Kue Basah Bu Sri", "Jl. Mawar"]) + "\r\n"
    text += delimiter.join(["José Müller", "Kafé", "Jl. Melati"]) + "\r\n"
    rows = read_csv(text.encode(encoding))
    assert rows[2] == ["José Müller", "Kafé", "Jl. Melati"]
    assert find_header(rows).mapping == {0: "owner_name", 1: "business_name", 2: "address"}


def test_csv_from_an_old_desktop_database(tmp_path):
    """Semicolons, Windows-1252, commas inside values, quotes: as a second office's export is."""
    lines = [
        "No;Nama Pemilik;Nama Usaha / Merk;Alamat Lengkap;Omzet/bln;Keterangan",
        '1;SRI WAHYUNI;"KERUPUK ""BU SRI""";Dusun II RT 003/RW 001 Desa Bangkleyan;1,5 jt;Café, warung',
        "2;AHMAD FAUZI;MEBEL JATI;Ds. Gempol, Kec. Jati;2,5 jt;-",
        "3;Siti Müller;Kue Basah;Desa Kepoh;750 rb;",
    ]
    rows = read_csv("\r\n".join(lines).encode("cp1252"))
    assert [len(row) for row in rows] == [6, 6, 6, 6]
    assert rows[1][2:6] == ['KERUPUK "BU SRI"', "Dusun II RT 003/RW 001 Desa Bangkleyan", "1,5 jt", "Café, warung"]
    assert rows[3][1] == "Siti Müller"


def test_csv_saved_as_unicode_text_by_excel():
    text = "NAMA PEMILIK\tNAMA USAHA\tDESA\r\nSri Wahyuni\tKafé Sri\tBangkleyan\r\n"
    assert read_csv(text.encode("utf-16"))[1] == ["Sri Wahyuni", "Kafé Sri", "Bangkleyan"]


def test_hidden_rows_and_columns_are_left_out(tmp_path):
    path = tmp_path / "tersembunyi.xlsx"
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet("Kec. Jati")
    sheet.write_row(0, 0, ["NO", "NAMA PEMILIK", "CATATAN PETUGAS", "NAMA USAHA", "DESA"])
    sheet.write_row(1, 0, [1, "Sri Wahyuni", "cek ulang", "Terasi Bu Sri", "Bangkleyan"])
    sheet.write_row(2, 0, [2, "Budi (data lama)", "pindah", "Warung Budi", "Gempol"])
    sheet.write_row(3, 0, [3, "Ahmad Fauzi", "", "Mebel Jati", "Gempol"])
    sheet.set_row(2, None, None, {"hidden": True})
    sheet.set_column(2, 2, None, None, {"hidden": True})
    workbook.close()
    assert hidden_rows_and_columns(path) == {"Kec. Jati": ({2}, {2})}
    [read] = read_workbook(path)
    assert read.hidden_rows == {2}
    assert read.hidden_columns == {2: "CATATAN PETUGAS"}
    assert read.notes == ["Kolom tersembunyi tidak dibaca: C (CATATAN PETUGAS)."]
    assert [row[2] for row in read.rows] == ["", "", "", ""]  # blanked, so nothing maps or reads it
    assert read.rows[1][:2] == [1.0, "Sri Wahyuni"]  # the columns keep their places
    assert 2 not in find_header(read.rows).mapping


def test_unsupported_or_broken_files_say_why(tmp_path):
    (tmp_path / "data.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(UnreadableFile, match="tidak didukung"):
        read_workbook(tmp_path / "data.pdf")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    with pytest.raises(UnreadableFile, match="teks"):
        read_workbook(tmp_path / "broken.xlsx")


@pytest.mark.parametrize(
    "row,totals",
    [
        (["JUMLAH", "", "", 40], True),
        ([None, "  ", 0, "Total"], True),  # blanks and zeros are not among the first three filled cells
        (["", "Jumlah Total", 12], True),
        (["GRAND TOTAL"], True),
        (["1", "Sri", "3316015205850001", "JUMLAH"], False),  # the fourth filled cell does not count
        (["Total Busana", "Sri"], False),  # a business named so
        (["Jumlahan"], False),
        ([], False),
    ],
)
def test_totals_row_is_told_by_its_first_three_filled_cells(row, totals):
    assert is_totals_row(row) is totals
