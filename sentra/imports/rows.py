"""One spreadsheet row → the registry values it holds, or a reason per field it cannot.

`parse_row` neither reads nor writes the registry (beyond the lookups it is
given), so the import service can run it over a whole file before deciding
anything, and the preview can show exactly what would happen.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sentra.core.validators import nik_birth_date, parse_rupiah, validate_nib
from sentra.imports.headers import Header, is_blank_row, is_totals_row, normalize_label
from sentra.imports.values import RegionMatcher, nik_from_cell, phone_from_cell
from sentra.registry import limits
from sentra.registry.models import LegalForm, Sex

SEX_WORDS = {
    "l": Sex.MALE,
    "lk": Sex.MALE,
    "laki laki": Sex.MALE,
    "laki": Sex.MALE,
    "pria": Sex.MALE,
    "p": Sex.FEMALE,
    "pr": Sex.FEMALE,
    "perempuan": Sex.FEMALE,
    "wanita": Sex.FEMALE,
}
# The first three letters of Indonesian and English month names.
MONTH_WORDS = {
    "jan": 1, "feb": 2, "peb": 2, "mar": 3, "apr": 4, "mei": 5, "may": 5, "jun": 6, "jul": 7,
    "agu": 8, "ags": 8, "aug": 8, "sep": 9, "okt": 10, "oct": 10, "nov": 11, "nop": 11, "des": 12, "dec": 12,
}  # fmt: skip
LEGAL_FORM_WORDS = {
    "perorangan": LegalForm.INDIVIDUAL,
    "perseorangan": LegalForm.INDIVIDUAL,
    "ud": LegalForm.UD,
    "usaha dagang": LegalForm.UD,
    "cv": LegalForm.CV,
    "pt": LegalForm.PT,
    "pt perorangan": LegalForm.PT_INDIVIDUAL,
    "koperasi": LegalForm.COOPERATIVE,
    "firma": LegalForm.FIRM,
    "fa": LegalForm.FIRM,
}


@dataclass
class ParsedRow:
    """What one row says, with every problem found in it (field → message)."""

    sheet: str
    number: int  # 1-based, as the spreadsheet shows it
    cells: list[object]
    values: dict[str, object] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    # field → why its value was left blank; the row is still imported (a phone that is not a phone)
    warnings: dict[str, str] = field(default_factory=dict)
    skip_reason: str = ""

    @property
    def rejected(self) -> bool:
        return bool(self.errors)

    def identity(self) -> tuple:
        """What makes two rows the same business: the NIB, else owner NIK and business name.

        Without either, the owner's and business's names in the same village: two
        "Warung Makan" of different owners are different businesses.
        """
        values = self.values
        if values.get("nib"):
            return ("nib", values["nib"])
        if values.get("nik"):
            return ("nik", values["nik"], normalize_label(values.get("business_name")))
        return (
            "name",
            normalize_label(values.get("owner_name")),
            normalize_label(values.get("business_name")),
            values.get("village"),
        )


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value or "").split())


_DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def _date(value: object) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _DAY_FIRST.fullmatch(_text(value))
    if match:
        day, month, year = (int(part) for part in match.groups())
        return dt.date(year, month, day)
    match = _ISO_DATE.fullmatch(_text(value))
    if match:
        year, month, day = (int(part) for part in match.groups())
        return dt.date(year, month, day)
    raise ValueError(value)


def _count(value: object) -> int | None:
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        return None  # blank: unknown, so an update keeps what is registered
    number = float(str(value).replace(",", "."))
    if number < 0 or not number.is_integer() or number > limits.MAX_WORKERS:
        raise ValueError(value)
    return int(number)


def _birth_date(value: object) -> dt.date | None:
    born = _date(value)
    if born is not None:
        for check in limits.past_date(limits.EARLIEST_BIRTH_DATE):
            check(born)
    return born


def _sex(value: object) -> str | None:
    return SEX_WORDS[normalize_label(value)] if _text(value) else None


def _legal_form(value: object) -> str | None:
    return LEGAL_FORM_WORDS[normalize_label(value)] if _text(value) else None


def _money(value: object) -> int | None:
    amount = parse_rupiah(value) if _text(value) else None
    if amount is not None and amount > limits.MAX_AMOUNT:
        raise ValidationError(_("Nilai %(value)s terlalu besar untuk sebuah UMKM.") % {"value": _text(value)})
    return amount


def _start_year(value: object) -> int | None:
    return _year(value) if _text(value) else None


def _month(value: object) -> int | None:
    """A month as 1–12, or its Indonesian or English name (`Maret`, `Agu`)."""
    if not _text(value):
        return None
    text = normalize_label(value)
    numeric = text.isdigit() or isinstance(value, int | float)
    month = int(float(str(value))) if numeric else MONTH_WORDS[text[:3]]
    if not 1 <= month <= 12:
        raise ValueError(value)
    return month


def _coordinate(low: int, high: int) -> Callable[[object], Decimal | None]:
    """A decimal degree inside Indonesia's span, typed with a dot or a comma."""

    def parse(value: object) -> Decimal | None:
        if not _text(value):
            return None
        number = Decimal(_text(value).replace(",", ".")).quantize(Decimal("0.000001"))
        if not low <= number <= high:
            raise ValueError(value)
        return number

    return parse


def _nib(value: object) -> str | None:
    return validate_nib(_text(value)) if _text(value) else None


