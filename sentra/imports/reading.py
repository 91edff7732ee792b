"""Reading the offices' spreadsheets: xlsx, xls, ods (python-calamine) and csv.

The result is plain rows of cell values per sheet; finding the header and
mapping columns happens in `headers.py`.

Files come from anyone, so reading them must never take the process down.
calamine loads a sheet as one dense block from its first to its last cell: a
1.6 KB xlsx with a cell at XFD1048576 asks for 512 GiB and aborts the process.
So a workbook is read in a child process whose memory, CPU time and core dumps
are capped, after the sheets' declared sizes are checked against the limits;
whatever goes wrong, the caller gets `UnreadableFile` with an Indonesian reason
and the library's own words go to the log only. CSV is read in process by the
csv module, under the same row and column limits.
"""

import csv
import functools
import gc
import html
import io
import logging
import mmap
import multiprocessing
import re
import resource
import time
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
ZIP_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".ods"}  # Office Open XML and OpenDocument are zip archives
CSV_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")  # latin-1 decodes any byte: the last resort
CSV_DELIMITERS = (";", ",", "\t", "|")
ROWS_PER_MESSAGE = 5000  # rows the reading child sends at a time

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Excel (.xls), and the wrapper of an encrypted xlsx
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


class UnreadableFile(ValueError):
    """The file is not a spreadsheet or CSV we can read; the message says why, in Indonesian."""


HIDDEN_ROW = gettext_lazy("baris disembunyikan di Excel")


@dataclass
class Sheet:
    name: str
    rows: list[list[object]]
    hidden_rows: set[int] = field(default_factory=set)  # 0-based, as in `rows`: skipped with HIDDEN_ROW
    # 0-based column → its header text: hidden in Excel, so their cells were blanked and nothing maps them
    hidden_columns: dict[int, str] = field(default_factory=dict)

    @property
    def notes(self) -> list[str]:
        """What reading left out of this sheet, in words for the preview."""
        if not self.hidden_columns:
            return []
        return [
            _("Kolom tersembunyi tidak dibaca: %(columns)s.")
            % {
                "columns": ", ".join(
                    f"{column_letters(column + 1)} ({label})" if label else column_letters(column + 1)
                    for column, label in sorted(self.hidden_columns.items())
                )
            }
        ]


@dataclass(frozen=True)
class ReadLimits:
    """How big a sheet may be, and what reading one may take (settings `SPREADSHEET_READ_*`)."""

    rows: int
    columns: int
    cells: int
    memory_bytes: int
    seconds: int

    @classmethod
    def from_settings(cls) -> "ReadLimits":
        from django.conf import settings

        return cls(
            rows=settings.SPREADSHEET_MAX_ROWS,
            columns=settings.SPREADSHEET_MAX_COLUMNS,
            cells=settings.SPREADSHEET_MAX_CELLS,
            memory_bytes=settings.SPREADSHEET_READ_MEMORY_MB * 2**20,
            seconds=settings.SPREADSHEET_READ_SECONDS,
        )

    def refuses(self, rows: int, columns: int) -> bool:
        return rows > self.rows or columns > self.columns or rows * columns > self.cells


def read_workbook(path: Path, limits: ReadLimits | None = None) -> list[Sheet]:
    """Every sheet of a spreadsheet or CSV file, blank rows kept so row numbers match the file."""
    limits = limits or ReadLimits.from_settings()
    suffix = path.suffix.lower()
    if suffix != ".csv" and suffix not in SPREADSHEET_SUFFIXES:
        raise UnreadableFile(
            _("Jenis berkas %(suffix)s tidak didukung: pakai xlsx, xls, ods, atau csv.")
            % {"suffix": suffix or _("(tanpa akhiran)")}
        )
    with path.open("rb") as handle:
        head = handle.read(4096)
    if not head:
        raise UnreadableFile(_("Berkas kosong: tidak ada isinya."))
    if suffix == ".csv":
        return [Sheet(name=path.stem, rows=read_csv(path.read_bytes(), limits=limits, name=path.stem))]
    _check_kind(path, suffix, head)
    if suffix in (".xlsx", ".xlsm"):
        for name, rows, columns in declared_sheet_sizes(path):
            if limits.refuses(rows, columns):
                raise UnreadableFile(too_large_message(name, rows, columns, limits))
    sheets = _read_in_child(path, limits)
    if suffix in (".xlsx", ".xlsm"):
        _leave_out_hidden(path, sheets)
    return sheets


