"""How a report's tables are written: PDF (WeasyPrint, with charts), xlsx (a sheet per table) and CSV."""

import csv
import io
import re
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import gettext as _

from sentra.core.files import guard_cell, guard_row, new_workbook
from sentra.reports.reports import ProgressReport, Table, Value, format_count, format_date, format_share

SHEET_NAME_LENGTH = 31  # Excel's limit
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def basis_of(report: ProgressReport, table: Table) -> str:
    """Whether the table is the state on the report's day or counted over its period."""
    if table.flow:
        return _("Periode %(period)s") % {"period": report.period_label}
    return _("Keadaan per %(date)s") % {"date": format_date(table.state_on or report.as_of)}


def _generated_at(report: ProgressReport) -> str:
    return formats.date_format(report.generated_at, "j M Y H:i")


class Formatter:
    extension = ""
    content_type = ""

    def render(self, report: ProgressReport) -> bytes:
        raise NotImplementedError


# -- PDF ------------------------------------------------------------------------------------


@dataclass
class PrintedTable:
    number: int
    table: Table
    basis: str
    header: list[tuple[str, str]]  # (label, kind)
    rows: list[list[tuple[str, str]]]  # (text, kind)
    total: list[tuple[str, str]] | None
    chart: str = ""  # an SVG data URI
    wide: bool = False  # printed on a landscape page


def _printed(value: Value, kind: str) -> tuple[str, str]:
    if isinstance(value, str):  # words in a number's place ("belum menggunakan Sentra")
        return value, "text"
    if kind == "count":
        return format_count(value), kind  # type: ignore[arg-type]
    if kind == "share":
        return format_share(value), kind  # type: ignore[arg-type]
    return ("" if value is None else str(value)), kind


def _printed_row(row: list[Value], kinds: list[str]) -> list[tuple[str, str]]:
    return [_printed(value, kind) for value, kind in zip(row, kinds, strict=True)]


class PdfFormatter(Formatter):
    """A4 pages: the office letterhead, the title, each table with its chart, and a signature block."""

    extension = "pdf"
    content_type = "application/pdf"
    template = "reports/progress_report.html"
    WIDE_TABLES = ("rollup",)

    def charts(self, report: ProgressReport) -> dict[str, str]:
        # matplotlib is heavy to import and only the PDF needs it.
        from sentra.reports import charts

        drawn = {}
        for table in report.tables:
            if table.key == "funnel":
                labels, counts, shares = zip(*table.rows, strict=True)
                drawn[table.key] = charts.horizontal_bars(labels, counts, [format_share(share) for share in shares])
            elif table.key == "area" and any(isinstance(row[1], int) for row in table.rows):
                # Bars for the areas using Sentra; the table names the others.
                rows = sorted((row for row in table.rows if isinstance(row[1], int)), key=lambda row: -row[1])
                drawn[table.key] = charts.horizontal_bars([row[0] for row in rows], [row[1] for row in rows])
            elif table.key in ("size", "months") and table.rows:
                drawn[table.key] = charts.vertical_bars([row[0] for row in table.rows], [row[1] for row in table.rows])
        return drawn

    def html(self, report: ProgressReport) -> str:
        """The page WeasyPrint lays out."""
        drawn = self.charts(report)
        printed = []
        for number, table in enumerate(report.tables, start=1):
            kinds = [column.kind for column in table.columns]
            printed.append(
                PrintedTable(
                    number=number,
                    table=table,
                    basis=basis_of(report, table),
                    header=[(column.label, column.kind) for column in table.columns],
                    rows=[_printed_row(row, kinds) for row in table.rows],
                    total=_printed_row(table.total, kinds) if table.total else None,
                    chart=drawn.get(table.key, ""),
                    wide=table.key in self.WIDE_TABLES,
                )
            )
        return render_to_string(
            self.template,
            {
                "report": report,
                "letterhead": report.letterhead,
                "tables": printed,
                "as_of": format_date(report.as_of),
                "signed_on": format_date(report.generated_at.date()),
                "generated_at": _generated_at(report),
            },
        )

    def render(self, report: ProgressReport) -> bytes:
        # WeasyPrint loads pango through cffi when imported; the web pages need neither.
        from weasyprint import HTML

        return HTML(string=self.html(report)).write_pdf()


# -- xlsx -----------------------------------------------------------------------------------


def _shortened(text: str, length: int) -> str:
    """`text` cut to `length` characters, at a word's end when there is one."""
    if len(text) <= length:
        return text
    cut = text[: length + 1].rsplit(" ", 1)[0] if " " in text[:length] else text[:length]
    return cut[:length].rstrip(" ,;-–")


def sheet_names(titles: list[str], taken: set[str]) -> list[str]:
    """Excel-safe, distinct sheet names from the tables' titles."""
    names = []
    for title in titles:
        base = _shortened(SHEET_NAME_FORBIDDEN.sub("-", title).strip(), SHEET_NAME_LENGTH) or _("Tabel")
        name, copy = base, 2
        while name.lower() in taken:
            suffix = f" ({copy})"
            name, copy = base[: SHEET_NAME_LENGTH - len(suffix)] + suffix, copy + 1
        taken.add(name.lower())
        names.append(name)
    return names