def _outcome(parse: Callable[[object], object], value: object) -> tuple[bool, object]:
    """(True, the parsed value) or (False, the reason it cannot be parsed)."""
    try:
        return True, parse(value)
    except ValidationError as error:
        return False, " ".join(error.messages)
    except (ValueError, TypeError, KeyError, InvalidOperation):
        return False, _("Nilai %(value)s tidak dikenali.") % {"value": _text(value)}


# The fields after the names, in the order the checks run (and reasons are listed), with their parsers.
# Those in _BY_VALUE depend on the cell's value alone, so each distinct value is parsed once per sheet:
# a file repeats the same sexes, sums, years and codes thousands of times.
_CHECKED: tuple[tuple[str, Callable[[object], object] | None], ...] = (
    ("nik", None),  # needs the import's known districts
    ("nib", _nib),
    ("phone", phone_from_cell),
)
_BY_VALUE: tuple[tuple[str, Callable[[object], object] | None], ...] = (
    ("sex", _sex),
    ("birth_date", _birth_date),
    ("capital", _money),
    ("annual_turnover", _money),
    ("workers_male", _count),
    ("workers_female", _count),
    ("start_year", _start_year),
    ("start_month", _month),
    ("legal_form", _legal_form),
    ("latitude", _coordinate(-11, 6)),
    ("longitude", _coordinate(94, 142)),
    ("kbli", None),  # needs the import's KBLI codes
)
_TEXTS = ("address", "activity", "product", "rt", "rw")  # plain text: `_text` never fails


def parse_row(
    *, sheet: str, number: int, cells: list[object], header: Header, regions: RegionMatcher, kbli_codes: set[str]
) -> ParsedRow:
    """Read one data row by the header's column mapping."""
    row = ParsedRow(sheet=sheet, number=number, cells=cells)
    if is_blank_row(cells):
        row.skip_reason = _("baris kosong")
        return row
    if is_totals_row(cells):
        row.skip_reason = _("baris jumlah")
        return row
    width = len(cells)
    raw = {target: cells[column] for column, target in header.mapping.items() if column < width}
    values, errors = row.values, row.errors
    for name in ("owner_name", "business_name"):
        text = _text(raw.get(name))
        if text:
            values[name] = text
    if "owner_name" not in values:
        errors["owner_name"] = _("%(label)s kosong.") % {"label": _("Nama pemilik")}
    if "business_name" not in values:
        errors["business_name"] = _("%(label)s kosong.") % {"label": _("Nama usaha")}
    for name, parse in _CHECKED:
        if parse is None:
            parse = partial(nik_from_cell, known_districts=regions.known_districts)
        _keep(values, errors, name, _outcome(parse, raw.get(name)))
    remembered = header.parsed_cells
    for name, parse in _BY_VALUE:
        if name not in raw:
            continue  # a column the file doesn't have changes nothing
        value = raw.get(name)
        key = (name, value.__class__, value, id(kbli_codes) if parse is None else None)
        try:
            outcome = remembered.get(key)
        except TypeError:  # an unhashable cell: nothing to remember it by
            key, outcome = None, None
        if outcome is None:
            outcome = _outcome(parse or partial(_kbli_or_none, kbli_codes=kbli_codes), value)
            if key is not None:
                remembered[key] = outcome
        _keep(values, errors, name, outcome)
    for name in _TEXTS:
        text = _text(raw.get(name))
        if text:
            values[name] = text
    _fill_from_nik(row)
    _place(row, raw, regions)
    return row


def _keep(values: dict, errors: dict, name: str, outcome: tuple[bool, object]) -> None:
    parsed_ok, parsed = outcome
    if not parsed_ok:
        errors[name] = parsed
    elif parsed is not None and parsed != "":
        values[name] = parsed


def _year(value: object) -> int:
    year = int(float(str(value)))
    if not 1900 <= year <= dt.date.today().year:
        raise ValueError(value)
    return year


def _kbli_or_none(value: object, kbli_codes: set[str]) -> str | None:
    return _kbli(value, kbli_codes) if _text(value) else None


_NON_DIGITS = re.compile(r"\D")


def _kbli(value: object, kbli_codes: set[str]) -> str:
    code = _NON_DIGITS.sub("", _text(value)).zfill(5)
    if code not in kbli_codes:
        raise ValidationError(_("KBLI %(code)s bukan kode KBLI 2020 lima angka.") % {"code": _text(value)})
    return code


def _fill_from_nik(row: ParsedRow) -> None:
    """Sex and birth date come from the NIK when the sheet has none; a contradiction is an error."""
    nik = row.values.get("nik")
    if not nik:
        return
    born, sex = nik_birth_date(nik)
    if row.values.setdefault("sex", sex) != sex:
        row.errors["sex"] = _("Jenis kelamin tidak sama dengan yang tertulis di NIK.")
    if row.values.setdefault("birth_date", born) != born:
        row.errors["birth_date"] = _("Tanggal lahir tidak sama dengan yang tertulis di NIK.")


def _place(row: ParsedRow, raw: dict, regions: RegionMatcher) -> None:
    """The village code, looked up inside the office's regency (and the row's district, when given)."""
    district = None
    if _text(raw.get("district")):
        try:
            district = regions.district(raw["district"])
        except ValidationError as error:
            row.errors["district"] = " ".join(error.messages)
            return
    if not _text(raw.get("village")):
        row.errors["village"] = _("Desa/kelurahan kosong.")
        return
    try:
        row.values["village"] = regions.village(raw["village"], district).code
    except ValidationError as error:
        row.errors["village"] = " ".join(error.messages)
