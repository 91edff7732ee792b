"""The rejected rows of an import as an xlsx in the file's own columns, plus the reasons.

The officer fixes the cells in this file and imports it again: it has the same
header, so it maps the same way.
"""

import datetime as dt
import io
from collections.abc import Iterable

import xlsxwriter
from django.utils.translation import gettext as _

from sentra.imports.rows import ParsedRow


def rejected_rows_xlsx(labels: list[str], rows: Iterable[ParsedRow]) -> bytes:
    """An xlsx of `rows` under `labels`, with sheet, row number and reasons appended."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_numbers": False})
    sheet = workbook.add_worksheet(_("Baris ditolak"))
    bold = workbook.add_format({"bold": True, "bg_color": "#FDECEA"})
    text = workbook.add_format({"num_format": "@"})  # NIKs stay text, so Excel cannot round them again
    date = workbook.add_format({"num_format": "dd-mm-yyyy"})
    header = [*labels, _("Lembar asal"), _("Baris asal"), _("Alasan penolakan")]
    sheet.write_row(0, 0, header, bold)
    for line, row in enumerate(rows, start=1):
        for column in range(len(labels)):
            value = row.cells[column] if column < len(row.cells) else ""
            if isinstance(value, dt.date | dt.datetime):
                sheet.write_datetime(line, column, value, date)
            elif isinstance(value, float) and value.is_integer():
                sheet.write_number(line, column, value)
            else:
                sheet.write_string(line, column, "" if value is None else str(value), text)
        reasons = "; ".join(f"{field}: {message}" for field, message in row.errors.items())
        sheet.write_row(line, len(labels), [row.sheet, row.number, reasons])
    sheet.freeze_panes(1, 0)
    sheet.set_column(len(labels) + 2, len(labels) + 2, 80)
    workbook.close()
    return output.getvalue()
