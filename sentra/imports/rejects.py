"""The rejected rows of an import as an xlsx in the file's own columns, plus the reasons.

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


def nik_columns(labels: list[str], corrections: dict[str, str]) -> set[int]:
    """The columns of a sheet with this header that the import read as the owner's NIK."""
    header = Header(row_index=0, labels=labels, mapping=map_columns(labels))
    apply_mapping(header, corrections)
    return {index for index, field in header.mapping.items() if field == "nik"}


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
) -> bytes:
    """An xlsx of `rows` (with sheet, number, cells and reasons), one sheet per source sheet.

    `sheet_labels` gives each source sheet's header; a row from a sheet not in it
    uses the first header given. Unless `full_nik`, the NIK columns (as the import mapped
    them, with the officer's `corrections`) are masked.
    """
    output = io.BytesIO()
    workbook = new_workbook(output, in_memory=True)
    bold = workbook.add_format({"bold": True, "bg_color": "#FDECEA"})
    text = workbook.add_format({"num_format": "@"})  # NIKs stay text, so Excel cannot round them again
    date = workbook.add_format({"num_format": "dd-mm-yyyy"})
    default_labels = next(iter(sheet_labels.values()), [])
    sheets: dict[str, list] = {}  # source sheet → [worksheet, labels, next line, NIK columns]

    def sheet_for(name: str):
        if name not in sheets:
            labels = sheet_labels.get(name, default_labels)
            title = (name or _("Baris ditolak"))[:MAX_SHEET_NAME]
            taken = {entry[0].get_name() for entry in sheets.values()}
            suffix = 2
            while title in taken or any(c in title for c in "[]:*?/\\"):
                title = f"{_('Lembar')} {suffix}"[:MAX_SHEET_NAME]
                suffix += 1
            worksheet = workbook.add_worksheet(title)
            worksheet.write_row(0, 0, [*labels, _("Lembar asal"), _("Baris asal"), _("Alasan penolakan")], bold)
            worksheet.freeze_panes(1, 0)
            worksheet.set_column(len(labels) + 2, len(labels) + 2, 80)
            masked = set() if full_nik else nik_columns([str(label) for label in labels], corrections or {})
            sheets[name] = [worksheet, labels, 1, masked]
        return sheets[name]

    for row in rows:
        entry = sheet_for(row.sheet)
        worksheet, labels, line, masked = entry
        for column in range(len(labels)):
            value = row.cells[column] if column < len(row.cells) else ""
            if column in masked:
                value = _masked(value)
            if isinstance(value, dt.date | dt.datetime):
                worksheet.write_datetime(line, column, value, date)
            elif (
                isinstance(value, float)
                and value.is_integer()
                or isinstance(value, int)
                and not isinstance(value, bool)
            ):
                worksheet.write_number(line, column, value)
            else:
                worksheet.write_string(line, column, "" if value is None else str(value), text)
        worksheet.write_row(line, len(labels), [row.sheet, row.number, _reason_text(_reasons_of(row))])
        entry[2] = line + 1
    if not sheets:
        sheet_for("")
    workbook.close()
    return output.getvalue()
