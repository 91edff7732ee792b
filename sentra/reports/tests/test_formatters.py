"""The files: the PDF renders with its letterhead and totals, the xlsx has a sheet per table, the CSV every table."""

import csv
import io
import re

import pytest
from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from sentra.reports.formatters import FORMATTERS, sheet_names
from sentra.reports.reports import ProgressReport
from sentra.reports.tests.conftest import THIS_YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def blora_report(registry, users) -> ProgressReport:
    return ProgressReport(users["blora_officer"], "", *THIS_YEAR).gather()


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), re.sub(r"\s+", " ", text)


def test_pdf_renders_with_letterhead_tables_and_totals(blora_report):
    content = FORMATTERS["pdf"].render(blora_report)
    assert content.startswith(b"%PDF-")
    pages, text = pdf_text(content)
    assert pages >= 2
    assert "PEMERINTAH KABUPATEN BLORA" in text
    assert "LAPORAN PERKEMBANGAN UMKM" in text  # the title is printed in capitals
    assert "Periode 1 Jan 2026 – 24 Nov 2026" in text
    assert "Terdaftar 5 100,0%" in text
    assert "Masih beroperasi 3 60,0%" in text
    assert "Berinovasi 2 40,0%" in text
    assert "Tabel 12. Pendaftaran baru dan perubahan status per bulan" in text
    assert "Jumlah 4 0 1 1 0" in text  # the months' total row
    assert "Kepala Dinkop Blora" in text


def test_pdf_html_carries_a_chart_per_drawn_table(blora_report):
    page = FORMATTERS["pdf"].html(blora_report)
    assert page.count('src="data:image/svg+xml;base64,') == 4  # funnel, districts, size, months
    assert "<script" not in page


def test_a_province_pdf_prints_the_rollup_on_a_landscape_page(registry, users):
    report = ProgressReport(users["jateng_officer"], "33", *THIS_YEAR).gather()
    reader = PdfReader(io.BytesIO(FORMATTERS["pdf"].render(report)))
    shapes = ["wide" if page.mediabox.width > page.mediabox.height else "upright" for page in reader.pages]
    assert "wide" in shapes and shapes[0] == "upright" and shapes[-1] == "upright"
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "PEMERINTAH PROVINSI JAWA TENGAH" in text
    assert "Rekap per kabupaten/kota" in text


def test_xlsx_has_a_summary_and_a_sheet_per_table(blora_report):
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(FORMATTERS["xlsx"].render(blora_report)))
    assert workbook.sheet_names == [
        "Ringkasan",
        "Terdaftar, masih beroperasi",  # Excel's names are at most 31 characters
        "Kecamatan",
        "Kategori KBLI",
        "Skala usaha",
        "Tahap perkembangan",
        "Status usaha",
        "Jenis kelamin pemilik",
        "Dibina oleh",
        "Izin-sertifikat dimiliki",
        "Naik skala usaha",
        "Naik tahap perkembangan",
        "Pendaftaran baru dan perubahan",
        "Mutu data",
    ]
    summary = workbook.get_sheet_by_name("Ringkasan").to_python()
    facts = {row[0]: row[1] for row in summary if row and row[0]}
    assert facts["Wilayah"] == "Kabupaten Blora"
    assert facts["Periode"] == "1 Jan 2026 – 24 Nov 2026"
    assert facts["Dibuat oleh"] == "blora_officer"

    def rows(sheet: str) -> list[list]:
        return workbook.get_sheet_by_name(sheet).to_python()

    funnel = rows("Terdaftar, masih beroperasi")
    assert funnel[0][0] == "Terdaftar, masih beroperasi, berinovasi"
    assert ["Terdaftar", 5, 1] in funnel and ["Berinovasi", 2, 0.4] in funnel
    assert rows("Skala usaha")[-1] == ["Jumlah", 5, 1]
    assert rows("Pendaftaran baru dan perubahan")[-1] == ["Jumlah", 4, 0, 1, 1, 0]
    assert rows("Kecamatan")[-1] == ["Jumlah", 5, 1]


def test_csv_lists_every_table(blora_report):
    content = FORMATTERS["csv"].render(blora_report)
    assert content.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    titles = [line[0] for line in lines if len(line) == 2 and line[1].startswith(("Keadaan per", "Periode"))]
    assert titles == [table.title for table in blora_report.tables]
    assert ["Terdaftar", "5", "100.0"] in lines
    assert ["Jumlah", "4", "0", "1", "1", "0"] in lines


def test_sheet_names_are_excel_safe_and_distinct():
    titles = ["Izin/sertifikat dimiliki", "A" * 40, "A" * 40, "Ringkasan", "Satu dua tiga empat lima enam tujuh"]
    names = sheet_names(titles, {"ringkasan"})
    assert names[0] == "Izin-sertifikat dimiliki"
    assert names[1] == "A" * 31 and names[2] == "A" * 27 + " (2)"
    assert names[3] == "Ringkasan (2)"
    assert names[4] == "Satu dua tiga empat lima enam"
    assert all(len(name) <= 31 for name in names)
