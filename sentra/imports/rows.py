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

from sentra.core.validators import nik_birth_date, parse_rupiah, rupiah_period, validate_nib
from sentra.imports.headers import Header, is_blank_row, is_totals_row, normalize_label
from sentra.imports.values import (
    RegionMatcher,
    is_placeholder,
    nik_from_cell,
    phones_from_cell,
    proper_case,
    says_in_progress,
)
from sentra.registry import limits
from sentra.registry.models import LegalForm, LicenceKind, Sex

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
    "laki2": Sex.MALE,
    "lelaki": Sex.MALE,
    "m": Sex.MALE,
    "male": Sex.MALE,
    "f": Sex.FEMALE,
    "female": Sex.FEMALE,
}
# The first three letters of Indonesian and English month names.
MONTH_WORDS = {
    "jan": 1, "feb": 2, "peb": 2, "mar": 3, "apr": 4, "mei": 5, "may": 5, "jun": 6, "jul": 7,
    "agu": 8, "ags": 8, "agt": 8, "aug": 8, "sep": 9, "okt": 10, "oct": 10, "nov": 11, "nop": 11, "des": 12, "dec": 12,
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
    "kud": LegalForm.COOPERATIVE,
    "individu": LegalForm.INDIVIDUAL,
    "pribadi": LegalForm.INDIVIDUAL,
    "usaha perorangan": LegalForm.INDIVIDUAL,
    "belum berbadan hukum": LegalForm.INDIVIDUAL,
    "tidak berbadan hukum": LegalForm.INDIVIDUAL,
    "non badan hukum": LegalForm.INDIVIDUAL,
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
    # field → the value as typed, for the values stored otherwise (names typed in capitals)
    typed: dict[str, str] = field(default_factory=dict)
    skip_reason: str = ""
    # What names the row's business (planning.row_keys): worked out by the planner, or beforehand by
    # the child process that parsed the row (parse_child.py)
    keys: list[tuple] = field(default_factory=list)
    # A new business's columns that the values alone decide (planning.business_derived), likewise
    derived: tuple = ()

    @property
    def rejected(self) -> bool:
        return bool(self.errors)


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value or "").split())


_DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_NAMED_MONTH = re.compile(r"(\d{1,2})[\s\-/.]*([a-z]{3,9})\.?[\s\-/.,]*(\d{4}|\d{2})")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1 Jan 1900 (Excel counts a 29 Feb 1900 that never was)
_LATEST_SERIAL = 2_958_465  # 31 Dec 9999


