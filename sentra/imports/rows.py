"""One spreadsheet row → the registry values it holds, or a reason per field it cannot.

`parse_row` neither reads nor writes the registry (beyond the lookups it is
given), so the import service can run it over a whole file before deciding
anything, and the preview can show exactly what would happen.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sentra.core.validators import nik_birth_date, parse_rupiah, validate_nib
from sentra.imports.headers import Header, is_blank_row, is_totals_row, normalize_label
from sentra.imports.values import RegionMatcher, nik_from_cell, phone_from_cell
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
    skip_reason: str = ""

    @property
    def rejected(self) -> bool:
        return bool(self.errors)

    def identity(self) -> tuple:
        """What makes two rows the same business: the NIB, else owner NIK and business name."""
        if self.values.get("nib"):
            return ("nib", self.values["nib"])
        return ("nik", self.values.get("nik"), normalize_label(self.values.get("business_name")))


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value or "").split())


def _date(value: object) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", _text(value)) or None
    if match:
        day, month, year = (int(part) for part in match.groups())
        return dt.date(year, month, day)
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", _text(value))
    if match:
        year, month, day = (int(part) for part in match.groups())
        return dt.date(year, month, day)
    raise ValueError(value)


def _count(value: object) -> int:
    if value in (None, ""):
        return 0
    number = float(str(value).replace(",", "."))
    if number < 0 or not number.is_integer():
        raise ValueError(value)
    return int(number)


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
    raw = {target: cells[column] for column, target in header.mapping.items() if column < len(cells)}

    def check(name: str, parse) -> None:
        value = raw.get(name)
        try:
            parsed = parse(value)
        except ValidationError as error:
            row.errors[name] = " ".join(error.messages)
        except (ValueError, TypeError, KeyError):
            row.errors[name] = _("Nilai %(value)s tidak dikenali.") % {"value": _text(value)}
        else:
            if parsed not in (None, ""):
                row.values[name] = parsed

    check("owner_name", _text)
    check("business_name", _text)
    for required, label in (("owner_name", _("Nama pemilik")), ("business_name", _("Nama usaha"))):
        if required not in row.values and required not in row.errors:
            row.errors[required] = _("%(label)s kosong.") % {"label": label}
    check("nik", nik_from_cell)
    check("nib", lambda v: validate_nib(_text(v)) if _text(v) else None)
    check("phone", phone_from_cell)
    check("sex", lambda v: SEX_WORDS[normalize_label(v)] if _text(v) else None)
    check("birth_date", _date)
    check("capital", lambda v: parse_rupiah(v) if _text(v) else None)
    check("annual_turnover", lambda v: parse_rupiah(v) if _text(v) else None)
    check("workers_male", _count)
    check("workers_female", _count)
    check("start_year", lambda v: _year(v) if _text(v) else None)
    check("legal_form", lambda v: LEGAL_FORM_WORDS[normalize_label(v)] if _text(v) else None)
    check("kbli", lambda v: _kbli(v, kbli_codes) if _text(v) else None)
    for name in ("address", "activity", "product", "rt", "rw"):
        check(name, _text)
    _fill_from_nik(row)
    _place(row, raw, regions)
    return row


def _year(value: object) -> int:
    year = int(float(str(value)))
    if not 1900 <= year <= dt.date.today().year:
        raise ValueError(value)
    return year


def _kbli(value: object, kbli_codes: set[str]) -> str:
    code = re.sub(r"\D", "", _text(value)).zfill(5)
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
