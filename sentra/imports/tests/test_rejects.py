"""Rejected rows download in their own columns with the reasons, and read back the same way."""

import pytest

from sentra.imports.headers import find_header
from sentra.imports.reading import read_workbook
from sentra.imports.rejects import rejected_rows_xlsx
from sentra.imports.rows import ParsedRow

pytestmark = pytest.mark.django_db


def test_rejected_rows_round_trip(tmp_path):
    labels = ["NAMA PEMILIK", "NIK", "NAMA USAHA", "DESA"]
    rows = [
        ParsedRow(
            sheet="Kec. Jati",
            number=7,
            cells=["Sri", 3316015205850000.0, "Terasi", "Ds. Entah"],
            errors={"nik": "NIK tersimpan sebagai angka", "village": "Desa Entah tidak ada"},
        ),
        ParsedRow(
            sheet="Kec. Blora",
            number=12,
            cells=["Siti", "3316015205850002", "", "Gempol"],
            errors={"business_name": "Nama usaha kosong."},
        ),
    ]
    path = tmp_path / "ditolak.xlsx"
    path.write_bytes(rejected_rows_xlsx({"Kec. Jati": labels, "Kec. Blora": labels}, rows, full_nik=True))
    jati, blora = read_workbook(path)
    assert (jati.name, blora.name) == ("Kec. Jati", "Kec. Blora")  # one sheet per source sheet
    assert jati.rows[0] == [*labels, "Lembar asal", "Baris asal", "Alasan penolakan"]
    assert jati.rows[1][:4] == ["Sri", 3316015205850000.0, "Terasi", "Ds. Entah"]
    assert jati.rows[1][4:6] == ["Kec. Jati", 7.0]
    assert jati.rows[1][6] == "NIK pemilik: NIK tersimpan sebagai angka; Desa/kelurahan: Desa Entah tidak ada"
    assert blora.rows[1][1] == "3316015205850002"  # a text NIK stays text
    header = find_header(blora.rows)
    assert header.mapping == {0: "owner_name", 1: "nik", 2: "business_name", 3: "village"}
