"""Values as people type them in spreadsheets."""

import pytest
from django.core.exceptions import ValidationError

from sentra.imports.values import KnownDistricts, RegionMatcher, nik_from_cell, phone_from_cell, region_key

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "cell,nik",
    [
        ("3316015205850001", "3316015205850001"),
        ("3316 0152 0585 0001", "3316015205850001"),
        ("3316.0152.0585.0001", "3316015205850001"),
        (3316015205850001, "3316015205850001"),  # a number whose last digit survived (not typed in Excel)
        ("", None),
        (None, None),
    ],
)
def test_nik_cells(cell, nik):
    assert nik_from_cell(cell) == nik


@pytest.mark.parametrize("cell", [3316015205850000.0, 3316015205850010, "3.31601520585E+15", "3,31601520585e15"])
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


def test_known_districts_ask_the_database_once_per_prefix(django_assert_num_queries):
    known = KnownDistricts()
    with django_assert_num_queries(2):
        assert known.has("3316015205850001")
        assert known.has("3316015205850002")
        assert not known.has("9999015205850001")
        assert not known.has("9999015205850002")


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
