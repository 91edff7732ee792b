"""An officer loads the industry office's list, the worker links it, and she reviews a pair side by side."""

import csv

import pytest
from playwright.sync_api import expect

from conftest import make_business
from sentra.linkage.models import SourceRecord
from sentra.linkage.tests.partner_data import PARTNER, REGISTRY
from sentra.registry.models import Person
from tests.browser.conftest import go_by_menu, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_loads_a_partner_list_and_confirms_a_match(page, live_server, users, offices, worker, tmp_path):
    for village, _name, owner, nik, phone, business, product in REGISTRY:
        item = make_business(village, business, offices=[offices["blora"]], owner_name=owner)
        Person.objects.filter(pk=item.owner_id).update(nik=nik, phone=phone)
        item.products.create(name=product)
    path = tmp_path / "binaan-disperin.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["NO", "NAMA PEMILIK", "NAMA USAHA", "NO HP", "DESA", "PRODUK"])
        for number, row in enumerate(PARTNER, start=1):
            writer.writerow([number, *row[:5]])

    log_in(page, live_server.url, "blora_officer")
    go_by_menu(page, "Padanan")
    page.get_by_role("link", name="Muat daftar instansi").click()
    page.get_by_label("Berkas daftar").set_input_files(str(path))
    page.get_by_label("Nama daftar").fill("Binaan Disperin 2026")
    page.get_by_label("Instansi pembina").select_option(label="Disperin Blora")
    page.get_by_role("button", name="Muat dan cocokkan").click()

    # The page follows the worker until the list is linked.
    expect(page.get_by_text("tertaut ke UMKM terdaftar")).to_be_visible()
    expect(page.get_by_role("button", name="Cocokkan ulang")).to_be_visible(timeout=60_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # Undo one automatic link, then settle that record in the review queue.
    page.get_by_role("link", name="Tertaut", exact=True).click()
    page.get_by_role("button", name="Lepas tautan").first.click()
    expect(page.get_by_text("dibatalkan")).to_be_visible()
    page.get_by_role("link", name="Tinjau pasangan yang ragu").click()
    expect(page.get_by_role("heading", name="Bukti")).to_be_visible()
    expect(page.get_by_role("heading", name="UMKM terdaftar")).to_be_visible()
    page.get_by_role("button", name="UMKM yang sama").click()
    expect(page.get_by_text("Ditautkan:")).to_be_visible()
    assert SourceRecord.objects.filter(link_kind="confirmed").count() == 1
