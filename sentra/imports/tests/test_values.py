"""Values as people type them in spreadsheets."""

import pytest
from django.core.exceptions import ValidationError

from sentra.imports.values import (
    KnownDistricts,
    RegionMatcher,
    is_placeholder,
    nik_from_cell,
    phone_from_cell,
    phones_from_cell,
    proper_case,
    says_in_progress,
)
from sentra.regions.names import region_key

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "cell,nik",
    [
        ("3316015205850001", "3316015205850001"),
        ("3316 0152 0585 0001", "3316015205850001"),
        ("3316.0152.0585.0001", "3316015205850001"),
        (3316015205850001, "3316015205850001"),  # a number whose last digit survived (not typed in Excel)
        ("'3316015205850001", "3316015205850001"),  # typed with Excel's text mark
        ('="3316015205850001"', "3316015205850001"),  # exported as a formula that keeps the text
        ("=3316015205850001", "3316015205850001"),
        ("’3316 0152 0585 0001", "3316015205850001"),
        ("1809015205850001", "1809015205850001"),  # registered in another region (Pesawaran): people move
        ("", None),
        (None, None),
        ("-", None),
        ("belum ada", None),
        ("0", None),
    ],
)
def test_nik_cells(cell, nik):
    assert nik_from_cell(cell) == nik


@pytest.mark.parametrize(
    "cell", [3316015205850000.0, 3316015205850010, "3.31601520585E+15", "3,31601520585e15", "1,80904E+15"]
)
def test_nik_damaged_by_excel_is_rejected_with_the_fix(cell):
    with pytest.raises(ValidationError) as error:
        nik_from_cell(cell)
    assert error.value.code == "nik_as_number"
    assert "Ubah format kolom NIK menjadi Teks" in error.value.messages[0]


def test_invalid_nik_keeps_its_own_reason():
    with pytest.raises(ValidationError) as error:
        nik_from_cell("3316013202850001")
    assert error.value.code == "nik_birth_date"


@pytest.mark.parametrize(
    "cell,phone",
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        (81234567890.0, "+6281234567890"),
        ("", ""),
        (None, ""),
    ],
)
def test_phone_cells(cell, phone):
    assert phone_from_cell(cell) == phone


@pytest.mark.parametrize(
    "cell,kept,others",
    [
        ("HP. 0812-3456-7890", "+6281234567890", []),
        ("0812 3456 7890 (WA)", "+6281234567890", []),
        ("Telp: (0296) 531234", "+62296531234", []),  # a landline with its area code
        ("No. HP/WA : 081234567890", "+6281234567890", []),
        ("(0296) 531234 / 0813-2222-3333", "+6281322223333", ["+62296531234"]),  # the mobile is kept
        ("0812-3456-7890, 0857 1111 2222", "+6281234567890", ["+6285711112222"]),
        ("081234567890 atau 12345", "+6281234567890", []),  # the other is not a number at all
        ("-", "", []),
        ("tidak ada", "", []),
        (0, "", []),
    ],
)
def test_phones_as_offices_type_them(cell, kept, others):
    assert phones_from_cell(cell) == (kept, others)


@pytest.mark.parametrize("cell", ["12345", "0812", "belum punya hp 08"])
def test_a_cell_without_a_usable_phone_says_why(cell):
    with pytest.raises(ValidationError):
        phones_from_cell(cell)


@pytest.mark.parametrize(
    "cell", ["-", "--", "0", "000", ".", "?", "Belum Ada", "TIDAK ADA", "tdk ada", "N/A", "kosong", "PROSES", 0, None]
)
def test_placeholders(cell):
    assert is_placeholder(cell)


@pytest.mark.parametrize("cell", ["Sri", "10295", "Jl. Mawar 1", 3.5, "Ada-Ada Saja"])
def test_values_that_are_not_placeholders(cell):
    assert not is_placeholder(cell)


def test_in_progress_is_told_apart():
    assert says_in_progress("Dalam Proses") and says_in_progress("proses")
    assert not says_in_progress("-") and not says_in_progress("1234567890123")


@pytest.mark.parametrize(
    "typed,stored",
    [
        ("HJ. SITI AMINAH", "Hj. Siti Aminah"),
        ("H. AHMAD FAUZI, S.PD.", "H. Ahmad Fauzi, S.Pd."),
        ("DRS. SUTRISNO, M.SI", "Drs. Sutrisno, M.Si"),
        ("DR. IR. BAMBANG, S.E., M.M.", "Dr. Ir. Bambang, S.E., M.M."),
        ("SITI NURHALIZA, SE", "Siti Nurhaliza, SE"),
        ("AHMAD BIN SALIM", "Ahmad bin Salim"),
        ("NUR'AINI BINTI ABDULLAH", "Nur'aini binti Abdullah"),
        ("CV. MAJU JAYA", "CV. Maju Jaya"),
        ("UD SUMBER REJEKI", "UD Sumber Rejeki"),
        ("KUD SIDO MAKMUR", "KUD Sido Makmur"),
        ("KWT MELATI RT 02/RW 05", "KWT Melati RT 02/RW 05"),
        ("KERIPIK TEMPE SRI-REJEKI", "Keripik Tempe Sri-Rejeki"),
        ("BUMDES MAJU", "BUMDes Maju"),
        ("TOKO BERKAH II", "Toko Berkah II"),
        ("Terasi Bu Sri", "Terasi Bu Sri"),  # typed with small letters: kept as typed
        ("SRI wahyuni", "SRI wahyuni"),
        ("88 CELL", "88 Cell"),
    ],
)
def test_names_typed_in_capitals_get_proper_case(typed, stored):
    assert proper_case(typed) == stored