def _date(value: object, *, two_digit_past: bool = True) -> dt.date | None:
    """A date as offices type it: a real Excel date, its serial number, `12/08/1980`, `2/8/1980`,
    `12-08-80`, `12 Agustus 1980`, `1980-08-12`, or `Blora, 12-08-1980` (place and date of birth).

    A two-digit year is read as the latest year not in the future (birth dates are in the past).
    """
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value <= _LATEST_SERIAL or not float(value).is_integer():
            raise ValueError(value)
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = _text(value).lower()
    if "," in text:  # `Blora, 12-08-1980`
        text = text.rsplit(",", 1)[1].strip()
    if text.isdigit() and len(text) == 5:  # a serial number read from a CSV
        return _EXCEL_EPOCH + dt.timedelta(days=int(text))
    match = _ISO_DATE.fullmatch(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        return dt.date(year, month, day)
    match = _DAY_FIRST.fullmatch(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        if month > 12 >= day:  # 08/25/1980: a month-first date from an English Excel
            day, month = month, day
        return _full_year(year, month, day, match.group(3), two_digit_past)
    match = _NAMED_MONTH.fullmatch(text)
    if match:
        month = MONTH_WORDS[match.group(2)[:3]]
        return _full_year(int(match.group(3)), month, int(match.group(1)), match.group(3), two_digit_past)
    raise ValueError(value)


def _full_year(year: int, month: int, day: int, typed: str, two_digit_past: bool) -> dt.date:
    if len(typed) == 4:
        return dt.date(year, month, day)
    today = dt.date.today()
    date = dt.date(2000 + year, month, day)
    return dt.date(1900 + year, month, day) if two_digit_past and date > today else date


_COUNT_UNITS = re.compile(r"\s*(?:orang|org|jiwa|tk)\.?$")


def _count(value: object) -> int | None:
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        return None  # blank: unknown, so an update keeps what is registered
    if isinstance(value, str) and not any(c.isdigit() for c in value) and is_placeholder(value):
        return None  # `-`, `tidak ada`; a typed 0 is a real count
    number = float(_COUNT_UNITS.sub("", str(value).strip().lower()).replace(",", "."))
    if number < 0:
        raise ValidationError(_("Jumlah tenaga kerja tidak boleh negatif (tertulis %(value)s).") % {"value": value})
    if not number.is_integer() or number > limits.MAX_WORKERS:
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


def _amount(value: object) -> tuple[int, str]:
    """(whole Rupiah, "month"/"year"/"" as the cell says)."""
    if not isinstance(value, str):
        return parse_rupiah(value), ""
    text, period = rupiah_period(value)
    return parse_rupiah(text), period


def _checked_amount(amount: int, value: object) -> int | None:
    if amount == 0:
        return None  # `0` in a money column: not known, rather than nothing
    if amount > limits.MAX_AMOUNT:
        raise ValidationError(_("Nilai %(value)s terlalu besar untuk sebuah UMKM.") % {"value": _text(value)})
    return amount


def _money(value: object) -> int | None:
    """An amount; one typed per month in a yearly column (`5 jt/bln`) is made yearly."""
    if not _text(value):
        return None
    amount, period = _amount(value)
    return _checked_amount(amount * 12 if period == "month" else amount, value)


def _monthly_money(value: object) -> int | None:
    """A turnover per month (the column says so), stored per year; `60 jt/thn` in it is already yearly."""
    if not _text(value):
        return None
    amount, period = _amount(value)
    return _checked_amount(amount if period == "year" else amount * 12, value)


def _start_year(value: object) -> int | None:
    if isinstance(value, dt.date):
        value = value.year
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
        number = Decimal(_text(value).replace(",", ".").replace("−", "-")).quantize(Decimal("0.000001"))
        if not low <= number <= high:
            raise ValidationError(
                _("Koordinat %(value)s di luar wilayah Indonesia (%(low)s sampai %(high)s).")
                % {"value": _text(value), "low": low, "high": high}
            )
        return number

    return parse


_THIRTEEN_DIGITS = re.compile(r"(?<!\d)\d{13}(?!\d)")


def _nib(value: object) -> str | None:
    text = _text(value)
    if not text:
        return None
    found = _THIRTEEN_DIGITS.findall(text.replace(" ", "").replace(".", "").replace("-", ""))
    return found[0] if len(found) == 1 else validate_nib(text)  # `NIB: 1234567890123` is a NIB


# A legality cell: `NIB 1234567890123, PIRT 2063316010123-25, Halal ID33110000123450623`.
_LICENCE_WORDS = (
    (re.compile(r"\bnib\b"), "nib"),
    (re.compile(r"\b(?:p\s*-?\s*irt|sppirt|spp\s*-?\s*irt|pirt)\b"), LicenceKind.PIRT),
    (re.compile(r"\b(?:halal|mui|bpjph|lppom)\b"), LicenceKind.HALAL),
    (re.compile(r"\b(?:bpom|pom|md|ml)\b"), LicenceKind.BPOM),
    (re.compile(r"\bsni\b"), LicenceKind.SNI),
    (re.compile(r"\b(?:haki|hki|merek|merk)\b"), LicenceKind.HKI),
)
_LEGALITY_SPLIT = re.compile(r"\s*(?:[,;\n|+&]|\bdan\b)\s*")
_LICENCE_NUMBER = re.compile(r"[A-Za-z]{0,6}[\s\-.]*\d[\dA-Za-z.\-/ ]{4,}")
_NUMBER_LABEL = re.compile(r"^\s*(?:no|nomor|nomer|ri|sertifikat|izin)\b\.?\s*:?", re.IGNORECASE)


@dataclass(frozen=True)
class Legality:
    """What a free-text legality column says: a NIB, licences by kind and number, and what it could not use."""

    nib: str = ""
    licences: tuple[tuple[str, str], ...] = ()
    unread: tuple[str, ...] = ()  # parts without a usable number (`PIRT`, `Halal proses`)


def _legality(value: object) -> Legality | None:
    if not _text(value) or is_placeholder(value):
        return None
    nib, licences, unread = "", [], []
    for part in _LEGALITY_SPLIT.split(_text(value)):
        if not part.strip(" -.:"):
            continue
        lowered = part.lower()
        kind = next((kind for pattern, kind in _LICENCE_WORDS if pattern.search(lowered)), None)
        bare = _THIRTEEN_DIGITS.fullmatch(re.sub(r"[\s.\-]", "", part))
        if kind == "nib" or (kind is None and bare):
            try:
                nib = _nib(re.sub(r"(?i)\bnib\b\.?\s*:?", "", part)) or nib
            except ValidationError:
                unread.append(part)
            continue
        number = _licence_number(part, kind) if kind else ""
        if kind and number:
            licences.append((str(kind), number))
        else:
            unread.append(part)
    if not (nib or licences or unread):
        return None
    return Legality(nib=nib, licences=tuple(dict.fromkeys(licences)), unread=tuple(unread))


def _licence_number(part: str, kind: str) -> str:
    """The number after the licence's name: `P-IRT No. 2063316010123-25` → `2063316010123-25`."""
    for pattern, word_kind in _LICENCE_WORDS:
        if word_kind == kind:
            match = pattern.search(part.lower())
            if match:
                rest = (
                    part[match.end() :]
                    if kind != LicenceKind.BPOM or match.group() == "bpom"
                    else part[match.start() :]
                )
                break
    else:
        return ""
    rest = _NUMBER_LABEL.sub("", rest.strip(" :.-")).strip(" :.-")
    if kind == LicenceKind.BPOM:
        rest = re.sub(r"(?i)^(?:bpom|pom)\s*(?:ri)?\s*", "", rest).strip()
    number = _LICENCE_NUMBER.match(rest)
    if number is None or sum(c.isdigit() for c in number.group()) < 5:
        return ""
    return number.group().strip(" .-/").upper()[:60]


def _outcome(parse: Callable[[object], object], value: object) -> tuple[bool, object]:
    """(True, the parsed value) or (False, the reason it cannot be parsed)."""
    try:
        return True, parse(value)
    except ValidationError as error:
        return False, " ".join(error.messages)
    except (ValueError, TypeError, KeyError, InvalidOperation, OverflowError):
        return False, _("Nilai %(value)s tidak dikenali.") % {"value": _text(value)}


# The fields after the names, in the order the checks run (and reasons are listed), with their parsers.
# Those in _BY_VALUE depend on the cell's value alone, so each distinct value is parsed once per sheet:
# a file repeats the same sexes, sums, years and codes thousands of times.
_BY_VALUE: tuple[tuple[str, Callable[[object], object] | None], ...] = (
    ("nib", _nib),
    ("sex", _sex),
    ("birth_date", _birth_date),
    ("capital", _money),
    ("annual_turnover", _money),
    ("monthly_turnover", _monthly_money),
    ("workers_male", _count),
    ("workers_female", _count),
    ("start_year", _start_year),
    ("start_month", _month),
    ("legal_form", _legal_form),
    ("latitude", _coordinate(-11, 6)),
    ("longitude", _coordinate(94, 142)),
    ("legality", _legality),
    ("kbli", None),  # needs the import's KBLI codes
)
# Where a typed 0 is a real value, not a placeholder.
_ZERO_COUNTS = {"workers_male", "workers_female"}
_TEXTS = ("address", "activity", "product", "rt", "rw")  # plain text: `_text` never fails
_NAMES = (("owner_name", _("Nama pemilik")), ("business_name", _("Nama usaha")))

# What marks the notes and signature block under a table (each tried on a cell, lowercased).
_FOOTER_CELL = re.compile(
    r"^(?:[a-z][a-z .'-]*,\s*\d{1,2}(?:\s+[a-z]+\s+|[-/.]\d{1,2}[-/.])\d{2,4}"  # Cepu, 20 November 2026
    r"|\(.*\)|[.…_\s-]{3,}"  # ( …… ), ( Drs. SUTRISNO ), ………
    r"|\*+\)?.*"  # *) belum termasuk …
    r"|(?:mengetahui|menyetujui|kepala|petugas|pendata|pencacah|enumerator|nip|nrp|keterangan|catatan|ket\s*:"
    r"|ttd|tanda tangan|sekretaris|kabid|kasi|kasubag|camat|lurah|kades|a\.?\s?n\.?\s|plt\.?\s|plh\.?\s"
    r"|pembina|penata|pengatur|disusun|dibuat|diperiksa|sumber\s*:|dinas\s|bidang\s)\b.*)$"
)
_FOOTER_MOST_CELLS = 3  # a business row fills more
_FOOTER_STARTED = ("_footer",)  # in `Header.parsed_cells`: the sheet's notes and signatures have begun


_RUNNING_NUMBER = re.compile(r"\(?\d{1,6}\)?\.?")


def _is_running_number(cell: object) -> bool:
    if isinstance(cell, bool):
        return False
    if isinstance(cell, int | float):
        return float(cell).is_integer() and 0 < cell < 10**6
    return _RUNNING_NUMBER.fullmatch(str(cell).strip()) is not None


def _layout_skip_reason(cells: list[object], header: Header) -> str:
    """Why a row under the header holds no business: notes and signatures, a running number alone,
    the column numbers (1, 2, 3 …) some offices put under the header."""
    filled = [cell for cell in cells if cell not in (None, "") and not (isinstance(cell, str) and not cell.strip())]
    if all(_is_running_number(cell) for cell in filled):
        if len(filled) == 1:
            return _("baris hanya berisi nomor urut")
        numbers = [int(float(str(cell).strip("(). "))) for cell in filled]
        if len(numbers) >= 3 and numbers == list(range(numbers[0], numbers[0] + len(numbers))):
            return _("baris nomor kolom di bawah judul")
    if len(filled) <= _FOOTER_MOST_CELLS:
        texts = [_text(cell).lower() for cell in filled]
        if header.parsed_cells.get(_FOOTER_STARTED) or any(_FOOTER_CELL.match(text) for text in texts):
            header.parsed_cells[_FOOTER_STARTED] = (True, None)
            return _("catatan atau tanda tangan di bawah tabel")
    return ""


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
    row.skip_reason = _layout_skip_reason(cells, header)
    if row.skip_reason:
        return row
    width = len(cells)
    raw = {target: cells[column] for column, target in header.mapping.items() if column < width}
    values, errors = row.values, row.errors
    for name, label in _NAMES:
        text = _text(raw.get(name))
        if text and not is_placeholder(text):  # `-` is not a name
            values[name] = proper_case(text)
            if values[name] != text:
                row.typed[name] = text
        else:
            errors[name] = _("%(label)s kosong.") % {"label": label}
    nik = raw.get("nik")
    parsed_ok, parsed = _outcome(partial(nik_from_cell, known_districts=regions.known_districts), nik)
    _keep(row, "nik", (parsed_ok, parsed), required=True)
    _phone(row, raw.get("phone"))
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
            if name not in _ZERO_COUNTS and is_placeholder(value):
                outcome = (True, _IN_PROGRESS if name == "nib" and says_in_progress(value) else None)
            else:
                outcome = _outcome(parse or partial(_kbli_or_none, kbli_codes=kbli_codes), value)
            if key is not None:
                remembered[key] = outcome
        _keep(row, name, outcome)
    _settle_turnover(row)
    _settle_legality(row)
    for name in _TEXTS:
        text = _text(raw.get(name))
        if text and not is_placeholder(text):
            values[name] = text
    _fill_from_nik(row)
    _place(row, raw, regions)
    return row


_IN_PROGRESS = object()  # a NIB typed as `Proses`: being applied for


def _keep(row: ParsedRow, name: str, outcome: tuple[bool, object], *, required: bool = False) -> None:
    """Keep a parsed value; an optional value that cannot be used is left blank with a warning."""
    parsed_ok, parsed = outcome
    if not parsed_ok:
        if required:
            row.errors[name] = parsed
        else:
            row.warnings[name] = _("%(reason)s Dibiarkan kosong; baris tetap diimpor.") % {"reason": parsed}
    elif parsed is _IN_PROGRESS:
        row.warnings[name] = _("NIB sedang diurus (tertulis “proses”); NIB dibiarkan kosong sampai terbit.")
    elif parsed is not None and parsed != "":
        row.values[name] = parsed


def _phone(row: ParsedRow, value: object) -> None:
    try:
        phone, others = phones_from_cell(value)
    except ValidationError as error:
        row.warnings["phone"] = _("%(reason)s Dibiarkan kosong; baris tetap diimpor.") % {
            "reason": " ".join(error.messages)
        }
        return
    if phone:
        row.values["phone"] = phone
    if others:
        row.warnings["phone"] = _(
            "Sel berisi lebih dari satu nomor; disimpan %(kept)s, tidak disimpan: %(others)s."
        ) % {
            "kept": phone,
            "others": ", ".join(others),
        }


def _settle_turnover(row: ParsedRow) -> None:
    """A turnover per month is stored per year; a yearly column, when the sheet has both, wins."""
    monthly = row.values.pop("monthly_turnover", None)
    if monthly is not None and "annual_turnover" not in row.values:
        row.values["annual_turnover"] = monthly


def _settle_legality(row: ParsedRow) -> None:
    legality = row.values.pop("legality", None)
    if not isinstance(legality, Legality):
        return
    if legality.nib and row.values.setdefault("nib", legality.nib) != legality.nib:
        row.warnings["legality"] = _(
            "NIB di kolom legalitas (%(nib)s) berbeda dengan kolom NIB; dipakai kolom NIB."
        ) % {"nib": legality.nib}
    if legality.licences:
        row.values["licences"] = list(legality.licences)
    if legality.unread:
        row.warnings.setdefault(
            "legality",
            _("Bagian legalitas tanpa nomor yang dapat dibaca, tidak disimpan: %(parts)s.")
            % {"parts": "; ".join(legality.unread)},
        )


def _year(value: object) -> int:
    text = str(value).strip().lower()
    text = re.sub(r"^(?:tahun|thn|th)\.?\s*|^[±~]\s*", "", text)
    year = int(float(text))
    if year > dt.date.today().year:
        raise ValidationError(_("Tahun %(year)s belum terjadi.") % {"year": year})
    if year < 1900:
        raise ValueError(value)
    return year


def _kbli_or_none(value: object, kbli_codes: set[str]) -> str | None:
    return _kbli(value, kbli_codes) if _text(value) else None


_NON_DIGITS = re.compile(r"\D")
_FIVE_DIGITS = re.compile(r"(?<!\d)\d{5}(?!\d)")


def _kbli(value: object, kbli_codes: set[str]) -> str:
    """`10295`, `10295 - Industri terasi`, `1079` typed as a number that lost its leading 0."""
    text = _text(value)
    found = _FIVE_DIGITS.search(text)
    code = found.group() if found else _NON_DIGITS.sub("", text).zfill(5)
    if code not in kbli_codes:
        raise ValidationError(_("KBLI %(code)s bukan kode KBLI 2020 lima angka.") % {"code": text})
    return code


def _fill_from_nik(row: ParsedRow) -> None:
    """Sex and birth date come from the NIK when the sheet has none; where the sheet says otherwise
    the NIK's is kept and the difference is a warning."""
    nik = row.values.get("nik")
    if not nik:
        return
    born, sex = nik_birth_date(nik)
    if row.values.setdefault("sex", sex) != sex:
        row.values["sex"] = sex
        row.warnings["sex"] = _("Jenis kelamin tidak sama dengan yang tertulis di NIK; dipakai yang di NIK.")
    if row.values.setdefault("birth_date", born) != born:
        row.values["birth_date"] = born
        row.warnings["birth_date"] = _("Tanggal lahir tidak sama dengan yang tertulis di NIK; dipakai yang di NIK.")


def _place(row: ParsedRow, raw: dict, regions: RegionMatcher) -> None:
    """The village code inside the office's regency: from the village cell, else from the address;
    within the row's district when the district is known, else from the village alone when only one
    of the regency's villages has that name."""
    district, district_problem = None, ""
    district_text = raw.get("district")
    if _text(district_text) and not is_placeholder(district_text):
        try:
            district = regions.district(district_text)
        except ValidationError as error:
            district_problem = " ".join(error.messages)
    village_text = raw.get("village")
    village, problem = None, ""
    if _text(village_text) and not is_placeholder(village_text):
        try:
            village = regions.village(village_text, district)
        except ValidationError as error:
            problem = " ".join(error.messages)
            village = _village_elsewhere(regions, village_text, district)
    address = raw.get("address")
    if village is None and _text(address):
        try:
            village = regions.village_in_text(address, district)
        except ValidationError as error:
            if error.code == "region_ambiguous":
                problem = problem or " ".join(error.messages)
    if village is None:
        row.errors["village"] = problem or _("Desa/kelurahan kosong.")
        if district_problem:
            row.errors["district"] = district_problem
        return
    row.values["village"] = village.code
    if district_problem:
        row.warnings["district"] = _("%(reason)s Kecamatan diambil dari desa/kelurahannya: %(district)s.") % {
            "reason": district_problem,
            "district": village.district.name,
        }
    elif district is not None and village.district_id != district.code:
        row.warnings["district"] = _(
            "Desa/kelurahan %(village)s ada di Kec. %(actual)s, bukan Kec. %(typed)s; dipakai Kec. %(actual)s."
        ) % {"village": village.name, "actual": village.district.name, "typed": district.name}


def _village_elsewhere(regions: RegionMatcher, village_text: object, district) -> object:
    """The village by its own name across the regency (the district typed wrong), or inside the cell
    when it holds a whole address."""
    if district is not None:
        try:
            return regions.village(village_text)
        except ValidationError:
            pass
    try:
        return regions.village_in_text(village_text, district)
    except ValidationError:
        return None
