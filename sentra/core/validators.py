"""Parsers and validators for Indonesian identifiers, phones and money.

Each `parse_*`/`normalize_*` function returns the canonical value or raises
`django.core.exceptions.ValidationError` with a message an officer can act on.
"""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NON_DIGITS = re.compile(r"\D")


def _digits_of(value: str) -> str:
    """Drop the spaces, dots and dashes people type inside identifiers."""
    return re.sub(r"[\s.\-/]", "", str(value or ""))


def nik_birth_date(nik: str) -> tuple[dt.date, str]:
    """The birth date and sex (`L`/`P`) a NIK encodes in digits 7–12.

    Women's day of birth has 40 added. The two-digit year is placed in the
    century that does not put the birth in the future.
    """
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = "L"
    if day > 40:
        day -= 40
        sex = "P"
    born = dt.date(2000 + year, month, day)
    if born > dt.date.today():
        born = dt.date(1900 + year, month, day)
    return born, sex


def validate_nik(value: str, *, check_district: bool = True) -> str:
    """Return the 16-digit NIK or raise with what is wrong with it."""
    nik = _digits_of(value)
    if not nik.isdigit() or len(nik) != 16:
        raise ValidationError(
            _("NIK harus 16 angka (tertulis %(count)s karakter).") % {"count": len(nik)}, code="nik_length"
        )
    if check_district:
        from sentra.regions.models import District

        district_code = f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"
        if not District.objects.filter(code=district_code).exists():
            raise ValidationError(
                _("6 angka pertama NIK (%(code)s) bukan kode kecamatan yang terdaftar di Kemendagri.")
                % {"code": nik[:6]},
                code="nik_district",
            )
    try:
        nik_birth_date(nik)
    except ValueError:
        raise ValidationError(
            _("Tanggal lahir di NIK (angka ke-7 sampai ke-12: %(part)s) bukan tanggal yang sah.") % {"part": nik[6:12]},
            code="nik_birth_date",
        ) from None
    if nik[12:] == "0000":
        raise ValidationError(_("4 angka terakhir NIK (nomor urut) tidak boleh 0000."), code="nik_serial")
    return nik


def validate_nib(value: str) -> str:
    """Return the 13-digit NIB (Nomor Induk Berusaha) or raise."""
    nib = _digits_of(value)
    if not nib.isdigit() or len(nib) != 13:
        raise ValidationError(
            _("NIB harus 13 angka (tertulis %(count)s karakter).") % {"count": len(nib)}, code="nib_length"
        )
    return nib


def normalize_phone(value: str) -> str:
    """Return an Indonesian phone number in E.164 (`+6281234567890`) or raise.

    Accepts `0812-3456-7890`, `+62 812 3456 7890`, `6281234567890`,
    `(0296) 531234`. Mobiles start with 8 after the country code, landlines
    with an area code starting 2–7 or 9.
    """
    raw = str(value or "").strip()
    if not raw:
        raise ValidationError(_("Nomor telepon kosong."), code="phone_empty")
    if re.search(r"[^\d\s+().\-/]", raw):
        raise ValidationError(
            _("Nomor telepon hanya boleh berisi angka, spasi, +, -, dan tanda kurung."), code="phone_chars"
        )
    digits = NON_DIGITS.sub("", raw)
    if raw.startswith("+") and not digits.startswith("62"):
        raise ValidationError(_("Hanya nomor Indonesia (+62) yang diterima."), code="phone_foreign")
    if digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        national = digits
    if national.startswith("8"):
        if not 9 <= len(national) <= 12 or national[1] == "0":
            raise ValidationError(
                _("Nomor HP tidak lengkap atau terlalu panjang: %(value)s.") % {"value": raw}, code="phone_mobile"
            )
    elif national[:1] in {"2", "3", "4", "5", "6", "7", "9"}:
        if not 7 <= len(national) <= 11:
            raise ValidationError(
                _("Nomor telepon rumah/kantor tidak lengkap atau terlalu panjang: %(value)s.") % {"value": raw},
                code="phone_landline",
            )
    else:
        raise ValidationError(
            _("%(value)s bukan nomor HP atau telepon rumah/kantor Indonesia.") % {"value": raw}, code="phone_invalid"
        )
    return f"+62{national}"


