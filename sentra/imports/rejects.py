"""The rejected rows of an import as an xlsx in the file's own columns, plus the reasons; the warned
rows (imported with a value left blank) beside them, one line per warning.

The officer fixes the cells in this file and imports it again: each source
sheet comes back as a sheet with the same header, so it maps the same way.
"""

import datetime as dt
import io
import re
from collections.abc import Iterable

from django.utils.translation import gettext as _

from sentra.core.files import new_workbook
from sentra.core.formatting import mask_nik
from sentra.imports.headers import Header, map_columns
from sentra.imports.mappings import FIELD_LABELS, apply_mapping

MAX_SHEET_NAME = 31  # Excel's limit


def _reasons_of(row) -> dict:
    """An `ImportRow` keeps `reasons`, a `ParsedRow` its `errors`."""
    reasons = getattr(row, "reasons", None)
    return reasons if reasons is not None else row.errors


def _reason_text(reasons: dict) -> str:
    return "; ".join(f"{FIELD_LABELS.get(name, name)}: {message}" for name, message in reasons.items() if name != "_")


def field_columns(labels: list[str], corrections: dict[str, str]) -> dict[int, str]:
    """Column → the field the import read from it, for a sheet with this header."""
    header = Header(row_index=0, labels=labels, mapping=map_columns(labels))
    apply_mapping(header, corrections)
    return header.mapping


def nik_columns(labels: list[str], corrections: dict[str, str]) -> set[int]:
    """The columns of a sheet with this header that the import read as the owner's NIK."""
    return {index for index, field in field_columns(labels, corrections).items() if field == "nik"}


def _masked(value: object) -> object:
    """A NIK cell as `mask_nik` shows it, whatever Excel made of it (a number, digits with spaces)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    digits = re.sub(r"\D", "", str(value if value is not None else ""))
    return mask_nik(digits) if digits else value


def rejected_rows_xlsx(
    sheet_labels: dict[str, list[str]],
    rows: Iterable,
    *,
    full_nik: bool = False,
    corrections: dict[str, str] | None = None,
    warned: Iterable = (),
) -> bytes:
    """An xlsx of `rows` (with sheet, number, cells and reasons), one sheet per source sheet; then the
    `warned` rows, one line per warning (the field, the value typed and why), a sheet per source sheet.

    `sheet_labels` gives each source sheet's header; a row from a sheet not in it
    uses the first header given. Unless `full_nik`, the NIK columns (as the import mapped
    them, with the officer's `corrections`) are masked.
    """
    output = io.BytesIO()
    workbook = new_workbook(output, in_memory=True)
    bold = workbook.add_format({"bold": True, "bg_color": "#FDECEA"})
    bold_warning = workbook.add_format({"bold": True, "bg_color": "#FFF4E5"})
    formats = {
        "text": workbook.add_format({"num_format": "@"}),  # NIKs stay text, so Excel cannot round them again
        "date": workbook.add_format({"num_format": "dd-mm-yyyy"}),
    }
    default_labels = next(iter(sheet_labels.values()), [])
    sheets: dict[tuple[str, bool], list] = {}  # (source sheet, warnings?) → [worksheet, labels, next line, masked]
    corrections = corrections or {}

    def sheet_for(name: str, warnings: bool = False):
        if (name, warnings) not in sheets:
            labels = sheet_labels.get(name, default_labels)
            if warnings:
                title = f"{_('Peringatan')} {name}".strip()[:MAX_SHEET_NAME]
                extra = [_("Lembar asal"), _("Baris asal"), _("Isian"), _("Nilai tertulis"), _("Peringatan")]
            else:
                title = (name or _("Baris ditolak"))[:MAX_SHEET_NAME]
                extra = [_("Lembar asal"), _("Baris asal"), _("Alasan penolakan")]
            taken = {entry[0].get_name() for entry in sheets.values()}
            suffix = 2
            while title in taken or any(c in title for c in "[]:*?/\\"):
                title = f"{_('Peringatan') if warnings else _('Lembar')} {suffix}"[:MAX_SHEET_NAME]
                suffix += 1
            worksheet = workbook.add_worksheet(title)
            worksheet.write_row(0, 0, [*labels, *extra], bold_warning if warnings else bold)
            worksheet.freeze_panes(1, 0)
            worksheet.set_column(len(labels) + len(extra) - 1, len(labels) + len(extra) - 1, 80)
            columns = field_columns([str(label) for label in labels], corrections)
            masked = set() if full_nik else {index for index, field in columns.items() if field == "nik"}
            sheets[(name, warnings)] = [worksheet, labels, 1, masked, {f: i for i, f in columns.items()}]
        return sheets[(name, warnings)]

    for row in rows:
        entry = sheet_for(row.sheet)
        worksheet, labels, line, masked, _columns = entry
        _write_cells(worksheet, line, row.cells, len(labels), masked, formats)
        worksheet.write_row(line, len(labels), [row.sheet, row.number, _reason_text(_reasons_of(row))])
        entry[2] = line + 1
    for row in warned:
        entry = sheet_for(row.sheet, warnings=True)
        worksheet, labels, line, masked, column_of = entry
        for name, message in row.warnings.items():
            _write_cells(worksheet, line, row.cells, len(labels), masked, formats)
            column = column_of.get(name)
            typed = row.cells[column] if column is not None and column < len(row.cells) else ""
            if column in masked:
                typed = _masked(typed)
            typed = "" if typed is None else typed.isoformat() if isinstance(typed, dt.date) else str(typed)
            worksheet.write_row(
                line, len(labels), [row.sheet, row.number, str(FIELD_LABELS.get(name, name)), typed, message]
            )
            line += 1
        entry[2] = line
    if not sheets:
        sheet_for("")
    workbook.close()
    return output.getvalue()


def _write_cells(worksheet, line: int, cells: list, width: int, masked: set[int], formats: dict) -> None:
    for column in range(width):
        value = cells[column] if column < len(cells) else ""
        if column in masked:
            value = _masked(value)
        if isinstance(value, dt.date | dt.datetime):
            worksheet.write_datetime(line, column, value, formats["date"])
        elif isinstance(value, float) and value.is_integer() or isinstance(value, int) and not isinstance(value, bool):
            worksheet.write_number(line, column, value)
        else:
            worksheet.write_string(line, column, "" if value is None else str(value), formats["text"])