def _leave_out_hidden(path: Path, sheets: list[Sheet]) -> None:
    """Mark the rows and blank the columns an xlsx hides: officers hide what is not to be read
    (old entries, working columns). calamine does not say, so the sheets' XML is asked."""
    hidden = hidden_rows_and_columns(path)
    for sheet in sheets:
        rows, columns = hidden.get(sheet.name, (set(), set()))
        sheet.hidden_rows = {row for row in rows if row < len(sheet.rows)}
        if not columns:
            continue
        header_texts: dict[int, str] = {}
        for cells in sheet.rows:
            for column in columns:
                if column < len(cells):
                    if cells[column] not in (None, "") and column not in header_texts:
                        header_texts[column] = " ".join(str(cells[column]).split())[:60]
                    cells[column] = ""
        sheet.hidden_columns = {column: header_texts.get(column, "") for column in sorted(columns)}


def too_large_message(sheet: str, rows: int, columns: int, limits: ReadLimits) -> str:
    return _(
        "Lembar “%(sheet)s” berukuran %(rows)s baris × %(columns)s kolom, melebihi batas %(max_rows)s baris, "
        "%(max_columns)s kolom, dan %(max_cells)s sel per lembar. Hapus baris dan kolom kosong di ujung lembar "
        "atau pecah berkasnya, lalu unggah lagi."
    ) % {
        "sheet": sheet,
        "rows": number_format(rows, force_grouping=True),
        "columns": number_format(columns, force_grouping=True),
        "max_rows": number_format(limits.rows, force_grouping=True),
        "max_columns": number_format(limits.columns, force_grouping=True),
        "max_cells": number_format(limits.cells, force_grouping=True),
    }


def _too_big_or_broken() -> UnreadableFile:
    return UnreadableFile(
        _(
            "Berkas terlalu besar atau rusak: tidak dapat dibaca dalam batas memori dan waktu. Hapus baris dan "
            "kolom kosong di ujung lembar, pecah berkasnya, atau simpan sebagai .csv, lalu unggah lagi."
        )
    )


def _broken(suffix: str) -> UnreadableFile:
    return UnreadableFile(
        _(
            "Berkas %(suffix)s ini rusak atau bukan lembar kerja yang sah. Buka di Excel atau LibreOffice, "
            "simpan ulang sebagai .xlsx atau .csv, lalu unggah lagi."
        )
        % {"suffix": suffix}
    )


def _password_protected() -> UnreadableFile:
    return UnreadableFile(
        _(
            "Berkas dilindungi kata sandi. Buka di Excel, hapus kata sandinya (Berkas › Info › Lindungi Buku "
            "Kerja), simpan, lalu unggah lagi."
        )
    )


def _check_kind(path: Path, suffix: str, head: bytes) -> None:
    """Refuse, saying what it really is, a file whose content does not fit its name."""
    if head.startswith(ZIP_MAGIC):
        if suffix == ".xls":
            raise UnreadableFile(_("Berkas ini sebenarnya .xlsx yang diberi akhiran .xls: ganti akhirannya."))
        return
    if head.startswith(OLE_MAGIC):
        if suffix in ZIP_SUFFIXES:
            if _contains(path, ENCRYPTED_PACKAGE):
                raise _password_protected()
            raise UnreadableFile(
                _("Berkas ini sebenarnya .xls (Excel lama) yang diberi akhiran %(suffix)s: ganti akhirannya.")
                % {"suffix": suffix}
            )
        return
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype", b"<html", b"<table", b"<?xml", b"<head", b"<body", b"<meta")):
        raise UnreadableFile(
            _(
                "Berkas ini halaman web (HTML) atau XML yang diberi akhiran %(suffix)s, bukan lembar kerja. "
                "Buka di Excel lalu simpan sebagai .xlsx, atau unduh ulang sebagai Excel atau CSV."
            )
            % {"suffix": suffix}
        )
    if b"\x00" not in head:
        raise UnreadableFile(
            _(
                "Berkas ini teks (seperti CSV) yang diberi akhiran %(suffix)s. Ganti akhirannya menjadi .csv, "
                "atau buka di Excel lalu simpan sebagai .xlsx."
            )
            % {"suffix": suffix}
        )
    raise _broken(suffix)


def _contains(path: Path, needle: bytes) -> bool:
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return data.find(needle) >= 0


# ---------------------------------------------------------------------------
# Sizes an xlsx declares
# ---------------------------------------------------------------------------

_DIMENSION = re.compile(
    rb"<(?:\w+:)?dimension\s+ref=\"\$?([A-Za-z]{1,3})\$?(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?\""
)


def column_number(letters: str) -> int:
    """`A` → 1, `XFD` → 16384."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def declared_sheet_sizes(path: Path) -> Iterator[tuple[str, int, int]]:
    """(sheet name, rows, columns) as each worksheet's `<dimension>` declares them, from A1.

    Cheap: only the start of each sheet's XML is decompressed. A sheet without the element
    (or one that understates) is left to the memory cap of the reading child.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            for part, name in _worksheets(archive):
                with archive.open(part) as stream:
                    match = _DIMENSION.search(stream.read(16 * 1024))
                if match is None:
                    continue
                last_column, last_row = match.group(3) or match.group(1), match.group(4) or match.group(2)
                yield name, int(last_row), column_number(last_column.decode())
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
        logger.warning("could not read the sheet sizes of %s: %r", path.name, error)
        raise _broken(path.suffix.lower()) from error