@pytest.mark.parametrize(
    "name,key",
    [
        ("Ds. Bangkleyan", "bangkleyan"),
        ("DESA  BANGKLEYAN", "bangkleyan"),
        ("Kel. Desa Gempol", "gempol"),
        ("Kec. Jati", "jati"),
        ("Kampung Baru", "baru"),
        ("kp.Baru", "baru"),
        ("Desaku", "desaku"),
    ],
)
def test_region_key_strips_prefixes(name, key):
    assert region_key(name) == key


def test_villages_and_districts_match_inside_the_regency():
    blora = RegionMatcher("33.16")
    assert blora.district("Kec. Jati").code == "33.16.01"
    assert blora.district("KECAMATAN RANDUBLATUNG").code == "33.16.02"
    assert blora.village("Ds. Bangkleyan").code == "33.16.01.2001"
    assert blora.village("bangkleyan", blora.district("Jati")).code == "33.16.01.2001"
    assert blora.village("Desa Bangkleyann").code == "33.16.01.2001"  # one letter off, one candidate


def test_unknown_and_ambiguous_names_are_rejected_with_candidates():
    blora = RegionMatcher("33.16")
    with pytest.raises(ValidationError) as unknown:
        blora.village("Desa Tidak Ada Sama Sekali")
    assert unknown.value.code == "region_unknown"
    duplicated = [key for key, villages in blora.villages.items() if len(villages) > 1]
    assert duplicated, "Blora has village names used in more than one district"
    with pytest.raises(ValidationError) as ambiguous:
        blora.village(duplicated[0])
    assert ambiguous.value.code == "region_ambiguous"
    assert "isi juga kecamatannya" in ambiguous.value.messages[0]
    villages = blora.villages[duplicated[0]]
    assert blora.village(duplicated[0], villages[0].district) == villages[0]


def test_a_typo_close_to_two_villages_is_not_guessed():
    with pytest.raises(ValidationError) as error:
        RegionMatcher("33.16").village("Desa Bangkleyn")  # close to Bangkleyan (Jati) and Bangkle (Blora)
    assert error.value.code == "region_ambiguous"
    assert "33.16.01.2001" in error.value.messages[0] and "33.16.09.1008" in error.value.messages[0]


def _answer(parse, cell):
    try:
        return parse(cell)
    except ValidationError as error:
        return error.code, error.messages


@pytest.mark.parametrize(
    "cell",
    [
        "3316015205850001",
        "3316 0152 0585 0001",
        3316015205850001,
        "9999015205850001",  # no such district
        "3316013202850001",  # no such birth date
        "3316015205850000",  # serial 0000
        "331601520585",
        "3316015205850001x",
        3316015205850000.0,
        "",
    ],
)
def test_nik_with_known_districts_answers_as_without(cell):
    known = KnownDistricts()
    assert _answer(lambda c: nik_from_cell(c, known_districts=known), cell) == _answer(nik_from_cell, cell)


def test_known_districts_are_read_once_and_then_need_no_database(django_assert_num_queries):
    with django_assert_num_queries(1):
        known = KnownDistricts()
    with django_assert_num_queries(0):  # as in the child process that parses a big file
        assert known.has("3316015205850001")
        assert known.has("3316015205850002")
        assert not known.has("9999015205850001")


def test_region_answers_are_remembered_reasons_too(django_assert_num_queries):
    blora = RegionMatcher("33.16")
    with django_assert_num_queries(0):
        assert blora.village("Ds. Bangkleyan") is blora.village("Ds. Bangkleyan")
    jati = blora.district("Jati")
    assert blora.village("Bangkleyan", jati).code == "33.16.01.2001"
    for _ in range(2):
        with pytest.raises(ValidationError) as error:
            blora.village("Bangkleyan", blora.district("Blora"))  # in Jati, not Blora
        assert error.value.code == "region_unknown"
    assert len(blora.answers) == 5


def test_abbreviated_and_misspelt_districts_are_found():
    pesawaran = RegionMatcher("18.09")
    assert pesawaran.district("Gd. Tataan").code == "18.09.01"
    assert pesawaran.district("Kec. GD TATAAN").code == "18.09.01"
    assert pesawaran.district("Tegineng").code == "18.09.03"  # a letter pair missing


def test_the_village_is_found_inside_an_address():
    blora = RegionMatcher("33.16")
    jati = blora.district("Jati")
    address = "Dusun Krajan RT 003/RW 001 Desa Bangkleyan Kec. Jati Kab. Blora"
    assert blora.village_in_text(address, jati).code == "33.16.01.2001"
    assert blora.village_in_text("Jl. Raya Cepu-Randublatung, Ds. Gempol", jati).code == "33.16.01.2002"
    # "Jati" after Kec. is the district, not the village of that name.
    assert blora.village_in_text("RT 02 RW 01 Kel. Pelem, Kec. Jati", jati).code == "33.16.01.2004"
    with pytest.raises(ValidationError) as none:
        blora.village_in_text("Jl. Mawar No. 3 RT 002", jati)
    assert none.value.code == "region_unknown"
    with pytest.raises(ValidationError) as two:
        blora.village_in_text("Desa Bangkleyan / Desa Gempol", jati)
    assert two.value.code == "region_ambiguous"
