"""Private files are served only to those their own pages allow, never as public media; photos stay public."""

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from sentra.audit.models import ExportKind, ExportLog
from sentra.core.storage import move_to_private_storage, private_storage
from sentra.imports.models import ImportBatch, ImportRow, ImportStatus, RowOutcome
from sentra.linkage.models import Source, SourceStatus
from sentra.reports.models import Report, ReportStatus

pytestmark = pytest.mark.django_db

NIK = "3316015205850001"
LABELS = ["NAMA PEMILIK", "NIK", "NAMA USAHA", "NO HP"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def files(offices, users):
    """A finished import with a rejected row, an agency list and a report of Blora, each with its file."""
    blora = offices["blora"]
    batch = ImportBatch(
        office=blora,
        created_by=users["blora_officer"],
        file_name="umkm blora.csv",
        status=ImportStatus.DONE,
        labels=LABELS,
        sheet_labels={"Data": LABELS},
        rejected_count=1,
    )
    batch.file.save("umkm blora.csv", ContentFile(f"NAMA PEMILIK,NIK\nSri,{NIK}\n".encode()), save=False)
    batch.save()
    ImportRow.objects.create(
        batch=batch,
        sheet="Data",
        number=2,
        outcome=RowOutcome.REJECTED,
        reasons={"village": "Desa tidak ada"},
        cells=["Sri", float(NIK), '=HYPERLINK("http://evil.example","kolom")', "+6281234567890"],
    )
    source = Source(
        office=blora,
        agency=offices["blora_industry"],
        name="Binaan Disperin",
        file_name="binaan.csv",
        status=SourceStatus.LINKED,
        record_count=1,
        created_by=users["blora_officer"],
    )
    source.file.save("binaan.csv", ContentFile(f"NAMA USAHA,NIK\nTerasi,{NIK}\n".encode()), save=False)
    source.save()
    report = Report(
        office=blora,
        created_by=users["blora_officer"],
        area_code="33.16",
        area_name="Kabupaten Blora",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 11, 24),
        format="csv",
        status=ReportStatus.DONE,
    )
    report.file.save("laporan.csv", ContentFile(b"Laporan,Blora\n"), save=False)
    report.save()
    return {"batch": batch, "source": source, "report": report}


def urls(files) -> dict[str, str]:
    return {
        "rejects": reverse("imports:batch_rejects", args=[files["batch"].pk]),
        "source": reverse("linkage:source_file", args=[files["source"].pk]),
        "report": reverse("reports:report_download", args=[files["report"].pk]),
    }


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_private_files_are_stored_outside_media_under_unguessable_names(files, media, private_media):
    for item in files.values():
        assert (private_media / item.file.name).is_file() and not (media / item.file.name).exists()
        stem = item.file.name.rsplit("/", 1)[-1].split(".")[0]
        assert len(stem) >= 32 and stem not in ("umkm blora", "binaan", "laporan")
        assert item.file.url == ""  # no public address at all


def test_anonymous_users_and_other_offices_get_no_private_file(files, users):
    for name, url in urls(files).items():
        anonymous = client_for().get(url)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("accounts:login")), name
        other = client_for(users["pesawaran_officer"]).get(url)
        assert other.status_code in (403, 404), name
    assert not ExportLog.objects.exists()


def test_the_old_public_paths_are_gone_even_with_the_file_there(files, media, client):
    for folder in ("imports", "reports", "sources"):
        stale = media / folder / "2026" / "01" / "umkm.csv"
        stale.parent.mkdir(parents=True)
        stale.write_text(f"NIK\n{NIK}\n")
        assert client.get(f"/media/{folder}/2026/01/umkm.csv").status_code == 404
    for item in files.values():  # nor is a private file reachable by its own name under /media/
        assert client.get(f"/media/{item.file.name}").status_code == 404
    assert client.get("/media/../db.sqlite3").status_code == 404