_MULTIPLIERS = {
    "rb": 10**3,
    "ribu": 10**3,
    "k": 10**3,
    "jt": 10**6,
    "juta": 10**6,
    "m": 10**9,
    "miliar": 10**9,
    "milyar": 10**9,
    "em": 10**9,
    "t": 10**12,
    "triliun": 10**12,
}
_WITH_UNIT = re.compile(r"^(?P<number>\d+(?:[.,]\d+)?)\s*(?P<unit>[a-z]+)\.?$")
_ID_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_EN_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")


# Words around an amount that say it is an estimate: `± 2 juta`, `kurang lebih 5 jt`, `sekitar Rp 1 M`.
_HEDGES = re.compile(
    r"^(?:±|\+/?-|~|≈|>|<|=|kurang\s+lebih|kurleb|kira[\s-]*kira|kira2|sekitar|rata[\s-]*rata|rata2|"
    r"lebih\s+dari|kurang\s+dari|maks(?:imal)?|min(?:imal)?|kl\.?|idr|rp\.?)\s*"
)
_PER_MONTH = re.compile(r"\s*(?:/\s*|per\s*|tiap\s+|se)(?:bln|bulan|bl)\.?$")
_PER_YEAR = re.compile(r"\s*(?:/\s*|per\s*|tiap\s+|se)(?:thn|tahun|th)\.?$")


def rupiah_period(value: object) -> tuple[str, str]:
    """(the amount's text, "month" or "year" or "") from `Rp 5 jt/bln`, `60 juta per tahun`, `2 juta`."""
    text = str(value or "").strip().lower()
    for pattern, period in ((_PER_MONTH, "month"), (_PER_YEAR, "year")):
        stripped = pattern.sub("", text)
        if stripped != text:
            return stripped, period
    return text, ""


def parse_rupiah(value: object) -> int:
    """Whole Rupiah from what people type: `1.500.000`, `Rp 1.500.000`,
    `Rp. 2.000.000,-`, `1,5 jt`, `2 juta`, `1500000`, `± 2 juta`, `1.250.000,00`."""
    if isinstance(value, bool):
        raise ValidationError(_("Nilai uang tidak dikenali."), code="money_invalid")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, (float, Decimal)):
        amount = Decimal(str(value))
    else:
        text = str(value or "").strip().lower()
        previous = None
        while previous != text:  # `± Rp 2 juta`
            previous, text = text, _HEDGES.sub("", text, count=1)
        text = re.sub(r",-+$|,00$|\.-+$|-+$", "", text).strip().replace(" ", "")
        if not text:
            raise ValidationError(_("Nilai uang kosong."), code="money_empty")
        if text.startswith("-"):
            raise ValidationError(_("Nilai uang tidak boleh negatif."), code="money_negative")
        match = _WITH_UNIT.match(text)
        try:
            if match:
                unit = match["unit"]
                if unit not in _MULTIPLIERS:
                    raise ValidationError(
                        _("Satuan uang %(unit)s tidak dikenali (pakai rb, jt, atau M).") % {"unit": unit},
                        code="money_unit",
                    )
                amount = Decimal(match["number"].replace(",", ".")) * _MULTIPLIERS[unit]
            elif _ID_THOUSANDS.match(text):
                amount = Decimal(text.replace(".", "").replace(",", "."))
            elif _EN_THOUSANDS.match(text):
                amount = Decimal(text.replace(",", ""))
            elif re.fullmatch(r"\d+(?:,\d{1,2})?", text):
                amount = Decimal(text.replace(",", "."))
            elif re.fullmatch(r"\d+\.\d{1,2}", text):
                amount = Decimal(text)
            else:
                raise ValidationError(
                    _("%(value)s bukan nilai uang yang dikenali (contoh: Rp 1.500.000).") % {"value": value},
                    code="money_invalid",
                )
        except InvalidOperation:
            raise ValidationError(_("Nilai uang tidak dikenali."), code="money_invalid") from None
    if not amount.is_finite():
        raise ValidationError(_("Nilai uang tidak dikenali."), code="money_invalid")
    if amount < 0:
        raise ValidationError(_("Nilai uang tidak boleh negatif."), code="money_negative")
    return int(amount.to_integral_value())
