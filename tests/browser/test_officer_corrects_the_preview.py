"""An officer uploads a sheet, changes a KBLI code and a column's mapping in the preview, clicks
Impor, and the records carry those choices: nothing of the officer's is lost in the re-check."""

import pytest
from playwright.sync_api import expect

from sentra.imports.tests.test_preview import HEADER, ROWS
from sentra.imports.tests.test_workflow import sheet_bytes
from sentra.registry.models import Business
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_officers_choices_survive_the_recheck_and_are_saved(page, live_server, users, offices, worker, tmp_path):
    path = tmp_path / "umkm kec jati.xlsx"
    path.write_bytes(sheet_bytes(HEADER, ROWS))

    log_in(page, live_server.url, "blora_officer")
    page.goto(f"{live_server.url}/impor/unggah/")
    page.get_by_label("Berkas").set_input_files(str(path))
    page.get_by_role("button", name="Unggah dan periksa").click()

    expect(page.get_by_role("heading", name="Pratinjau: belum ada yang tersimpan")).to_be_visible()
    # Two columns fill nothing: the mapping is open and says so; the reject names its business and owner.
    expect(page.get_by_text("2 kolom diabaikan")).to_be_visible()
    expect(page.get_by_label("PRODUK ANDALAN")).to_be_visible()
    expect(page.get_by_role("cell", name="Warung Bu Parmi")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    note = page.locator("#recheck-note")
    expect(note).to_be_hidden()
    page.get_by_label("PRODUK ANDALAN").select_option("product")
    page.get_by_label("kode KBLI untuk pembuatan terasi").fill("10213")
    expect(note).to_be_visible()  # the page says a re-check comes first, before the click

    page.get_by_role("button", name="Impor 3 UMKM").click()
    expect(page.get_by_role("heading", name="Diperiksa ulang dengan perubahan Anda")).to_be_visible()
    expect(page.get_by_text("KBLI 10213 dipakai untuk “pembuatan terasi”.")).to_be_visible()
    expect(page.get_by_label("kode KBLI untuk pembuatan terasi")).to_have_value("10213")
    expect(page.get_by_label("PRODUK ANDALAN")).to_have_value("product")
    expect(note).to_be_hidden()
    assert not Business.objects.exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_role("button", name="Impor 3 UMKM").click()
    expect(page.get_by_role("heading", name="Impor selesai")).to_be_visible()
    assert set(Business.objects.values_list("name", "kbli_id")) == {
        ("Terasi Bu Sri", "10213"),
        ("Terasi Mbak War", "10213"),
        ("Mebel Jati Fauzi", None),
    }
    assert Business.objects.get(name="Mebel Jati Fauzi").products.get().name == "kursi tamu"
