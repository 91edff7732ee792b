"""A file read for import: the sheets that list businesses, each with its header's column mapping,
and their rows parsed (rows.parse_row) with the regency's places and the KBLI codes."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from sentra.accounts.models import Office
from sentra.imports.headers import Header, find_header, is_blank_row, summary_sheet_reason
from sentra.imports.mappings import FIELD_LABELS, REQUIRED_FIELDS, apply_mapping, ignored_columns
from sentra.imports.reading import HIDDEN_ROW, Sheet, UnreadableFile, read_workbook
from sentra.imports.rows import ParsedRow, parse_row
from sentra.imports.values import RegionMatcher
from sentra.kbli.models import Kbli, KbliLevel


@dataclass
class RowContext:
    """What parsing a row needs from the database: the regency's places and the KBLI codes.

    Read once per import; a child process that parses is handed it (parse_child.py).
    """

    regions: RegionMatcher
    kbli_codes: set[str]

    @classmethod
    def of(cls, office: Office) -> "RowContext":
        codes = set(Kbli.objects.filter(level=KbliLevel.SUBCLASS).values_list("code", flat=True))
        return cls(regions=RegionMatcher(office.regency_id), kbli_codes=codes)


class ImportRefused(Exception):
    """The import cannot start (file unreadable, no header, no permission); nothing was written."""


class MissingColumns(ImportRefused):
    """A required column was not found: the officer maps it (preview, `--map`) and checks again."""

    def __init__(self, message: str, *, missing: list[str], labels: list[str]) -> None:
        super().__init__(message)
        self.missing = missing  # field names
        self.labels = labels  # the headers found, as typed


@dataclass
class ParsedFile:
    """The sheets that have a header, with each header's column mapping."""

    sheets: list[tuple[Sheet, Header]]
    skipped_sheets: list[tuple[str, str]] = field(default_factory=list)  # (sheet, why it holds no businesses)

    @property
    def labels(self) -> list[str]:
        return self.sheets[0][1].labels

    @property
    def sheet_labels(self) -> dict[str, list[str]]:
        return {sheet.name: [str(label) for label in header.labels] for sheet, header in self.sheets}

    @property
    def total(self) -> int:
        return sum(len(sheet.rows) - header.data_start for sheet, header in self.sheets)

    def rows(self, context: RowContext) -> Iterator[ParsedRow]:
        """Every data row of every sheet, in file order, parsed (hidden and layout rows with their reason)."""
        regions, kbli_codes = context.regions, context.kbli_codes
        for sheet, header in self.sheets:
            for index in range(header.data_start, len(sheet.rows)):
                if index in sheet.hidden_rows or index in header.skipped:
                    reason = str(HIDDEN_ROW) if index in sheet.hidden_rows else header.skipped[index]
                    yield ParsedRow(sheet=sheet.name, number=index + 1, cells=sheet.rows[index], skip_reason=reason)
                    continue
                yield parse_row(
                    sheet=sheet.name,
                    number=index + 1,
                    cells=sheet.rows[index],
                    header=header,
                    regions=regions,
                    kbli_codes=kbli_codes,
                )

    def ignored(self) -> list[dict]:
        """The columns that fill nothing, once per label across sheets, each with its sheet and a sample."""
        found: dict[str, dict] = {}
        for sheet, header in self.sheets:
            for column in ignored_columns(header, sheet.rows):
                found.setdefault(column["key"], {**column, "sheet": sheet.name})
        return list(found.values())


def read_file(path: Path, corrections: dict[str, str] | None = None) -> ParsedFile:
    """Every sheet of `path` that lists businesses, mapped by synonyms and the user's corrections.

    Summary sheets (REKAP, totals per district) are set aside with the reason.
    """
    try:
        sheets = read_workbook(path)
    except UnreadableFile as error:
        raise ImportRefused(str(error)) from error
    headers = [(sheet, find_header(sheet.rows)) for sheet in sheets]
    found = [(sheet, header) for sheet, header in headers if header is not None]
    for _sheet, header in found:
        apply_mapping(header, corrections or {})
    named = any({"business_name", "owner_name"} & set(header.mapping.values()) for _sheet, header in found)
    lists, skipped = [], []
    for sheet, header in headers:
        if header is None:
            if any(not is_blank_row(row) for row in sheet.rows):
                skipped.append((sheet.name, _("tidak ada baris judul kolom")))
        elif reason := summary_sheet_reason(sheet.name, header, others_named=named):
            skipped.append((sheet.name, reason))
        else:
            lists.append((sheet, header))
    if not lists:  # no sheet names businesses: the first says which required columns are missing
        lists, skipped = found[:1], []
    if not lists:
        raise ImportRefused(_("Tidak ditemukan baris judul kolom (mis. NAMA PEMILIK, NAMA USAHA, DESA) di berkas ini."))
    labels = [str(label) for label in lists[0][1].labels if str(label).strip()]
    mapped = set(lists[0][1].mapping.values())
    missing = [name for name in REQUIRED_FIELDS if name not in mapped]
    if "address" in mapped and "village" in missing:
        missing.remove("village")  # read from inside the address (`… Desa Bangkleyan`)
    if missing:
        raise MissingColumns(
            _("Kolom wajib tidak ditemukan: %(columns)s. Tentukan kolomnya pada pemetaan kolom.")
            % {"columns": ", ".join(str(FIELD_LABELS[name]) for name in sorted(missing))},
            missing=missing,
            labels=labels,
        )
    return ParsedFile(sheets=lists, skipped_sheets=skipped)
