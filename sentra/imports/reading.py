"""Reading the offices' spreadsheets: xlsx, xls, ods (python-calamine) and csv.

The result is plain rows of cell values per sheet; finding the header and
mapping columns happens in `headers.py`.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_ENCODINGS = ("utf-8-sig", "cp1252")


class UnreadableFile(ValueError):
    """The file is not a spreadsheet or CSV we can read; the message says why, in Indonesian."""


@dataclass
class Sheet:
    name: str
    rows: list[list[object]]


def read_workbook(path: Path) -> list[Sheet]:
    """Every sheet of a spreadsheet or CSV file, blank rows kept so row numbers match the file."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [Sheet(name=path.stem, rows=read_csv(path.read_bytes()))]
    if suffix not in SPREADSHEET_SUFFIXES:
        raise UnreadableFile(
            _("Jenis berkas %(suffix)s tidak didukung: pakai xlsx, xls, ods, atau csv.")
            % {"suffix": suffix or _("(tanpa akhiran)")}
        )
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        return [
            Sheet(name=name, rows=workbook.get_sheet_by_name(name).to_python(skip_empty_area=False))
            for name in workbook.sheet_names
        ]
    except Exception as error:  # calamine raises its own error types per format
        raise UnreadableFile(
            _("Berkas tidak dapat dibaca sebagai lembar kerja: %(error)s") % {"error": error}
        ) from error


def decode_csv(data: bytes) -> str:
    """CSV text in UTF-8 (with or without BOM), else Windows-1252 as older Excel saves it."""
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("Berkas CSV bukan UTF-8 maupun Windows-1252."))  # cp1252 decodes almost anything


def read_csv(data: bytes) -> list[list[object]]:
    """Rows of a CSV file whatever its delimiter (comma, semicolon, tab, pipe)."""
    text = decode_csv(data)
    sample = text[: 64 * 1024]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))  # each row is already a list
