"""NIK, NIB, phone numbers and money as officers type them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sentra.core.validators import nik_birth_date, normalize_phone, parse_rupiah, validate_nib, validate_nik

# Blora's district 33.16.01, a man born 12 May 1985, serial 0003.
VALID_NIK = "3316011205850003"


def error_of(func, *args, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        func(*args, **kwargs)
    return caught.value


# --- NIK ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (VALID_NIK, VALID_NIK),
        ("3316 0112 0585 0003", VALID_NIK),
        ("3316.0112.0585.0003", VALID_NIK),
        ("  331601.120585.0003 ", VALID_NIK),
        ("3316015205850003", "3316015205850003"),  # a woman (day 12 + 40)
        ("3316017101900001", "3316017101900001"),  # day 71: a woman born on the 31st
        ("3316016902000001", "3316016902000001"),  # a woman born 29 Feb 2000
        ("1809012905850001", "1809012905850001"),  # Pesawaran's district 18.09.01
    ],
)
def test_validate_nik_accepts(typed, expected):
    assert validate_nik(typed) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "code", "message_part"),
    [
        ("331601120585000", "nik_length", "16 angka"),
        ("33160112058500031", "nik_length", "16 angka"),
        ("3316O11205850003", "nik_length", "16 angka"),  # letter O, not zero
        ("", "nik_length", "16 angka"),
        ("9999011205850003", "nik_district", "kode kecamatan"),  # no province 99
        ("3316991205850003", "nik_district", "kode kecamatan"),  # Blora has no district 99
        ("3316013102850003", "nik_birth_date", "Tanggal lahir"),  # 31 Feb
        ("3316017102850003", "nik_birth_date", "Tanggal lahir"),  # a woman born 31 Feb
        ("3316017201900001", "nik_birth_date", "Tanggal lahir"),  # day 72 = 32nd
        ("3316014001900001", "nik_birth_date", "Tanggal lahir"),  # day 40 is neither sex
        ("3316010001900001", "nik_birth_date", "Tanggal lahir"),  # day 00
        ("3316011213850001", "nik_birth_date", "Tanggal lahir"),  # month 13
        ("3316011200850001", "nik_birth_date", "Tanggal lahir"),  # month 00
        ("3316012902010001", "nik_birth_date", "Tanggal lahir"),  # 29 Feb 2001
        ("3316011205850000", "nik_serial", "0000"),
    ],
)
def test_validate_nik_rejects_with_its_own_code_and_message(typed, code, message_part):
    error = error_of(validate_nik, typed)
    assert error.code == code
    assert message_part in error.messages[0]


@pytest.mark.django_db
def test_validate_nik_messages_differ_per_failure():
    bad = ["33160112058500", "9999011205850003", "3316013102850003", "3316011205850000"]
    messages = {error_of(validate_nik, nik).messages[0] for nik in bad}
    assert len(messages) == len(bad)


@pytest.mark.django_db
def test_validate_nik_can_skip_the_district_lookup():
    assert validate_nik("9999011205850003", check_district=False) == "9999011205850003"


@pytest.mark.parametrize(
    ("nik", "born", "sex"),
    [
        ("3316011205850003", dt.date(1985, 5, 12), "L"),
        ("3316015205850003", dt.date(1985, 5, 12), "P"),
        ("3316017101900001", dt.date(1990, 1, 31), "P"),
        ("3316014101990001", dt.date(1999, 1, 1), "P"),
        ("3316010107050001", dt.date(2005, 7, 1), "L"),
        ("3316016902000001", dt.date(2000, 2, 29), "P"),
    ],
)
def test_nik_birth_date(nik, born, sex):
    assert nik_birth_date(nik) == (born, sex)


def test_nik_birth_date_two_digit_year_of_next_year_is_last_century():
    next_year = (dt.date.today().year + 1) % 100
    born, _sex = nik_birth_date(f"3316010101{next_year:02d}0001")
    assert born == dt.date(1900 + next_year, 1, 1)


def test_nik_birth_date_is_never_in_the_future():
    """Docstring: the century is the one that does not put the birth in the future."""
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    nik = f"331601{tomorrow:%d%m%y}0001"
    born, _sex = nik_birth_date(nik)
    assert born <= dt.date.today()
    assert born.year % 100 == tomorrow.year % 100


@pytest.mark.parametrize("nik", ["3316013102850003", "3316011300850003", "3316017201900001"])
def test_nik_birth_date_raises_value_error_for_impossible_dates(nik):
    with pytest.raises(ValueError):
        nik_birth_date(nik)


# --- NIB ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1234567890123", "1234567890123"),
        ("1234 5678 9012 3", "1234567890123"),
        ("1234.5678.9012.3", "1234567890123"),
        ("1234-5678-9012-3", "1234567890123"),
    ],
)
def test_validate_nib_accepts(typed, expected):
    assert validate_nib(typed) == expected


@pytest.mark.parametrize("typed", ["123456789012", "12345678901234", "12345678901a3", "", None])
def test_validate_nib_rejects(typed):
    assert error_of(validate_nib, typed).code == "nib_length"


# --- phones ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("081234567890", "+6281234567890"),
        ("0812.3456.7890", "+6281234567890"),
        ("0812345678", "+62812345678"),  # shortest mobile: 9 digits after the 0
        ("0812345678901", "+62812345678901"),  # longest mobile: 12 digits after the 0
        ("(0296) 531234", "+62296531234"),  # Blora landline
        ("(021) 5701234", "+62215701234"),  # Jakarta landline
        ("+62 721 481234", "+62721481234"),  # Bandar Lampung landline
    ],
)
def test_normalize_phone_accepts(typed, e164):
    assert normalize_phone(typed) == e164


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "phone_empty"),
        ("   ", "phone_empty"),
        ("+1 202 555 0100", "phone_foreign"),
        ("+44 20 7946 0958", "phone_foreign"),
        ("0812345", "phone_mobile"),  # too short
        ("081234567", "phone_mobile"),  # 8 digits after the 0
        ("08123456789012", "phone_mobile"),  # too long
        ("0802345678", "phone_mobile"),  # no mobile prefix 80x
        ("(0296) 531", "phone_landline"),  # too short
        ("(0296) 531234567890", "phone_landline"),  # too long
        ("0812-ABCD-7890", "phone_chars"),
        ("nomor 081234567890", "phone_chars"),
        ("0112345678", "phone_invalid"),  # 1 after the trunk prefix
        ("00812345678", "phone_invalid"),  # 0 after the trunk prefix
        ("+62 0812 3456 7890", "phone_invalid"),  # trunk 0 kept after +62
        ("+62 112 3456 789", "phone_invalid"),
    ],
)
def test_normalize_phone_rejects(typed, code):
    assert error_of(normalize_phone, typed).code == code


# --- money -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "rupiah"),
    [
        ("1.500.000", 1_500_000),
        ("Rp 1.500.000", 1_500_000),
        ("Rp1.500.000", 1_500_000),
        ("rp 1.500.000", 1_500_000),
        ("Rp. 2.000.000,-", 2_000_000),
        ("Rp 2.000.000,00", 2_000_000),
        ("1,5 jt", 1_500_000),
        ("1,5jt", 1_500_000),
        ("2 juta", 2_000_000),
        ("1500000", 1_500_000),
        ("750 rb", 750_000),
        ("750 ribu", 750_000),
        ("1,5 M", 1_500_000_000),
        ("2 miliar", 2_000_000_000),
        ("0", 0),
        (1_500_000, 1_500_000),
        (Decimal("2500000"), 2_500_000),
    ],
)
def test_parse_rupiah_accepts(typed, rupiah):
    assert parse_rupiah(typed) == rupiah


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        (-1, "money_negative"),
        (Decimal("-1500000"), "money_negative"),
        ("", "money_empty"),
        (None, "money_empty"),
        ("Rp", "money_empty"),
        ("abc", "money_invalid"),
        ("1.2.3", "money_invalid"),
        ("satu juta", "money_invalid"),
        (True, "money_invalid"),
        ("12 kambing", "money_unit"),
    ],
)
def test_parse_rupiah_rejects_with_code(typed, code):
    assert error_of(parse_rupiah, typed).code == code


@pytest.mark.parametrize("typed", ["-1.500.000", "Rp -2.000.000", "-5 jt", "- 750 rb"])
def test_parse_rupiah_rejects_negative_text(typed):
    error_of(parse_rupiah, typed)


@pytest.mark.parametrize("typed", [float("nan"), float("inf"), Decimal("NaN"), Decimal("Infinity")], ids=str)
def test_parse_rupiah_rejects_non_finite_numbers_with_validation_error(typed):
    """Module contract: every failure is a ValidationError, never a crash."""
    error_of(parse_rupiah, typed)
