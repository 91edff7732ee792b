"""The report pages: asking, generating in the request or on the queue, downloading, and scope."""

import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from conftest import make_user, run_queued_tasks
from sentra.reports import services
from sentra.reports.models import Report, ReportStatus

pytestmark = pytest.mark.django_db

LIST = reverse("reports:report_list")
THIS_YEAR = {"start": "2026-01-01", "end": "2026-11-24"}
# Session, user, office, the areas of the form or the scope check, the reports: pinned, NetBox style.
LIST_QUERIES, DETAIL_QUERIES = 8, 6


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def download(client: Client, report: Report):
    response = client.get(reverse("reports:report_download", args=[report.pk]))
    assert response.status_code == 200, response.status_code
    return response, b"".join(response.streaming_content)


def test_the_form_defaults_to_this_year_in_the_users_area(registry, users):
    response = client_for(users["blora_officer"]).get(LIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<option value="33.16" selected>Kabupaten Blora</option>' in page
    assert '<option value="33.16.01">— Jati</option>' in page
    districts = re.findall(r'<option value="33\.16\.\d+"[^>]*>— ([^<]+)</option>', page)
    assert len(districts) == 16 and districts == sorted(districts)  # A–Z, as the list's filters
    assert 'value="18.09"' not in page
    today = timezone.localdate()
    assert f'name="start" value="{today.year}-01-01"' in page  # ISO, as date pickers want it
    assert f'name="end" value="{today:%Y-%m-%d}"' in page


def test_a_small_report_is_made_in_the_request_and_downloaded(registry, users):
    client = client_for(users["blora_officer"])
    response = client.post(LIST, {"area": "33.16", "format": "pdf", **THIS_YEAR})
    report = Report.objects.get()
    assert response.status_code == 302
    # The report's page says it is done and starts the download.
    assert response["Location"] == reverse("reports:report_detail", args=[report.pk]) + "?unduh=1"
    page = client.get(response["Location"]).content.decode()
    assert "Laporan selesai dibuat; unduhan dimulai." in page
    download_url = reverse("reports:report_download", args=[report.pk])
    assert f'<meta http-equiv="refresh" content="1;url={download_url}">' in page
    assert "http-equiv" not in client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert report.status == ReportStatus.DONE and report.office.code == "dinkop-blora"
    assert report.area_name == "Kabupaten Blora" and report.finished_at is not None
    response, content = download(client, report)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="laporan-perkembangan-umkm-kabupaten-blora-2026-01-01-2026-11-24.pdf"'
    )
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Terdaftar 5 100,0%" in " ".join(text.split())
    listing = client.get(LIST).content.decode()
    assert reverse("reports:report_download", args=[report.pk]) in listing


def test_a_district_report_as_xlsx(registry, users):
    client = client_for(users["blora_viewer"])  # reading is enough to report
    client.post(LIST, {"area": "33.16.02", "format": "xlsx", **THIS_YEAR})
    report = Report.objects.get()
    assert report.area_name == "Randublatung"
    _response, content = download(client, report)
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    funnel = workbook.get_sheet_by_name("Terdaftar, masih beroperasi").to_python()
    assert ["Terdaftar", 2, 1] in funnel  # kerupuk and warung
    assert "Kecamatan" not in workbook.sheet_names  # a district has no sub-areas


