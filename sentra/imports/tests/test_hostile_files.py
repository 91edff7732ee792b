"""Files that would kill or fool the reader are refused with an Indonesian reason and a failed status."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from conftest import run_queued_tasks
from sentra.imports.models import ImportBatch, ImportStatus
from sentra.imports.reading import ReadLimits, UnreadableFile, read_csv, read_workbook
from sentra.imports.tests.test_workflow import sheet_bytes
from sentra.imports.tests.workbooks import far_cell_xlsx
from sentra.linkage.models import Source, SourceStatus

pytestmark = pytest.mark.django_db

TOO_LARGE = "Lembar “Data” berukuran 1.048.576 baris × 16.384 kolom"
LIBRARY_WORDS = ("calamine", "zip", "Zip", "XmlError", "Error", "error:", "invalid")


def test_the_far_cell_workbook_is_refused_before_it_is_loaded(tmp_path):
    path = far_cell_xlsx(tmp_path / "umkm.xlsx")
    assert path.stat().st_size < 2000
    with pytest.raises(UnreadableFile, match=TOO_LARGE):
        read_workbook(path)


def test_a_far_cell_that_the_sheet_does_not_declare_only_kills_the_capped_child(tmp_path):
    path = far_cell_xlsx(tmp_path / "umkm.xlsx", dimension=False)
    with pytest.raises(UnreadableFile, match="terlalu besar atau rusak"):
        read_workbook(path)


def test_a_sheet_over_the_limits_is_refused_from_what_the_reader_found(tmp_path):
    # No <dimension> to trust: the child measures the sheet it loaded, within its memory cap.
    path = far_cell_xlsx(tmp_path / "umkm.xlsx", far="AZ30", dimension=False)
    limits = ReadLimits(rows=1000, columns=40, cells=10_000, memory_bytes=2**31, seconds=60)
    with pytest.raises(UnreadableFile, match="berukuran 30 baris × 52 kolom"):
        read_workbook(path, limits)


def test_the_far_cell_workbook_fails_its_import_check(client, users, django_capture_on_commit_callbacks, tmp_path):
    client.force_login(users["blora_officer"])
    path = far_cell_xlsx(tmp_path / "umkm.xlsx")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:upload"), {"file": SimpleUploadedFile("umkm.xlsx", path.read_bytes())})
    run_queued_tasks()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.FAILED and TOO_LARGE in batch.error
    page = client.get(reverse("imports:batch_detail", args=[batch.pk])).content.decode()
    assert TOO_LARGE in page and "gagal" in page and 'value="retry"' in page


def test_the_far_cell_workbook_fails_its_agency_list(
    client, users, offices, django_capture_on_commit_callbacks, tmp_path
):
    client.force_login(users["blora_officer"])
    path = far_cell_xlsx(tmp_path / "binaan.xlsx")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("linkage:source_upload"),
            {
                "file": SimpleUploadedFile("binaan.xlsx", path.read_bytes()),
                "name": "Binaan Disperin",
                "agency": offices["blora_industry"].pk,
            },
        )
    assert response.status_code == 302  # the request only stored the file
    run_queued_tasks()
    source = Source.objects.get()
    assert source.status == SourceStatus.FAILED and TOO_LARGE in source.error
    assert TOO_LARGE in client.get(response["Location"]).content.decode()


def test_the_far_cell_workbook_is_refused_by_the_command(offices, tmp_path):
    path = far_cell_xlsx(tmp_path / "umkm.xlsx")
    with pytest.raises(CommandError, match=TOO_LARGE):
        call_command("import_businesses", str(path), "--office", "dinkop-blora", "--no-progress")


def _encrypted_lookalike() -> bytes:
    """What Excel writes for a password-protected xlsx: an OLE container holding an EncryptedPackage."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64


def _broken_zip() -> bytes:
    whole = io.BytesIO()
    with zipfile.ZipFile(whole, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>" * 200)
    return whole.getvalue()[:120]  # the archive's end is cut off


@pytest.mark.parametrize(
    "name,content,reason",
    [
        ("umkm.xlsx", b"", "Berkas kosong"),
        ("umkm.csv", b"", "Berkas kosong"),
        ("umkm.xlsx", b"<!DOCTYPE html><html><body><table><tr><td>1</td></tr></table>", "halaman web"),
        ("umkm.xls", b"<html><table><tr><td>NAMA USAHA</td></tr></table></html>", "halaman web"),
        ("umkm.xlsx", b"NAMA PEMILIK;NAMA USAHA;DESA\nSri;Terasi;Gempol\n", "teks \\(seperti CSV\\)"),
        ("umkm.xlsx", _encrypted_lookalike(), "dilindungi kata sandi"),
        ("umkm.xlsx", _broken_zip(), "rusak atau bukan lembar kerja"),
        ("umkm.xlsx", b"PK\x03\x04" + b"\x00" * 200, "rusak atau bukan lembar kerja"),
        ("umkm.ods", b"PK\x03\x04" + b"\x01" * 200, "rusak atau bukan lembar kerja"),
        ("umkm.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "rusak atau bukan lembar kerja"),
        ("umkm.xls", sheet_bytes(["NAMA USAHA"], [["Terasi"]]), "sebenarnya .xlsx"),
        ("umkm.csv", b"NAMA\x00\x01\x02\x03", "bukan teks CSV"),
        ("umkm.csv", b'NAMA,DESA\n"Sri,Gempol\n' + b"x" * (200 * 1024), "Berkas CSV rusak"),
    ],
)
def test_a_broken_or_disguised_file_says_why_in_indonesian(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=reason) as refused:
        read_workbook(path)
    assert not any(word in str(refused.value) for word in LIBRARY_WORDS)


def test_a_refused_upload_fails_and_shows_no_library_text(client, users, django_capture_on_commit_callbacks):
    client.force_login(users["blora_officer"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:upload"), {"file": SimpleUploadedFile("umkm.xlsx", b"PK\x03\x04" + b"\0" * 99)})
    run_queued_tasks()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.FAILED and "rusak atau bukan lembar kerja" in batch.error
    assert batch.get_status_display() == "gagal"


def test_csv_within_and_beyond_the_row_and_column_limits():
    limits = ReadLimits(rows=3, columns=2, cells=6, memory_bytes=2**30, seconds=10)
    assert read_csv(b"a,b\n1,2\n3,4\n", limits=limits) == [["a", "b"], ["1", "2"], ["3", "4"]]
    with pytest.raises(UnreadableFile, match="baris × 2 kolom"):
        read_csv(b"a,b\n1,2\n3,4\n5,6\n", limits=limits, name="umkm")
    with pytest.raises(UnreadableFile, match="1 baris × 3 kolom"):
        read_csv(b"a,b,c\n", limits=limits, name="umkm")


def test_a_sheet_offset_from_a1_reads_as_the_file_has_it(tmp_path):
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    path = tmp_path / "geser.xlsx"
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet("Kec. Jati")
    sheet.write_row(2, 1, ["NAMA PEMILIK", "", "NAMA USAHA"])
    sheet.write_row(3, 2, ["x", "Terasi"])
    workbook.close()
    (read,) = read_workbook(path)
    expected = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Kec. Jati").to_python(skip_empty_area=False)
    assert read.name == "Kec. Jati" and read.rows == expected