class XlsxFormatter(Formatter):
    """A "Ringkasan" sheet (area, period, when and by whom), then one sheet per table."""

    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def render(self, report: ProgressReport) -> bytes:
        buffer = io.BytesIO()
        workbook = new_workbook(buffer, in_memory=True)
        styles = {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "bold": workbook.add_format({"bold": True}),
            "header": workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"}),
            "note": workbook.add_format({"italic": True, "font_color": "#555555"}),
            "text": workbook.add_format({}),
            "count": workbook.add_format({"num_format": "#,##0"}),
            "share": workbook.add_format({"num_format": "0.0%"}),
            "total_text": workbook.add_format({"bold": True, "top": 1}),
            "total_count": workbook.add_format({"bold": True, "top": 1, "num_format": "#,##0"}),
            "total_share": workbook.add_format({"bold": True, "top": 1, "num_format": "0.0%"}),
        }
        summary_name = _("Ringkasan")
        names = sheet_names([table.title for table in report.tables], {summary_name.lower()})
        self._summary(workbook.add_worksheet(summary_name), report, names, styles)
        for name, table in zip(names, report.tables, strict=True):
            self._table(workbook.add_worksheet(name), report, table, styles)
        workbook.close()
        return buffer.getvalue()

    def _summary(self, sheet, report: ProgressReport, names: list[str], styles: dict) -> None:
        sheet.write_string(0, 0, report.title, styles["title"])
        facts = [
            (_("Wilayah"), report.area.name),
            (_("Periode"), report.period_label),
            (_("Keadaan per"), format_date(report.as_of)),
            (_("Dibuat pada"), _generated_at(report)),
            (_("Dibuat oleh"), report.generated_by),
            (_("Kantor"), report.letterhead.office),
        ]
        if report.scope_note:
            facts.append((_("Cakupan"), report.scope_note))
        for row, (label, value) in enumerate(facts, start=2):
            sheet.write_string(row, 0, label, styles["bold"])
            sheet.write_string(row, 1, value)
        row = len(facts) + 3
        sheet.write_string(row, 0, _("Lembar"), styles["header"])
        sheet.write_string(row, 1, _("Isi"), styles["header"])
        sheet.write_string(row, 2, _("Dasar"), styles["header"])
        for offset, (name, table) in enumerate(zip(names, report.tables, strict=True), start=1):
            sheet.write_string(row + offset, 0, name)
            sheet.write_string(row + offset, 1, table.title)
            sheet.write_string(row + offset, 2, basis_of(report, table))
        sheet.set_column(0, 0, 32)
        sheet.set_column(1, 1, 60)
        sheet.set_column(2, 2, 36)

    def _table(self, sheet, report: ProgressReport, table: Table, styles: dict) -> None:
        sheet.write_string(0, 0, table.title, styles["title"])
        sheet.write_string(1, 0, f"{report.area.name} · {basis_of(report, table)}")
        top = 3
        if table.note:
            sheet.write_string(2, 0, table.note, styles["note"])
            top = 4
        kinds = [column.kind for column in table.columns]
        for column, heading in enumerate(table.columns):
            sheet.write_string(top, column, heading.label, styles["header"])
        for offset, row in enumerate(table.rows, start=1):
            for column, (value, kind) in enumerate(zip(row, kinds, strict=True)):
                self._cell(sheet, top + offset, column, value, styles[kind])
        if table.total:
            row_index = top + len(table.rows) + 1
            for column, (value, kind) in enumerate(zip(table.total, kinds, strict=True)):
                self._cell(sheet, row_index, column, value, styles[f"total_{kind}"])
        sheet.freeze_panes(top + 1, 1)
        for column, heading in enumerate(table.columns):
            texts = [heading.label] + [str(row[column] or "") for row in table.rows if heading.kind == "text"]
            width = max(len(text) for text in texts) + 2 if heading.kind == "text" else 14
            sheet.set_column(column, column, min(max(width, 10), 60))

    @staticmethod
    def _cell(sheet, row: int, column: int, value: Value, style) -> None:
        if value is None:
            sheet.write_blank(row, column, None, style)
        elif isinstance(value, str):
            sheet.write_string(row, column, value, style)  # never read as a formula
        else:
            sheet.write_number(row, column, value, style)


# -- CSV ------------------------------------------------------------------------------------


def _csv_value(value: Value, kind: str) -> object:
    if value is None:
        return ""
    if kind == "share":
        return round(value * 100, 1)  # type: ignore[operator]
    return guard_cell(value)  # a label must not run as a formula when the file is opened


class CsvFormatter(Formatter):
    """Every table one after another: its title and basis, its header, its rows, a blank line."""

    extension = "csv"
    content_type = "text/csv; charset=utf-8"

    def render(self, report: ProgressReport) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(guard_row([report.title, report.area.name, report.period_label]))
        writer.writerow(guard_row([_("Dibuat pada"), _generated_at(report), report.generated_by]))
        for table in report.tables:
            kinds = [column.kind for column in table.columns]
            writer.writerow([])
            writer.writerow(guard_row([table.title, basis_of(report, table)]))
            writer.writerow(
                guard_row(
                    [f"{column.label} (%)" if column.kind == "share" else column.label for column in table.columns]
                )
            )
            for row in [*table.rows, *([table.total] if table.total else [])]:
                writer.writerow([_csv_value(value, kind) for value, kind in zip(row, kinds, strict=True)])
        # A BOM, so that Excel reads the file as UTF-8.
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")


FORMATTERS: dict[str, Formatter] = {"pdf": PdfFormatter(), "xlsx": XlsxFormatter(), "csv": CsvFormatter()}
