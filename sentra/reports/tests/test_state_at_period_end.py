"""A report on a past period shows the registry as it stood at the period's end, and says which day.

The hand-counted registry (sentra/dashboards/tests/conftest.py), read back to 30 April 2026:
batik, toko and tahu were registered (kerupuk and warung came in May); tahu was still active
(it closed on 20 May); batik was small (it went back to micro on 1 July); toko was small.
"""

import datetime as dt

import pytest

from sentra.dashboards import selectors
from sentra.reports.formatters import FORMATTERS, basis_of
from sentra.reports.reports import ProgressReport
from sentra.reports.tests.test_reports import rows_by_label, tables_of

pytestmark = pytest.mark.django_db
APRIL = (dt.date(2026, 4, 1), dt.date(2026, 4, 30))


@pytest.fixture
def dated_licences(registry):
    """Toko's PIRT numbers lapsed after September; batik's halal certificate was issued in June."""
    registry["toko"].licences.update(issued_on=dt.date(2025, 1, 1), expires_on=dt.date(2026, 10, 1))
    registry["batik"].licences.filter(kind="halal").update(issued_on=dt.date(2026, 6, 1))
    return registry


def test_the_state_tables_are_read_back_to_the_period_end(dated_licences, users):
    report = ProgressReport(users["blora_officer"], "", *APRIL).gather()
    assert report.as_of == dt.date(2026, 4, 30)
    tables = tables_of(report)
    assert tables["funnel"].rows == [
        ["Terdaftar", 3, 1.0],
        ["Masih beroperasi", 3, 1.0],  # tahu too
        ["Berinovasi", 1, 1 / 3],  # batik
    ]
    area = rows_by_label(tables["area"])
    assert area["Jati"] == [3, 1.0] and area["Randublatung"] == [0, 0.0]  # none there yet
    assert rows_by_label(tables["size"]) == {"Kecil": [2, 2 / 3], "Belum diketahui": [1, 1 / 3]}
    assert rows_by_label(tables["status"]) == {"Aktif": [3, 1.0]}
    assert rows_by_label(tables["licence"]) == {"PIRT": [2, 2 / 3]}  # halal not issued yet
    assert rows_by_label(tables["sex"]) == {"Perempuan": [2, 2 / 3], "Laki-laki": [1, 1 / 3]}
    assert basis_of(report, tables["funnel"]) == "Keadaan per 30 Apr 2026"
    # What is missing from the records is today's, and the flows count the period.
    assert basis_of(report, tables["quality"]) == "Keadaan per 25 Nov 2026"
    assert basis_of(report, tables["months"]).startswith("Periode 1 Apr 2026")
    html = FORMATTERS["pdf"].html(report)
    assert "Tabel keadaan menunjukkan data per 30 Apr 2026" in html
    assert "25 Nov 2026" in html.split('class="signature"')[1]  # signed on the day it is made


def test_a_period_ending_today_reads_todays_figures(dated_licences, users):
    report = ProgressReport(users["blora_officer"], "", dt.date(2026, 7, 1), dt.date(2026, 12, 31)).gather()
    assert report.as_of == dt.date(2026, 11, 25)
    assert rows_by_label(tables_of(report)["licence"]) == {"PIRT": [1, 0.2], "Halal": [1, 0.2]}  # toko's lapsed


def test_licences_held_at_the_end_of_september(dated_licences, users):
    report = ProgressReport(users["blora_officer"], "", dt.date(2026, 7, 1), dt.date(2026, 9, 30)).gather()
    licences = rows_by_label(tables_of(report)["licence"])
    assert licences["PIRT"] == [2, 0.4] and licences["Halal"] == [1, 0.2]
    assert rows_by_label(tables_of(report)["status"]) == {
        "Aktif": [3, 0.6],
        "Tidak aktif sementara": [1, 0.2],
        "Tutup": [1, 0.2],
    }


def test_the_province_rollup_at_a_past_day(dated_licences, users):
    rollup = selectors.province_rollup(users["jateng_officer"], "33", 2026, as_of=dt.date(2026, 4, 30))
    blora = next(row for row in rollup.rows if row.area.code == "33.16")
    assert (blora.registered.count, blora.operating.count, blora.last_registered) == (3, 3, "Mar 2026")
    assert blora.registered_this_year.count == 2  # batik and toko; kerupuk and warung came later
    assert rollup.total.registered.count == 3


def test_a_partner_agency_reads_its_own_scope_back(dated_licences, users):
    report = ProgressReport(users["industry_officer"], "", *APRIL).gather()
    assert tables_of(report)["funnel"].rows[0] == ["Terdaftar", 1, 1.0]  # batik; kerupuk came in May


def test_the_province_files_say_which_regencies_do_not_use_sentra(registry, users):
    import csv
    import io

    from python_calamine import CalamineWorkbook

    report = ProgressReport(users["jateng_officer"], "33", dt.date(2026, 7, 1), dt.date(2026, 9, 30)).gather()
    assert "belum menggunakan Sentra" in FORMATTERS["pdf"].html(report)
    rows = list(csv.reader(io.StringIO(FORMATTERS["csv"].render(report).decode("utf-8-sig"))))
    kudus = [row for row in rows if row and row[0] == "Kabupaten Kudus"]  # by regency, then the roll-up
    assert [row[1] for row in kudus] == ["belum menggunakan Sentra"] * 2
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(FORMATTERS["xlsx"].render(report)))
    sheets = [workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names]
    cells = [cell for sheet in sheets for row in sheet for cell in row]
    assert "belum menggunakan Sentra" in cells
    assert "Keadaan per 30 Sep 2026" in " ".join(str(cell) for cell in cells if cell)


def test_a_business_archived_since_counts_at_the_period_end(registry, users):
    """Archiving hides a business from today's figures; the April report still counts it, as it stood."""
    from sentra.registry.services import archive_business

    officer = users["blora_officer"]
    archive_business(actor=officer, business=registry["toko"], reason="pindah")
    april = tables_of(ProgressReport(officer, "", *APRIL).gather())
    assert april["funnel"].rows[0] == ["Terdaftar", 3, 1.0]  # batik, toko and tahu, as in April
    assert rows_by_label(april["size"]) == {"Kecil": [2, 2 / 3], "Belum diketahui": [1, 1 / 3]}
    today = tables_of(ProgressReport(officer, "", dt.date(2026, 7, 1), dt.date(2026, 12, 31)).gather())
    assert today["funnel"].rows[0] == ["Terdaftar", 4, 1.0]  # five registered, toko archived
    rollup = selectors.province_rollup(users["jateng_officer"], "33", 2026, as_of=dt.date(2026, 4, 30))
    assert next(row for row in rollup.rows if row.area.code == "33.16").registered.count == 3