def test_the_owning_office_downloads_and_each_download_is_recorded(files, users):
    officer, admin, viewer = users["blora_officer"], users["blora_admin"], users["blora_viewer"]
    report = client_for(officer).get(urls(files)["report"])
    assert report.status_code == 200 and b"".join(report.streaming_content) == b"Laporan,Blora\n"
    assert report["Cache-Control"] == "private, no-store"
    assert "laporan-perkembangan-umkm-kabupaten-blora" in report["Content-Disposition"]

    source = client_for(admin).get(urls(files)["source"])
    assert source.status_code == 200 and NIK.encode() in b"".join(source.streaming_content)
    assert source["Cache-Control"] == "private, no-store" and 'filename="binaan.csv"' in source["Content-Disposition"]
    # The list as uploaded has full NIKs: an officer or viewer of the office may not take it.
    assert client_for(officer).get(urls(files)["source"]).status_code == 403
    assert client_for(viewer).get(urls(files)["source"]).status_code == 403

    rejects = client_for(viewer).get(urls(files)["rejects"])
    assert rejects.status_code == 200 and rejects["Cache-Control"] == "private, no-store"
    logs = {(log.kind, log.actor.username): log for log in ExportLog.objects.all()}
    assert set(logs) == {
        (ExportKind.REPORT, "blora_officer"),
        (ExportKind.SOURCE, "blora_admin"),
        (ExportKind.REJECTS, "blora_viewer"),
    }
    assert logs[(ExportKind.SOURCE, "blora_admin")].full_nik and logs[(ExportKind.SOURCE, "blora_admin")].row_count == 1
    assert not logs[(ExportKind.REJECTS, "blora_viewer")].full_nik
    assert logs[(ExportKind.REJECTS, "blora_viewer")].row_count == 1
    assert logs[(ExportKind.REPORT, "blora_officer")].office_id == officer.office_id


def rejects_rows(response) -> list[list[object]]:
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    return workbook.get_sheet_by_name("Data").to_python()


def test_rejects_mask_the_nik_except_for_office_admins(files, users):
    url = urls(files)["rejects"]
    for user in ("blora_viewer", "blora_officer"):
        row = rejects_rows(client_for(users[user]).get(url))[1]
        assert row[1] == "331601**********" and NIK not in str(row)
    row = rejects_rows(client_for(users["blora_admin"]).get(url))[1]
    assert row[1] == float(NIK)  # as the file had it, for the admin to fix
    assert ExportLog.objects.filter(kind=ExportKind.REJECTS, full_nik=True).count() == 1


def test_the_front_server_can_send_private_files(files, users, settings):
    settings.PRIVATE_MEDIA_SERVER = "nginx"
    response = client_for(users["blora_officer"]).get(urls(files)["report"])
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/private-media/{files['report'].file.name}"
    assert response["Cache-Control"] == "private, no-store" and "attachment" in response["Content-Disposition"]
    settings.PRIVATE_MEDIA_SERVER = "apache"
    response = client_for(users["blora_officer"]).get(urls(files)["report"])
    assert response["X-Sendfile"] == files["report"].file.path


def test_a_missing_private_file_is_a_404(files, users):
    files["report"].file.storage.delete(files["report"].file.name)
    assert client_for(users["blora_officer"]).get(urls(files)["report"]).status_code == 404


def test_product_photos_are_served_with_debug_off(settings, media, client):
    settings.DEBUG = False
    photo = media / "products" / "2026" / "01" / "keripik.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8\xff\xe0 a jpeg")
    response = client.get("/media/products/2026/01/keripik.jpg")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"\xff\xd8\xff\xe0 a jpeg"
    assert response["Content-Type"] == "image/jpeg" and response["Cache-Control"].startswith("public, max-age=")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get("/media/products/2026/01/none.jpg").status_code == 404


def test_files_already_in_public_media_move_to_private_storage(offices, media, private_media):
    old = media / "imports" / "2025" / "12" / "umkm_blora.csv"
    old.parent.mkdir(parents=True)
    old.write_text(f"NIK\n{NIK}\n")
    batch = ImportBatch.objects.create(
        office=offices["blora"], file_name="umkm_blora.csv", file=str(old.relative_to(media))
    )
    gone = ImportBatch.objects.create(
        office=offices["blora"], file_name="hilang.csv", file="imports/2025/12/hilang.csv"
    )
    assert move_to_private_storage(ImportBatch.objects.all(), "file", "imports") == 1
    batch.refresh_from_db()
    gone.refresh_from_db()
    assert not old.exists() and private_storage().exists(batch.file.name) and "umkm_blora" not in batch.file.name
    assert (private_media / batch.file.name).read_text() == f"NIK\n{NIK}\n"
    assert gone.file.name == "imports/2025/12/hilang.csv"  # nothing to move: left as it was
    assert move_to_private_storage(ImportBatch.objects.all(), "file", "imports") == 0  # run twice, moves once
