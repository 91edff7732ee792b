"""One row of an office's sheet → registry values, or a reason per field."""

import datetime as dt

import pytest

from sentra.imports.headers import find_header
from sentra.imports.rows import parse_row
from sentra.imports.values import RegionMatcher
from sentra.kbli.models import Kbli

pytestmark = pytest.mark.django_db

HEADER = [
    "NO",
    "NAMA PEMILIK",
    "NIK",
    "JK",
    "NO HP",
    "NAMA USAHA",
    "JENIS USAHA",
    "KBLI",
    "ALAMAT",
    "DESA",
    "KECAMATAN",
    "MODAL",
    "OMZET",
    "TK L",
    "TK P",
    "TAHUN MULAI",
    "BADAN USAHA",
    "NIB",
]


@pytest.fixture
def parse():
    header = find_header([HEADER])
    regions = RegionMatcher("33.16")
    codes = set(Kbli.objects.filter(level="subclass").values_list("code", flat=True))

    def parse(**cells):
        row = dict.fromkeys(HEADER, "")
        row.update({key.replace("_", " "): value for key, value in cells.items()})
        return parse_row(
            sheet="Kec. Jati",
            number=7,
            cells=[row[h] for h in HEADER],
            header=header,
            regions=regions,
            kbli_codes=codes,
        )

    return parse


def test_a_good_row(parse):
    row = parse(
        NAMA_PEMILIK="Hj. Sri  Wahyuni",
        NIK="3316 0152 0585 0001",
        NO_HP="0812-3456-7890",
        NAMA_USAHA="Terasi Bu Sri",
        JENIS_USAHA="pembuatan terasi",
        KBLI=10295,
        ALAMAT="Jl. Mawar 1",
        DESA="Ds. Bangkleyan",
        KECAMATAN="Kec. Jati",
        MODAL="Rp. 2.000.000,-",
        OMZET="1,5 jt",
        TK_L=1.0,
        TK_P="2",
        TAHUN_MULAI=2015.0,
        BADAN_USAHA="UD",
    )
    assert row.errors == {}
    assert not row.skip_reason
    assert row.values == {
        "owner_name": "Hj. Sri Wahyuni",
        "business_name": "Terasi Bu Sri",
        "nik": "3316015205850001",
        "phone": "+6281234567890",
        "sex": "P",
        "birth_date": dt.date(1985, 5, 12),
        "capital": 2_000_000,
        "annual_turnover": 1_500_000,
        "workers_male": 1,
        "workers_female": 2,
        "start_year": 2015,
        "legal_form": "ud",
        "kbli": "10295",
        "address": "Jl. Mawar 1",
        "activity": "pembuatan terasi",
        "village": "33.16.01.2001",
    }
    assert row.identity() == ("nik", "3316015205850001", "terasi bu sri")


def test_only_what_the_registry_cannot_do_without_rejects_the_row(parse):
    row = parse(
        NAMA_PEMILIK="",
        NIK=3316015205850000.0,
        JK="L",
        NO_HP="12345",
        NAMA_USAHA="Batik",
        KBLI="99999",
        DESA="Desa Tidak Ada",
        MODAL="banyak",
        TK_L="-1",
        TAHUN_MULAI="2099",
        BADAN_USAHA="Yayasan",
        NIB="123",
    )
    assert set(row.errors) == {"owner_name", "nik", "village"}
    assert "Ubah format kolom NIK menjadi Teks" in row.errors["nik"]
    assert "Nama pemilik kosong" in row.errors["owner_name"]
    assert "tidak ada di kabupaten ini" in row.errors["village"]
    # Each unusable optional value gets its own warning, naming the value and why.
    assert set(row.warnings) == {"phone", "kbli", "capital", "workers_male", "start_year", "legal_form", "nib"}
    assert "12345" in row.warnings["phone"]
    assert "2099" in row.warnings["start_year"] and "belum terjadi" in row.warnings["start_year"]
    assert "negatif" in row.warnings["workers_male"]
    assert "banyak" in row.warnings["capital"]
    assert all("baris tetap diimpor" in message for message in row.warnings.values())


@pytest.mark.parametrize("cells,reason", [({}, "baris kosong"), ({"NO": "JUMLAH", "TK_L": 40}, "baris jumlah")])
def test_blank_and_totals_rows_are_skipped(parse, cells, reason):
    row = parse(**cells)
    assert row.skip_reason == reason
    assert row.errors == {} and row.values == {}


def test_nib_decides_identity(parse):
    row = parse(NAMA_PEMILIK="Sri", NAMA_USAHA="Kue", DESA="Bangkleyan", NIB="1234567890123")
    assert row.identity() == ("nib", "1234567890123")


def test_values_parsed_once_per_sheet_keep_their_types(parse):
    person = {"NAMA_PEMILIK": "Sri", "NAMA_USAHA": "Kue", "DESA": "Bangkleyan"}
    assert parse(**person, TK_L=1.0).values["workers_male"] == 1
    assert "workers_male" in parse(**person, TK_L=True).warnings  # equal to 1.0, but not a count
    assert parse(**person, TK_L=1.0).values["workers_male"] == 1
    assert parse(**person, MODAL="banyak").warnings["capital"] == parse(**person, MODAL="banyak").warnings["capital"]