def _worksheets(archive: zipfile.ZipFile) -> Iterator[tuple[str, str]]:
    """(worksheet part, the sheet's name) for each worksheet of an xlsx."""
    names = _worksheet_names(archive)
    for part in archive.namelist():
        if part.startswith("xl/worksheets/") and part.endswith(".xml"):
            yield part, names.get(part, PurePosixPath(part).stem)


def _worksheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part → the sheet's name, from the workbook and its relationships.

    Read with patterns rather than an XML parser: these parts are small, and an entity trick
    in a hostile file then has nothing to expand.
    """
    try:
        workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
        relations = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return {}
    targets = {}
    for attributes in _elements(relations, "Relationship"):
        target = attributes.get("Target", "")
        targets[attributes.get("Id")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    names = {}
    for attributes in _elements(workbook, "sheet"):
        part = targets.get(attributes.get("r:id") or attributes.get("id"))
        if part:
            names[str(PurePosixPath(part))] = html.unescape(attributes.get("name", ""))
    return names


def _elements(text: str, tag: str) -> list[dict[str, str]]:
    """The attributes of each `<tag …>` (any namespace prefix) in `text`."""
    return [
        dict(re.findall(r'([\w:]+)="([^"]*)"', attributes))
        for attributes in re.findall(rf"<(?:\w+:)?{tag}\s([^>]*)>", text)
    ]


def column_letters(number: int) -> str:
    """1 → `A`, 28 → `AB`."""
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


_HIDDEN = re.compile(rb'hidden="(?:1|true)"')
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_COL_TAG = re.compile(rb"<(?:\w+:)?col\b([^>]*)/?>")
_ATTRIBUTE = re.compile(rb'([\w:]+)="([^"]*)"')
_SCAN_CHUNK = 4 * 2**20


def hidden_rows_and_columns(path: Path) -> dict[str, tuple[set[int], set[int]]]:
    """Sheet name → (hidden rows, hidden columns), both 0-based, from each worksheet's XML.

    Most sheets hide nothing: the XML is first only searched for `hidden="1"`, a chunk at a time,
    and read tag by tag only when it is there.
    """
    found: dict[str, tuple[set[int], set[int]]] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for part, name in _worksheets(archive):
                if not _mentions_hidden(archive, part):
                    continue
                rows, columns = _hidden_in(archive, part)
                if rows or columns:
                    found[name] = (rows, columns)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
        logger.warning("could not read the hidden rows of %s: %r", path.name, error)
    return found


def _mentions_hidden(archive: zipfile.ZipFile, part: str) -> bool:
    with archive.open(part) as stream:
        tail = b""
        while chunk := stream.read(_SCAN_CHUNK):
            if _HIDDEN.search(tail + chunk):
                return True
            tail = chunk[-32:]
    return False


def _hidden_in(archive: zipfile.ZipFile, part: str) -> tuple[set[int], set[int]]:
    rows: set[int] = set()
    columns: set[int] = set()
    with archive.open(part) as stream:
        data = stream.read()
    number = 0  # a <row> without r= follows the one before
    for match in _ROW_TAG.finditer(data):
        attributes = dict(_ATTRIBUTE.findall(match.group(1)))
        number = int(attributes.get(b"r", number + 1))
        if attributes.get(b"hidden") in (b"1", b"true"):
            rows.add(number - 1)
    head = data[: data.find(b"sheetData")] if b"sheetData" in data else b""
    for match in _COL_TAG.finditer(head):
        attributes = dict(_ATTRIBUTE.findall(match.group(1)))
        if attributes.get(b"hidden") in (b"1", b"true"):
            low, high = int(attributes.get(b"min", 1)), int(attributes.get(b"max", 1))
            columns.update(range(low - 1, min(high, 16384)))
    return rows, columns


# ---------------------------------------------------------------------------
# Reading a workbook in a capped child process
# ---------------------------------------------------------------------------


@functools.cache
def child_processes():
    # A fork server: children start from a small, single-threaded process that has only
    # this module loaded, not from the web or worker process with its threads and connections.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["sentra.imports.reading"])
    return context


def _read_in_child(path: Path, limits: ReadLimits) -> list[Sheet]:
    context = child_processes()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child_read, args=(str(path.resolve()), limits, sender), daemon=True)
    child.start()
    sender.close()
    sheets: list[Sheet] = []
    deadline = time.monotonic() + limits.seconds
    collecting = gc.isenabled()
    gc.disable()  # the rows only grow while they arrive: collecting them over and over would find nothing
    try:
        while True:
            if not receiver.poll(max(0.0, deadline - time.monotonic())):
                logger.warning("reading %s took longer than %s s; stopped", path.name, limits.seconds)
                raise _too_big_or_broken()
            try:
                message = receiver.recv()
            except EOFError:
                child.join(timeout=5)
                logger.warning("the child reading %s died (exit code %s)", path.name, child.exitcode)
                raise _too_big_or_broken() from None
            kind = message[0]
            if kind == "rows":
                sheets[-1].rows.extend(message[1])
            elif kind == "sheet":
                sheets.append(Sheet(name=message[1], rows=[]))
            elif kind == "done":
                return sheets
            elif kind == "too_large":
                raise UnreadableFile(too_large_message(message[1], message[2], message[3], limits))
            else:  # "error": the library's own words, for the log only
                logger.warning("reading %s failed: %s: %s", path.name, message[1], message[2])
                raise _password_protected() if message[1] == "PasswordError" else _broken(path.suffix.lower())
    finally:
        if collecting:
            gc.enable()
        receiver.close()
        child.join(timeout=5)
        if child.is_alive():
            child.kill()
            child.join()


def _child_read(path: str, limits: ReadLimits, sender) -> None:
    """In the child: cap memory, CPU and core dumps, then send each sheet's rows to the parent."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.seconds, limits.seconds + 5))
    gc.disable()  # a short life that only builds rows to send: nothing to collect
    from python_calamine import CalamineWorkbook

    try:
        with CalamineWorkbook.from_path(path) as workbook:
            for name in workbook.sheet_names:
                sheet = workbook.get_sheet_by_name(name)
                end = sheet.end
                rows, columns = (end[0] + 1, end[1] + 1) if end else (0, 0)
                if limits.refuses(rows, columns):
                    sender.send(("too_large", name, rows, columns))
                    return
                sender.send(("sheet", name))
                # iter_rows starts at row 0 but at the first used column: pad, so columns match the file.
                pad = [""] * sheet.start[1] if sheet.start else []
                chunk = []
                for row in sheet.iter_rows():
                    chunk.append(pad + row if pad else row)
                    if len(chunk) == ROWS_PER_MESSAGE:
                        sender.send(("rows", chunk))
                        chunk = []
                if chunk:
                    sender.send(("rows", chunk))
                del sheet
        sender.send(("done",))
    except MemoryError:
        pass  # the parent sees the pipe close and says the file is too big
    except Exception as error:  # calamine raises its own error types per format
        sender.send(("error", type(error).__name__, str(error)[:500]))
    finally:
        sender.close()


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------