def test_a_large_report_goes_through_the_queue(registry, users, settings, django_capture_on_commit_callbacks):
    settings.REPORT_INLINE_MAX_BUSINESSES = 0
    client = client_for(users["jateng_officer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LIST, {"area": "33", "format": "xlsx", **THIS_YEAR})
    report = Report.objects.get()
    detail = reverse("reports:report_detail", args=[report.pk])
    assert response.status_code == 302 and response["Location"] == detail
    assert report.status == ReportStatus.QUEUED and not report.file
    page = client.get(detail).content.decode()
    assert reverse("reports:report_progress", args=[report.pk]) in page and "Menunggu giliran" in page
    assert client.get(reverse("reports:report_download", args=[report.pk])).status_code == 404

    run_queued_tasks()

    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    polled = client.get(reverse("reports:report_progress", args=[report.pk]))
    assert polled.status_code == 204 and polled["HX-Refresh"] == "true"
    assert reverse("reports:report_download", args=[report.pk]) in client.get(detail).content.decode()
    _response, content = download(client, report)
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    rollup = workbook.get_sheet_by_name("Rekap per kabupaten-kota").to_python()
    assert rollup[-1][:4] == ["Jumlah", 5, 3, 2]


def test_a_report_outside_the_users_area_is_refused(registry, users):
    client = client_for(users["blora_officer"])
    assert client.post(LIST, {"area": "18.09", "format": "pdf", **THIS_YEAR}).status_code == 403
    assert client.post(LIST, {"area": "33", "format": "pdf", **THIS_YEAR}).status_code == 403  # the province above
    assert not Report.objects.exists()


def test_only_the_reports_office_downloads_it(registry, users):
    client_for(users["blora_officer"]).post(LIST, {"area": "33.16", "format": "pdf", **THIS_YEAR})
    report = Report.objects.get()
    url = reverse("reports:report_download", args=[report.pk])
    assert client_for(users["blora_admin"]).get(url).status_code == 200
    assert client_for(users["pesawaran_officer"]).get(url).status_code == 403
    # The industry office works in Blora too, but sees only what it fosters: not this report.
    assert client_for(users["industry_officer"]).get(url).status_code == 403
    assert client_for(users["jateng_officer"]).get(url).status_code == 403
    assert client_for(users["superuser"]).get(url).status_code == 200
    outsider = client_for(users["pesawaran_officer"])
    assert outsider.get(reverse("reports:report_detail", args=[report.pk])).status_code == 403
    assert report not in outsider.get(LIST).context["reports"]


def test_a_user_without_an_office_has_no_reports(db):
    assert client_for(make_user("lone", None)).get(LIST).status_code == 403


def test_the_period_is_checked(registry, users):
    client = client_for(users["blora_officer"])
    backwards = client.post(LIST, {"area": "33.16", "format": "pdf", "start": "2026-05-01", "end": "2026-04-01"})
    assert backwards.status_code == 200 and backwards.context["form"].errors["end"]
    future = client.post(LIST, {"area": "33.16", "format": "pdf", "start": "2026-01-01", "end": "2999-01-01"})
    assert future.context["form"].errors["end"]
    for start in ("0001-01-01", "1950-01-01", "2010-01-01"):  # before 1990, or longer than ten years
        long_ago = client.post(LIST, {"area": "33.16", "format": "pdf", "start": start, "end": "2026-11-24"})
        assert long_ago.status_code == 200 and long_ago.context["form"].errors["start"]
    assert not Report.objects.exists()


def test_a_failed_generation_leaves_no_file_and_says_why(registry, users, settings, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("not a directory")
    settings.PRIVATE_MEDIA_ROOT = blocked / "private"  # writing the file fails
    client = client_for(users["blora_officer"])
    response = client.post(LIST, {"area": "33.16", "format": "pdf", **THIS_YEAR})
    report = Report.objects.get()
    assert response["Location"] == reverse("reports:report_detail", args=[report.pk])
    assert report.status == ReportStatus.FAILED and not report.file and report.finished_at
    assert "gagal" in report.error
    page = client.get(response["Location"]).content.decode()
    assert report.error in page and "Coba lagi" in page
    assert client.get(reverse("reports:report_download", args=[report.pk])).status_code == 404
    assert blocked.read_text() == "not a directory"


def test_a_queued_report_fails_when_its_area_left_the_users_scope(registry, users, offices, media):
    officer = users["blora_officer"]
    report = services.request_report(
        user=officer, area_code="33.16", start=dt.date(2026, 1, 1), end=dt.date(2026, 11, 24), format="xlsx"
    )
    officer.office = offices["pesawaran"]  # moved to another office before the worker got to it
    officer.save()
    report = services.generate_report(report.pk)
    assert report.status == ReportStatus.FAILED
    assert report.error == "Wilayah ini di luar wilayah kantor Anda."
    assert not report.file and not any(path.is_file() for path in media.rglob("*"))
    assert services.generate_report(report.pk).status == ReportStatus.FAILED  # not tried again by a second run


def test_generating_twice_does_not_redo_a_done_report(registry, users, media):
    report = services.request_report(
        user=users["blora_officer"], area_code="", start=dt.date(2026, 1, 1), end=dt.date(2026, 11, 24), format="csv"
    )
    done = services.generate_report(report.pk)
    assert done.status == ReportStatus.DONE
    assert services.generate_report(report.pk).file.name == done.file.name
    files = [path for path in media.rglob("*") if path.is_file()]
    assert [path.relative_to(media).as_posix() for path in files] == [done.file.name]
    # Stored under a name nobody can guess; the download keeps the readable one.
    assert "laporan" not in done.file.name and len(files[0].stem) >= 32 and files[0].suffix == ".csv"
    assert done.download_name == "laporan-perkembangan-umkm-kabupaten-blora-2026-01-01-2026-11-24.csv"


def test_query_counts_do_not_grow_with_the_reports(registry, users):
    client = client_for(users["blora_officer"])
    client.post(LIST, {"area": "33.16.01", "format": "csv", **THIS_YEAR})
    report = Report.objects.get()

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    detail = reverse("reports:report_detail", args=[report.pk])
    assert (queries(LIST), queries(detail)) == (LIST_QUERIES, DETAIL_QUERIES)
    for area in ("33.16.02", "33.16", "33.16.01"):
        client.post(LIST, {"area": area, "format": "csv", **THIS_YEAR})
    assert (queries(LIST), queries(detail)) == (LIST_QUERIES, DETAIL_QUERIES)


def test_the_admin_lists_reports_read_only(registry, users):
    client_for(users["blora_officer"]).post(LIST, {"area": "33.16", "format": "csv", **THIS_YEAR})
    client = client_for(users["superuser"])
    assert client.get(reverse("admin:reports_report_changelist")).status_code == 200
    report = Report.objects.get()
    page = client.get(reverse("admin:reports_report_change", args=[report.pk])).content.decode()
    assert 'name="_save"' not in page
