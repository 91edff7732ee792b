"""One row of an office's sheet → registry values, or a reason per field."""

import datetime as dt

import pytest

from sentra.imports.headers import find_header
from sentra.imports.planning import row_keys
from sentra.imports.rows import ParsedRow, parse_row
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


def parse_cells(labels: list[str], cells: list[object], **mapping: int) -> ParsedRow:
    """One row under a header of `labels`; `mapping` gives fields whose headers the header side maps."""
    header = find_header([labels])
    header.mapping.update({column: name for name, column in mapping.items()})
    return parse_row(
        sheet="Data", number=2, cells=cells, header=header, regions=RegionMatcher("33.16"), kbli_codes=set()
    )


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
    # The business named by its owner's NIK and its name as the linkage engine compares names.
    assert row_keys(row) == [("nik", "3316015205850001", "terasi sri")]


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


def test_the_nib_names_the_business_first(parse):
    row = parse(NAMA_PEMILIK="Sri", NAMA_USAHA="Kue", DESA="Bangkleyan", NIB="1234567890123")
    assert row_keys(row) == [("nib", "1234567890123")]


def test_values_parsed_once_per_sheet_keep_their_types(parse):
    person = {"NAMA_PEMILIK": "Sri", "NAMA_USAHA": "Kue", "DESA": "Bangkleyan"}
    assert parse(**person, TK_L=1.0).values["workers_male"] == 1
    assert "workers_male" in parse(**person, TK_L=True).warnings  # equal to 1.0, but not a count
    assert parse(**person, TK_L=1.0).values["workers_male"] == 1
    assert parse(**person, MODAL="banyak").warnings["capital"] == parse(**person, MODAL="banyak").warnings["capital"]


SRI = {"NAMA_PEMILIK": "Sri Wahyuni", "NAMA_USAHA": "Terasi Bu Sri", "DESA": "Bangkleyan", "KECAMATAN": "Jati"}


@pytest.mark.parametrize(
    "placeholder", ["-", "--", "0", ".", "?", "belum ada", "Tidak Ada", "tdk ada", "N/A", "kosong"]
)
def test_placeholders_in_optional_columns_mean_blank(parse, placeholder):
    optional = ["NIK", "JK", "NO_HP", "JENIS_USAHA", "KBLI", "ALAMAT", "MODAL", "OMZET", "TAHUN_MULAI", "BADAN_USAHA"]
    row = parse(**SRI, **dict.fromkeys(optional, placeholder), NIB=placeholder)
    assert row.errors == {} and row.warnings == {}
    assert row.values == {
        "owner_name": "Sri Wahyuni",
        "business_name": "Terasi Bu Sri",
        "village": "33.16.01.2001",
    }


@pytest.mark.parametrize("placeholder", ["-", "belum ada", "?"])
def test_a_placeholder_is_not_a_name(parse, placeholder):
    row = parse(**{**SRI, "NAMA_USAHA": placeholder})
    assert row.errors == {"business_name": "Nama usaha kosong."}


@pytest.mark.parametrize("typed", ["Proses", "dalam proses", "SEDANG DIURUS"])
def test_a_nib_being_applied_for_is_noted(parse, typed):
    row = parse(**SRI, NIB=typed)
    assert row.errors == {} and "nib" not in row.values
    assert "NIB sedang diurus" in row.warnings["nib"]


def test_zero_workers_is_a_count_not_a_placeholder(parse):
    row = parse(**SRI, TK_L=0, TK_P="2 orang")
    assert (row.values["workers_male"], row.values["workers_female"]) == (0, 2)


