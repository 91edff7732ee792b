"""An officer imports a messy sheet in the browser, with a real worker process, and undoes it."""

import pytest
from playwright.sync_api import expect

from sentra.imports.tests.test_import_file import GOOD, write_sheet
from sentra.registry.models import Business
from tests.browser.conftest import go_by_menu, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_imports_fixes_nothing_lost_and_undoes(page, live_server, users, offices, worker, tmp_path):
    rows = [*GOOD, [4, "Budi", 3316011203900000.0, "Warung Budi", "", "Bangkleyan", "Jati", "", ""]]
    sheet = write_sheet(tmp_path / "umkm_blora.xlsx", rows)

    log_in(page, live_server.url, "blora_officer")
    go_by_menu(page, "Impor")
    page.get_by_role("link", name="Unggah berkas").click()
    page.get_by_label("Berkas").set_input_files(str(sheet))
    page.get_by_role("button", name="Unggah dan periksa").click()

    # The worker checks the file; the page follows its progress and then shows the preview.
    expect(page.get_by_role("heading", name="Pratinjau: belum ada yang tersimpan")).to_be_visible()
    expect(page.get_by_text("Ubah format kolom NIK menjadi Teks")).to_be_visible()
    assert not Business.objects.exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_role("button", name="Impor 3 UMKM").click()
    expect(page.get_by_role("heading", name="Impor selesai")).to_be_visible()
    assert Business.objects.count() == 3

    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh baris ditolak (xlsx)").click()
    assert download.value.suggested_filename.startswith("umkm_blora-ditolak-")

    page.get_by_label("Saya yakin").check()
    page.get_by_role("button", name="Batalkan impor").click()
    expect(page.get_by_text("Impor dibatalkan: 3 UMKM dihapus")).to_be_visible()
    assert not Business.objects.exists()
