"""No file Sentra writes runs a formula: CSV cells are guarded, xlsx strings stay strings (read back from the files)."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from conftest import make_user
from sentra.core.files import guard_cell
from sentra.dashboards.tests.conftest import registry, today  # noqa: F401  (the fixtures, shared)
from sentra.imports.rejects import rejected_rows_xlsx
from sentra.imports.rows import ParsedRow
from sentra.imports.tests.workbooks import formula_cells
from sentra.registry import exports
from sentra.reports import services

HYPERLINK = '=HYPERLINK("http://evil.example","kolom")'


@pytest.mark.parametrize(
    "cell,guarded",
    [
        (HYPERLINK, "'" + HYPERLINK),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t'=1"),
        ("\r=1", "'\r=1"),
        ("x;=1+1", "x;'=1+1"),  # split by a semicolon Excel into "x" and a live formula
        ("x,=1+1", "x,'=1+1"),
        ("x|@cmd", "x|'@cmd"),
        ("x\t+1+1", "x\t'+1+1"),
        ("x;  =1", "x;  '=1"),  # spaces before the formula do not hide it
        ("=", "'="),
        # Left as typed: signed numbers (a phone in E.164, a negative amount) and ordinary text.
        ("+6281234567890", "+6281234567890"),
        ("-1500", "-1500"),
        ("-12,5", "-12,5"),
        ("0812-3456-7890", "0812-3456-7890"),
        ("Jl. Merdeka - Blora", "Jl. Merdeka - Blora"),
        ("HP: +6281234567890; -", "HP: +6281234567890; '-"),
        ("Sri Wahyuni", "Sri Wahyuni"),
        ("", ""),
        (-5, -5),
        (None, None),
    ],
)
def test_guard_cell(cell, guarded):
    assert guard_cell(cell) == guarded


def test_the_rejects_xlsx_writes_a_formula_header_and_cells_as_text(tmp_path):
    labels = [HYPERLINK, "NIK", "=1+1"]
    rows = [ParsedRow(sheet="=Data", number=2, cells=["@SUM(A1)", "3316015205850001", "+1"], errors={"_": "x"})]
    path = tmp_path / "ditolak.xlsx"
    path.write_bytes(rejected_rows_xlsx({"=Data": labels}, rows, full_nik=True))
    assert formula_cells(path) == []
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("=Data").to_python()
    assert sheet[0][:3] == labels and sheet[1][:3] == ["@SUM(A1)", "3316015205850001", "+1"]
    assert sheet[1][3] == "=Data"


def hostile_row(layout: exports.Layout) -> list[object]:
    """A value of each column's kind, the text ones looking like formulas."""
    values = {
        "text": HYPERLINK,
        "code": "+6281234567890",
        "integer": -5,
        "money": -1500,
        "decimal": Decimal("-6.9"),
        "date": dt.date(2026, 1, 2),
        "datetime": dt.datetime(2026, 1, 2, 3, 4),
    }
    return [values[column.kind] for column in layout.columns]


def test_the_registry_csv_guards_every_text_cell_and_keeps_numbers_and_phones():
    layout = exports.canonical_layout(full_nik=False)
    typed = [column.kind in ("text", "code") for column in layout.columns]
    semicolons = ["x;=1+1" if is_text else None for is_text in typed]
    text = "".join(exports.csv_chunks(layout, [[hostile_row(layout), semicolons]]))
    header, first, second = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    for column, value, semicolon in zip(layout.columns, first, second, strict=True):
        if column.kind == "text":
            assert value == "'" + HYPERLINK
        elif column.kind == "code":
            assert value == "+6281234567890"  # an E.164 phone, as the officer expects it
        elif column.kind in ("integer", "money"):
            assert value.startswith("-") and value.lstrip("-").isdigit()
        assert semicolon == ("x;'=1+1" if column.kind in ("text", "code") else "")
    assert header == layout.headers


def test_the_registry_xlsx_has_no_formula_cells(tmp_path):
    layout = exports.sidt_layout(full_nik=True)
    path = tmp_path / "umkm.xlsx"
    with path.open("wb") as file:
        exports.write_xlsx(layout, [[hostile_row(layout)]], file, "SIDT")
    assert formula_cells(path) == []
    row = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("SIDT").to_python()[1]
    kinds = [column.kind for column in layout.columns]
    assert row[kinds.index("text")] == HYPERLINK and row[kinds.index("code")] == "+6281234567890"


@pytest.mark.django_db
@pytest.mark.usefixtures("registry")
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_reports_write_a_formula_looking_name_as_text(offices, file_format, private_media):
    user = make_user("rumus", offices["blora"], first_name='=HYPERLINK("http://evil.example"', last_name="x;=1+1")
    report = services.request_report(
        user=user, area_code="33.16", start=dt.date(2026, 1, 1), end=dt.date(2026, 11, 24), format=file_format
    )
    report = services.generate_report(report.pk)
    path = private_media / report.file.name
    if file_format == "xlsx":
        assert formula_cells(path) == []
        summary = CalamineWorkbook.from_path(str(path)).sheet_names[0]
        cells = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(summary).to_python()
        assert ['=HYPERLINK("http://evil.example" x;=1+1'] in [row[1:2] for row in cells]
    else:
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        assert rows[1][2] == "'=HYPERLINK(\"http://evil.example\" x;'=1+1"