@pytest.mark.parametrize(
    "typed,amount",
    [
        ("5 jt", 5_000_000),
        ("Rp 750rb", 750_000),
        ("1,5 M", 1_500_000_000),
        ("1.250.000,00", 1_250_000),
        ("± 2 juta", 2_000_000),
        ("kurang lebih Rp 3.000.000,-", 3_000_000),
        ("Rp 5 jt/bln", 60_000_000),  # per month, in the yearly column
        (120000000.0, 120_000_000),
    ],
)
def test_money_as_offices_type_it(parse, typed, amount):
    row = parse(**SRI, OMZET=typed)
    assert row.warnings == {} and row.values["annual_turnover"] == amount


def test_a_negative_amount_is_left_blank_with_a_warning(parse):
    row = parse(**SRI, MODAL="-2.000.000")
    assert "capital" not in row.values and "negatif" in row.warnings["capital"]


def test_turnover_per_month_is_stored_per_year(db):
    # The header side maps "(Rp)" away; here the column is given.
    labels = ["NAMA PEMILIK", "NAMA USAHA", "DESA", "OMZET PER BULAN (Rp)"]
    row = parse_cells(labels, ["Sri", "Terasi", "Bangkleyan", "2,5 jt"], monthly_turnover=3)
    assert row.values["annual_turnover"] == 30_000_000
    assert "monthly_turnover" not in row.values


@pytest.mark.parametrize(
    "typed,born",
    [
        ("12/08/1980", dt.date(1980, 8, 12)),
        ("2/8/1980", dt.date(1980, 8, 2)),
        ("12-08-80", dt.date(1980, 8, 12)),
        ("05-03-15", dt.date(2015, 3, 5)),  # a two-digit year not in the future stays in this century
        ("12 Agustus 1980", dt.date(1980, 8, 12)),
        ("12 AGT 1980", dt.date(1980, 8, 12)),
        ("1 Pebruari 1975", dt.date(1975, 2, 1)),
        ("Blora, 12-08-1980", dt.date(1980, 8, 12)),
        ("1980-08-12 00:00:00", dt.date(1980, 8, 12)),
        (29445.0, dt.date(1980, 8, 12)),  # a real Excel date read as its serial number
        (dt.datetime(1980, 8, 12), dt.date(1980, 8, 12)),
    ],
)
def test_dates_as_offices_type_them(typed, born):
    row = parse_cells(["NAMA PEMILIK", "NAMA USAHA", "DESA", "TGL LAHIR"], ["Sri", "Terasi", "Bangkleyan", typed])
    assert row.warnings == {} and row.values["birth_date"] == born


@pytest.mark.parametrize("typed", ["31/02/1980", "12/08/2090", "lupa"])
def test_an_unusable_birth_date_is_a_warning(typed):
    row = parse_cells(["NAMA PEMILIK", "NAMA USAHA", "DESA", "TGL LAHIR"], ["Sri", "Terasi", "Bangkleyan", typed])
    assert row.errors == {} and "birth_date" not in row.values
    assert "baris tetap diimpor" in row.warnings["birth_date"]


def test_two_phones_in_a_cell_keep_the_mobile_and_note_the_other(parse):
    row = parse(**SRI, NO_HP="Telp. (0296) 531234 / HP 0812-3456-7890")
    assert row.values["phone"] == "+6281234567890"
    assert "+62296531234" in row.warnings["phone"]


def test_names_typed_in_capitals_keep_what_was_typed(parse):
    row = parse(**{**SRI, "NAMA_PEMILIK": "HJ. SRI WAHYUNI, S.PD.", "NAMA_USAHA": "UD TERASI BU SRI"})
    assert (row.values["owner_name"], row.values["business_name"]) == ("Hj. Sri Wahyuni, S.Pd.", "UD Terasi Bu Sri")
    assert row.typed == {"owner_name": "HJ. SRI WAHYUNI, S.PD.", "business_name": "UD TERASI BU SRI"}
    assert parse(**SRI).typed == {}