def decode_csv(data: bytes) -> str:
    """CSV text in UTF-16 (Excel's "Unicode text", with its BOM), UTF-8 (with or without BOM), else
    Windows-1252 as older Excel and desktop databases save it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("Berkas CSV bukan UTF-8 maupun Windows-1252."))  # unreachable: latin-1 decodes all


def csv_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same number of columns most often.

    csv.Sniffer guesses wrong on offices' exports (a semicolon file with `1,5 jt` in it); counting
    the columns each candidate gives, line by line, does not.
    """
    lines = [line for line in text[: 64 * 1024].splitlines()[:50] if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in CSV_DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        width, lines_of_width = Counter(widths).most_common(1)[0] if widths else (1, 0)
        score = (lines_of_width if width > 1 else 0, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv(data: bytes, *, limits: ReadLimits | None = None, name: str = "CSV") -> list[list[object]]:
    """Rows of a CSV file whatever its delimiter (comma, semicolon, tab, pipe), within the read limits."""
    limits = limits or ReadLimits.from_settings()
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if b"\x00" in data[:4096] and not utf16:
        raise UnreadableFile(
            _(
                "Berkas ini bukan teks CSV (isinya biner). Bila dari Excel, unggah .xlsx-nya atau simpan ulang "
                "sebagai CSV."
            )
        )
    text = decode_csv(data)
    dialect = csv.excel
    delimiter = csv_delimiter(text)
    rows: list[list[object]] = []
    widest = 0
    try:
        for row in csv.reader(io.StringIO(text), dialect, delimiter=delimiter):
            rows.append(row)  # each row is already a list
            if len(row) > widest:
                widest = len(row)
            if len(rows) > limits.rows or widest > limits.columns:
                break
    except csv.Error as error:
        logger.warning("reading CSV %s failed at line %s: %s", name, len(rows) + 1, error)
        raise UnreadableFile(
            _("Berkas CSV rusak di sekitar baris %(line)s (mis. tanda kutip tidak tertutup atau sel terlalu panjang).")
            % {"line": len(rows) + 1}
        ) from error
    if limits.refuses(len(rows), widest):
        raise UnreadableFile(too_large_message(name, len(rows), widest, limits))
    return rows
