"""The browser flow on the real task queue: upload → check → preview → confirm → import → undo."""

import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from conftest import run_queued_tasks
from sentra.imports.models import ImportBatch, ImportStatus, ImportTemplate
from sentra.imports.tests.test_import_file import GOOD, HEADER, write_sheet
from sentra.registry.models import Business, Person
from sentra.registry.services import update_business

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, path, template=None, capture=None):
    data = {"file": SimpleUploadedFile(path.name, path.read_bytes())}
    if template is not None:
        data["template"] = template.pk
    response = client.post(reverse("imports:upload"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.latest("id")


def act(client, batch, **data):
    return client.post(reverse("imports:batch_action", args=[batch.pk]), data)


def sheet_bytes(header, rows) -> bytes:
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = workbook.add_worksheet("Data")
    sheet.write_row(0, 0, header)
    for number, row in enumerate(rows, start=1):
        sheet.write_row(number, 0, row)
    workbook.close()
    return output.getvalue()


@pytest.fixture
def officer(client, users):
    client.force_login(users["blora_officer"])
    return client


@pytest.fixture
def messy(tmp_path):
    rows = [
        *GOOD,
        [],
        [4, "Budi", 3316011203900000.0, "Warung Budi", "", "Bangkleyan", "Jati", "", ""],  # NIK damaged by Excel
        ["JUMLAH", "", "", "", "", "", "", "200000000", ""],
    ]
    return write_sheet(tmp_path / "umkm_blora.xlsx", rows)


def test_upload_preview_confirm_import_download_rejects_and_undo(officer, messy, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        batch = upload(officer, messy)
    assert batch.status == ImportStatus.UPLOADED and not Business.objects.exists()
    page = officer.get(reverse("imports:batch_detail", args=[batch.pk])).content.decode()
    assert 'id="progress"' in page  # the page polls until the worker is done

    run_queued_tasks()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED
    assert batch.preview["counts"] == {"created": 3, "updated": 0, "skipped": 2, "rejected": 1, "warned": 0}
    assert not Business.objects.exists()  # checking writes nothing
    page = officer.get(reverse("imports:batch_detail", args=[batch.pk])).content.decode()
    assert "Pratinjau" in page and "Ubah format kolom NIK menjadi Teks" in page and "Impor 3 UMKM" in page

    with django_capture_on_commit_callbacks(execute=True):
        act(officer, batch, action="import")
    batch.refresh_from_db()
    assert batch.status == ImportStatus.QUEUED
    run_queued_tasks()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE and batch.created_count == 3 and batch.rejected_count == 1
    assert Business.objects.count() == 3
    page = officer.get(reverse("imports:batch_detail", args=[batch.pk])).content.decode()
    assert "Impor selesai" in page and "Terasi Bu Sri" in page

    response = officer.get(reverse("imports:batch_rejects", args=[batch.pk]))
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    rows = workbook.get_sheet_by_index(0).to_python()
    assert rows[0][: len(HEADER)] == HEADER and rows[1][1] == "Budi"
    assert "Ubah format kolom NIK menjadi Teks" in rows[1][-1]

    response = officer.post(reverse("imports:batch_undo", args=[batch.pk]), {"sure": "on"})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.UNDONE and batch.undone_by.username == "blora_officer"
    assert not Business.objects.exists() and not Person.objects.exists()


def test_a_wrong_mapping_is_corrected_in_the_preview_and_saved_as_a_template(
    officer, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "rekap.xlsx"
    path.write_bytes(
        sheet_bytes(
            ["PEMILIK", "NM. USH", "DESA", "KECAMATAN"],
            [["Sri Wahyuni", "Terasi Bu Sri", "Bangkleyan", "Jati"], ["Ahmad", "Mebel Ahmad", "Gempol", "Jati"]],
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        batch = upload(officer, path)
    run_queued_tasks()
    batch.refresh_from_db()
    # "NM. USH" is no known spelling: the check fails, says which field is missing and still lists the
    # columns, and the page offers the mapping to correct.
    assert batch.status == ImportStatus.FAILED and "Nama usaha" in batch.error
    assert {c["key"]: c["field"] for c in batch.preview["columns"]}["nm ush"] == ""
    page = officer.get(reverse("imports:batch_detail", args=[batch.pk])).content.decode()
    assert 'name="map-nm ush"' in page and 'value="recheck"' in page and "gagal" in page

    with django_capture_on_commit_callbacks(execute=True):
        act(officer, batch, action="recheck", **{"map-nm ush": "business_name"})
    run_queued_tasks()
    batch.refresh_from_db()
    assert batch.error == "" and batch.preview["counts"]["created"] == 2

    act(officer, batch, action="template", template_name="Rekap kecamatan", **{"map-nm ush": "business_name"})
    template = ImportTemplate.objects.get(office=batch.office, name="Rekap kecamatan")
    assert template.mapping["nm ush"] == "business_name"

    # The next file of the same layout maps at once through the template.
    again = tmp_path / "rekap-2.xlsx"
    again.write_bytes(sheet_bytes(["PEMILIK", "NM. USH", "DESA"], [["Siti", "Kue Siti", "Gempol"]]))
    with django_capture_on_commit_callbacks(execute=True):
        second = upload(officer, again, template=template)
    run_queued_tasks()
    second.refresh_from_db()
    assert second.error == "" and second.preview["counts"]["created"] == 1


def test_a_kbli_suggestion_applies_only_when_accepted(officer, tmp_path, django_capture_on_commit_callbacks):
    path = tmp_path / "kegiatan.xlsx"
    path.write_bytes(
        sheet_bytes(
            ["NAMA PEMILIK", "NAMA USAHA", "JENIS USAHA", "DESA"],
            [
                ["Sri", "Keripik Sri", "Pembuatan keripik singkong", "Bangkleyan"],
                ["Ani", "Keripik Ani", "Pembuatan keripik singkong", "Gempol"],
                ["Budi", "Bengkel Budi", "bengkel sepeda motor", "Gempol"],
            ],
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        batch = upload(officer, path)
    run_queued_tasks()
    batch.refresh_from_db()
    suggestions = {s["text"]: s for s in batch.preview["suggestions"]}
    keripik = suggestions["Pembuatan keripik singkong"]
    assert keripik["rows"] == 2 and keripik["code"] == "10794"

    # Accept the keripik suggestion only; importing with a new choice checks again first.
    with django_capture_on_commit_callbacks(execute=True):
        act(officer, batch, action="import", **{f"accept-{keripik['key']}": "1", f"kbli-{keripik['key']}": "10794"})
    run_queued_tasks()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED and batch.kbli_choices == {keripik["key"]: "10794"}
    with django_capture_on_commit_callbacks(execute=True):
        act(officer, batch, action="import", **{f"accept-{keripik['key']}": "1", f"kbli-{keripik['key']}": "10794"})
    run_queued_tasks()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE
    assert set(Business.objects.values_list("name", "kbli_id")) == {
        ("Keripik Sri", "10794"),
        ("Keripik Ani", "10794"),
        ("Bengkel Budi", None),
    }
    assert Business.objects.get(name="Keripik Sri").kbli_section == "C"


def test_undo_puts_updated_values_back(officer, tmp_path, django_capture_on_commit_callbacks):
    def imported(rows, name):
        path = write_sheet(tmp_path / name, rows)
        with django_capture_on_commit_callbacks(execute=True):
            batch = upload(officer, path)
        run_queued_tasks()
        with django_capture_on_commit_callbacks(execute=True):
            act(officer, batch, action="import")
        run_queued_tasks()
        batch.refresh_from_db()
        assert batch.status == ImportStatus.DONE
        return batch

    imported(GOOD, "a.xlsx")
    changed = [list(row) for row in GOOD]
    changed[0][7] = "Rp 3.000.000.000"
    second = imported(changed, "b.xlsx")
    assert second.updated_count == 1
    assert Business.objects.get(name="Terasi Bu Sri").size_class == "small"

    officer.post(reverse("imports:batch_undo", args=[second.pk]), {"sure": "on"})
    terasi = Business.objects.get(name="Terasi Bu Sri")
    assert (terasi.annual_turnover, terasi.size_class) == (120_000_000, "micro")
    assert Business.objects.count() == 3


def test_undo_is_refused_once_a_record_was_edited_after_the_import(
    officer, users, messy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        batch = upload(officer, messy)
    run_queued_tasks()
    with django_capture_on_commit_callbacks(execute=True):
        act(officer, batch, action="import")
    run_queued_tasks()
    terasi = Business.objects.get(name="Terasi Bu Sri")
    terasi.address = "Jl. Rebon 1"
    update_business(actor=users["blora_officer"], business=terasi)

    response = officer.post(reverse("imports:batch_undo", args=[batch.pk]), {"sure": "on"}, follow=True)
    assert "sudah diubah sesudahnya" in response.content.decode() and "Terasi Bu Sri" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE and Business.objects.count() == 3


def test_a_failed_import_changes_nothing_and_says_why(officer, messy, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        batch = upload(officer, messy)
    run_queued_tasks()
    batch.refresh_from_db()
    batch.file.storage.delete(batch.file.name)  # the stored upload is gone before the import runs
    with django_capture_on_commit_callbacks(execute=True):
        act(officer, batch, action="import")
    run_queued_tasks()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and batch.error
    assert not Business.objects.exists()
    page = officer.get(reverse("imports:batch_detail", args=[batch.pk])).content.decode()
    assert "Coba lagi" in page


def test_progress_polling(officer, messy, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        batch = upload(officer, messy)
    response = officer.get(reverse("imports:batch_progress", args=[batch.pk]))
    assert response.status_code == 200 and b"<progress" in response.content
    run_queued_tasks()
    response = officer.get(reverse("imports:batch_progress", args=[batch.pk]))
    assert response.status_code == 204 and response["HX-Refresh"] == "true"


def test_the_sidt_template_reads_an_sidt_export(officer, tmp_path, django_capture_on_commit_callbacks):
    header = [
        "id_data_badan_usaha",
        "nik_pengusaha",
        "nama_pengusaha",
        "nib",
        "jenis_kelamin",
        "kontak_hp",
        "kec_pengusaha",
        "kel_pengusaha",
        "nama_usaha",
        "kegiatan_utama",
        "produk_utama",
        "kode_kbli",
        "modal_pendirian",
        "omzet_tahunan",
        "kec_usaha",
        "kel_usaha",
        "alamat_usaha",
        "tk_dibayar_laki",
        "tk_dibayar_perempuan",
    ]
    row = [
        "SIDT-1",
        "3316015205850001",
        "Sri Wahyuni",
        "",
        "P",
        "081234567890",
        "Blora",
        "Kauman",
        "Terasi Bu Sri",
        "pengolahan terasi",
        "terasi rebon",
        "10295",
        "15000000",
        "120000000",
        "Jati",
        "Bangkleyan",
        "Dukuh Krajan",
        "1",
        "3",
    ]
    path = tmp_path / "sidt.xlsx"
    path.write_bytes(sheet_bytes(header, [row]))
    sidt = ImportTemplate.objects.get(office=None, name__startswith="SIDT")
    with django_capture_on_commit_callbacks(execute=True):
        batch = upload(officer, path, template=sidt)
    run_queued_tasks()
    batch.refresh_from_db()
    assert batch.preview["counts"]["created"] == 1, batch.error
    with django_capture_on_commit_callbacks(execute=True):
        act(officer, batch, action="import")
    run_queued_tasks()
    terasi = Business.objects.get()
    # The business's own village (kel_usaha), not the owner's home (kel_pengusaha).
    assert terasi.village_id == "33.16.01.2001" and terasi.kbli_id == "10295"
    assert (terasi.capital, terasi.workers_paid_male, terasi.workers_paid_female) == (15_000_000, 1, 3)
    assert terasi.owner.sex == "P" and terasi.owner.phone == "+6281234567890"


def test_imports_stay_inside_the_office(client, users, messy, django_capture_on_commit_callbacks):
    client.force_login(users["blora_officer"])
    with django_capture_on_commit_callbacks(execute=True):
        batch = upload(client, messy)
    run_queued_tasks()

    client.force_login(users["pesawaran_officer"])
    for name in ("batch_detail", "batch_progress", "batch_rejects"):
        assert client.get(reverse(f"imports:{name}", args=[batch.pk])).status_code == 404
    assert act(client, batch, action="import").status_code == 404
    assert client.post(reverse("imports:batch_undo", args=[batch.pk])).status_code == 404
    assert batch.pk not in [b.pk for b in client.get(reverse("imports:batch_list")).context["batches"]]

    client.force_login(users["blora_viewer"])  # sees the office's imports, changes nothing
    assert client.get(reverse("imports:batch_detail", args=[batch.pk])).status_code == 200
    assert client.get(reverse("imports:upload")).status_code == 403
    act(client, batch, action="import")
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED

    client.force_login(users["jateng_officer"])  # a province office imports through its regencies
    assert client.get(reverse("imports:upload")).status_code == 403
    client.logout()
    assert client.get(reverse("imports:batch_list")).status_code == 302


def test_the_business_history_names_the_import(officer, messy, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        batch = upload(officer, messy)
    run_queued_tasks()
    with django_capture_on_commit_callbacks(execute=True):
        act(officer, batch, action="import")
    run_queued_tasks()
    terasi = Business.objects.get(name="Terasi Bu Sri")
    page = officer.get(reverse("registry:business_tab", args=[terasi.pk, "riwayat"])).content.decode()
    assert "Dibuat lewat impor" in page and "umkm_blora.xlsx" in page
    assert reverse("imports:batch_detail", args=[batch.pk]) in page


def test_the_empty_layout_reads_back_column_for_column(officer):
    from sentra.imports.headers import find_header
    from sentra.imports.mappings import BLANK_LAYOUT, FIELD_LABELS

    response = officer.get(reverse("imports:blank_template"))
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    rows = workbook.get_sheet_by_index(0).to_python()
    header = find_header([rows[0], ["Sri", "3316015205850001"]])
    assert header.mapping == dict(enumerate(BLANK_LAYOUT))
    # Every field, turnover once: the layout asks for it per year.
    assert set(BLANK_LAYOUT) == set(FIELD_LABELS) - {"monthly_turnover"}


def test_sidt_month_coordinates_and_workers_are_read(tmp_path, offices):
    from sentra.imports.services import import_file

    path = tmp_path / "sidt.xlsx"
    header = ["nama_pengusaha", "nama_usaha", "kel_usaha", "bulan_mulai_operasi", "tahun_mulai_operasi"]
    header += ["alamat_latitude", "alamat_longitude", "tk_dibayar_laki", "tk_dibayar_perempuan"]
    path.write_bytes(
        sheet_bytes(header, [["Sri", "Terasi Sri", "Bangkleyan", "Maret", 2019, "-7,0123", "111.4567", 2, ""]])
    )
    import_file(path=path, office=offices["blora"])
    business = Business.objects.get()
    assert (business.start_month, business.start_year) == (3, 2019)
    assert (str(business.latitude), str(business.longitude)) == ("-7.012300", "111.456700")
    assert (business.workers_paid_male, business.workers_paid_female) == (2, 0)


def test_a_file_without_worker_columns_keeps_the_registered_counts(tmp_path, offices):
    from sentra.imports.services import import_file

    first = tmp_path / "a.xlsx"
    first.write_bytes(sheet_bytes(["NAMA PEMILIK", "NAMA USAHA", "DESA", "TK L"], [["Sri", "Terasi Sri", "Gempol", 4]]))
    import_file(path=first, office=offices["blora"])
    second = tmp_path / "b.xlsx"
    second.write_bytes(
        sheet_bytes(["NAMA PEMILIK", "NAMA USAHA", "DESA", "OMZET"], [["Sri", "Terasi Sri", "Gempol", "5 juta"]])
    )
    result = import_file(path=second, office=offices["blora"])
    assert result.counts["updated"] == 1
    business = Business.objects.get()
    assert (business.workers_paid_male, business.annual_turnover) == (4, 5_000_000)


def test_rows_without_nik_are_told_apart_by_owner_and_village_and_reimport_cleanly(tmp_path, offices):
    from sentra.imports.services import import_file

    path = tmp_path / "tanpa-nik.xlsx"
    rows = [
        ["Sri", "Warung Makan", "Gempol"],
        ["Budi", "Warung Makan", "Gempol"],  # another owner's warung: a different business
        ["Sri", "Warung Makan", "Bangkleyan"],  # the same names in another village: different too
        ["Sri", "Warung  Makan", "Gempol"],  # the first row again, typed with two spaces
    ]
    path.write_bytes(sheet_bytes(["NAMA PEMILIK", "NAMA USAHA", "DESA"], rows))
    first = import_file(path=path, office=offices["blora"])
    assert first.counts == {"created": 3, "updated": 0, "skipped": 1, "rejected": 0, "warned": 0}
    again = import_file(path=path, office=offices["blora"])
    assert again.counts == {"created": 0, "updated": 0, "skipped": 4, "rejected": 0, "warned": 0}
    assert Business.objects.count() == 3


def test_an_oversized_or_foreign_file_is_refused_with_a_reason(officer, messy, settings, tmp_path):
    settings.IMPORT_UPLOAD_MAX_BYTES = 1024
    response = officer.post(reverse("imports:upload"), {"file": SimpleUploadedFile(messy.name, messy.read_bytes())})
    assert response.status_code == 200 and "Berkas terlalu besar" in response.content.decode()
    settings.IMPORT_UPLOAD_MAX_BYTES = 10 * 2**20
    response = officer.post(reverse("imports:upload"), {"file": SimpleUploadedFile("umkm.pdf", b"%PDF-1.4")})
    assert response.status_code == 200 and "tidak didukung" in response.content.decode()
    assert not ImportBatch.objects.exists()