def test_a_district_abbreviated_misspelt_or_blank_is_found_from_the_village(parse):
    assert parse(**{**SRI, "KECAMATAN": ""}).values["village"] == "33.16.01.2001"
    misspelt = parse(**{**SRI, "KECAMATAN": "Jatti"})
    assert misspelt.values["village"] == "33.16.01.2001" and misspelt.warnings == {}
    unknown = parse(**{**SRI, "KECAMATAN": "Kec. Entah"})
    assert unknown.errors == {} and unknown.values["village"] == "33.16.01.2001"
    assert "Kecamatan diambil dari desa/kelurahannya: Jati" in unknown.warnings["district"]
    elsewhere = parse(**{**SRI, "KECAMATAN": "Cepu"})  # Bangkleyan is in Jati, not Cepu
    assert elsewhere.values["village"] == "33.16.01.2001"
    assert "bukan Kec. Cepu" in elsewhere.warnings["district"]


def test_the_village_is_read_from_the_address_when_its_column_is_blank(parse):
    row = parse(**{**SRI, "DESA": "-"}, ALAMAT="Dusun Krajan RT 003/RW 001 Desa Gempol")
    assert row.errors == {} and row.values["village"] == "33.16.01.2002"
    whole = parse(**{**SRI, "DESA": "Dsn. Krajan RT 3 RW 1 Ds. Kepoh Kec. Jati"})
    assert whole.values["village"] == "33.16.01.2003"


def test_a_legality_column_fills_the_nib_and_licences(db):
    def legality(text):
        return parse_cells(
            ["NAMA PEMILIK", "NAMA USAHA", "DESA", "LEGALITAS USAHA"], ["Sri", "Terasi", "Bangkleyan", text]
        )

    row = legality("NIB 1234567890123, P-IRT No. 2063316010123-25; Halal ID33110000123450623")
    assert row.values["nib"] == "1234567890123"
    assert row.values["licences"] == [("pirt", "2063316010123-25"), ("halal", "ID33110000123450623")]
    assert row.warnings == {}
    bpom = legality("BPOM RI MD 224510001234 dan SPP-IRT 5063316010456-27")
    assert bpom.values["licences"] == [("bpom", "MD 224510001234"), ("pirt", "5063316010456-27")]
    assert "nib" not in bpom.values
    unread = legality("PIRT, Halal (proses)")
    assert "licences" not in unread.values
    assert "PIRT" in unread.warnings["legality"] and "Halal (proses)" in unread.warnings["legality"]
    assert legality("-").values.get("licences") is None and legality("-").warnings == {}


@pytest.mark.parametrize(
    "cells",
    [
        {"NO": "Cepu, 20 November 2026"},
        {"NAMA_USAHA": "Petugas Pendataan"},
        {"NAMA_USAHA": "( …………………… )"},
        {"NO": "Mengetahui,", "NAMA_USAHA": "Kepala Dinas Koperasi dan UKM"},
        {"NAMA_USAHA": "NIP. 19700101 199003 1 001"},
        {"NO": "Keterangan:"},
        {"NO": "*) omzet belum termasuk bulan Desember"},
    ],
)
def test_notes_and_signatures_under_the_table_are_skipped(parse, cells):
    row = parse(**cells)
    assert row.skip_reason == "catatan atau tanda tangan di bawah tabel"
    assert row.errors == {}


def test_the_signature_block_is_skipped_to_its_end(parse):
    assert parse(NO="Mengetahui,").skip_reason
    # The name under a signature is only a name, but it comes after "Mengetahui,".
    assert parse(NAMA_USAHA="Drs. SUTRISNO, M.Si").skip_reason == "catatan atau tanda tangan di bawah tabel"


def test_a_row_holding_only_its_running_number_is_skipped(parse):
    assert parse(NO=17).skip_reason == "baris hanya berisi nomor urut"
    assert parse(NO="17.").skip_reason == "baris hanya berisi nomor urut"
    numbers = parse(**{name.replace(" ", "_"): str(i) for i, name in enumerate(HEADER[:8], start=1)})
    assert numbers.skip_reason == "baris nomor kolom di bawah judul"
