"""The report's tables against the hand count of the dashboards' registry, for each kind of user."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from sentra.reports.reports import ProgressReport, format_count, format_share, letterhead_of, months_between
from sentra.reports.tests.conftest import THIS_YEAR

pytestmark = pytest.mark.django_db


def tables_of(report: ProgressReport) -> dict:
    return {table.key: table for table in report.tables}


def rows_by_label(table) -> dict:
    return {row[0]: row[1:] for row in table.rows}


def test_regency_report_tables(registry, users):
    report = ProgressReport(users["blora_officer"], "", *THIS_YEAR).gather()
    assert report.area.name == "Kabupaten Blora"
    tables = tables_of(report)
    assert list(tables) == [
        "funnel",
        "area",
        "section",
        "size",
        "maturity",
        "status",
        "sex",
        "office",
        "licence",
        "moves_size",
        "moves_maturity",
        "months",
        "quality",
    ]  # no roll-up below a province
    assert tables["funnel"].rows == [["Terdaftar", 5, 1.0], ["Masih beroperasi", 3, 0.6], ["Berinovasi", 2, 0.4]]
    area = rows_by_label(tables["area"])
    assert area["Jati"] == [3, 0.6] and area["Randublatung"] == [2, 0.4]
    assert tables["area"].total == ["Jumlah", 5, 1.0]
    assert rows_by_label(tables["size"]) == {"Mikro": [2, 0.4], "Kecil": [2, 0.4], "Belum diketahui": [1, 0.2]}
    assert tables["size"].total == ["Jumlah", 5, 1.0]
    assert rows_by_label(tables["status"])["Tutup"] == [1, 0.2]
    # A business may be fostered by two offices or hold two licences: those tables have no total.
    assert tables["office"].total is None and tables["licence"].total is None
    assert rows_by_label(tables["moves_size"]) == {"Mikro → Kecil": [1, 1.0]}
    assert tables["moves_maturity"].total == ["Jumlah", 1, 1.0]
    assert all(not table.flow for key, table in tables.items() if key not in ("moves_size", "moves_maturity", "months"))


def test_months_of_the_period(registry, users):
    report = ProgressReport(users["blora_officer"], "", *THIS_YEAR).gather()
    months = tables_of(report)["months"]
    assert months.flow
    assert [column.label for column in months.columns] == [
        "Bulan",
        "Pendaftaran baru",
        "Menjadi aktif",
        "Menjadi tidak aktif sementara",
        "Menjadi tutup",
        "Menjadi pindah",
    ]
    assert len(months.rows) == 11  # January to November 2026; tahu's December 2025 registration is outside
    by_month = rows_by_label(months)
    assert by_month["Mar 2026"] == [2, 0, 0, 0, 0]
    assert by_month["Mei 2026"] == [2, 0, 0, 1, 0]  # kerupuk and warung registered; tahu closed
    assert by_month["Jun 2026"] == [0, 0, 1, 0, 0]  # warung went dormant
    assert months.total == ["Jumlah", 4, 0, 1, 1, 0]
    assert "bulan kalender" in months.note  # 24 November is not a month's end


def test_a_shorter_period_counts_its_months_only(registry, users):
    report = ProgressReport(users["blora_officer"], "33.16", dt.date(2026, 5, 1), dt.date(2026, 5, 31)).gather()
    months = tables_of(report)["months"]
    assert months.rows == [["Mei 2026", 2, 0, 0, 1, 0]]
    assert "bulan kalender" not in months.note
    assert tables_of(report)["moves_size"].rows == []  # toko moved up in April


def test_province_report_has_the_rollup(registry, users):
    report = ProgressReport(users["jateng_officer"], "33", *THIS_YEAR).gather()
    tables = tables_of(report)
    assert list(tables)[:3] == ["funnel", "area", "rollup"]
    rollup = tables["rollup"]
    labels = [column.label for column in rollup.columns][-3:]
    assert labels == ["Didaftarkan 2026", "Didaftarkan 2025", "Pendaftaran terakhir"]
    blora = rows_by_label(rollup)["Kabupaten Blora"]
    # registered, operating, innovating, micro, small, medium, large, unknown, women, 2026, 2025, last
    assert blora == [5, 3, 2, 2, 2, 0, 0, 1, 3, 4, 1, "Mei 2026"]
    assert rollup.total == ["Jumlah", 5, 3, 2, 2, 2, 0, 0, 1, 3, 4, 1, "Mei 2026"]
    assert len(rollup.rows) == 35  # every regency of Central Java, most not using Sentra yet
    kudus = rows_by_label(rollup)["Kabupaten Kudus"]
    assert kudus == ["belum menggunakan Sentra", *[None] * 10, ""]


def test_country_report_for_a_superuser(registry, users):
    report = ProgressReport(users["superuser"], "", *THIS_YEAR).gather()
    assert report.area.name == "Indonesia"
    tables = tables_of(report)
    assert tables["funnel"].rows[0] == ["Terdaftar", 6, 1.0]
    assert {row[0]: row[1] for row in tables["rollup"].rows} == {"Lampung": 1, "Jawa Tengah": 5}
    assert report.letterhead.office == "Sentra" and not report.letterhead.signatory


def test_a_partner_agency_reports_on_what_it_fosters(registry, users):
    report = ProgressReport(users["industry_officer"], "", *THIS_YEAR).gather()
    assert tables_of(report)["funnel"].rows[0] == ["Terdaftar", 2, 1.0]  # batik and kerupuk
    assert "Disperin Blora" in report.scope_note
    assert tables_of(report)["quality"].rows[0] == ["UMKM diperiksa", 2, 1.0]


def test_quality_summary(registry, users):
    report = ProgressReport(users["blora_officer"], "", *THIS_YEAR).gather()
    quality = rows_by_label(tables_of(report)["quality"])
    assert quality["UMKM diperiksa"] == [5, 1.0]
    assert quality["Pemilik tanpa NIK"] == [1, 0.2]  # tahu


def test_an_area_outside_the_users_is_refused(registry, users):
    with pytest.raises(PermissionDenied):
        ProgressReport(users["blora_officer"], "18.09", *THIS_YEAR).gather()
    with pytest.raises(PermissionDenied):
        ProgressReport(users["blora_officer"], "33", *THIS_YEAR).gather()  # the province above


def test_letterheads(offices):
    regency = letterhead_of(offices["blora"])
    assert regency.government == "PEMERINTAH KABUPATEN BLORA"
    assert regency.place == "Blora"
    assert regency.signatory == "Kepala Dinkop Blora"
    province = letterhead_of(offices["jateng"])
    assert province.government == "PEMERINTAH PROVINSI JAWA TENGAH"
    assert province.place == ""
    assert letterhead_of(None).government == ""


def test_indonesian_number_formats():
    assert format_count(1234567) == "1.234.567"
    assert format_count(0) == "0"
    assert format_share(0.1234) == "12,3%"
    assert format_share(1.0) == "100,0%"
    assert format_share(None) == ""
    assert format_share(2 / 9189) == "<0,1%"  # as the dashboards write it: not "0,0%", which reads as none


def test_months_between_crosses_years():
    assert months_between(dt.date(2025, 11, 20), dt.date(2026, 2, 1)) == ["2025-11", "2025-12", "2026-01", "2026-02"]
