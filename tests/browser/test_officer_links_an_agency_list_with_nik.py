"""On a phone, an officer loads the industry office's xlsx with a NIK and a TELP column, corrects a column's
role, links a row the engine could not by hand, registers another as a new UMKM, and reviews a held pair."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import make_business
from sentra.linkage.models import LinkKind, Source, SourceRecord
from sentra.linkage.tests.conftest import registry  # noqa: F401 (the Blora registry fixture)
from sentra.linkage.tests.test_agency_lists import agency_workbook
from sentra.registry.models import Business, Person
from tests.browser.conftest import go_by_menu, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# SENTRA_SCREENSHOTS=folder keeps a picture of each step, to look at by eye.
SHOTS = os.environ.get("SENTRA_SCREENSHOTS")

# As the agency typed it: capitals, "-" and "belum ada" for nothing, a column the header finder does not
# know (KONTAK PERSON), a row whose business name says little, one UMKM not registered at all.
HEADER = ["NO", "NAMA PERUSAHAAN", "NAMA PEMILIK", "NIK", "DESA", "TELP", "KONTAK PERSON"]
ROWS = [
    ("UD SUMBER REJEKI", "HJ. SITI AMINAH", "3316014512800001", "BANGKLEYAN", "0812-2900-1111", "-"),
    ("CV. MAJU JAYA", "DRS. H. MOH. YUSUF", "3316010203750002", "DS. PELEM", "-", "belum ada"),
    ("BATIK LESTARI", "SOEDJATMIKO", "3316011508650003", "SINGGET", "belum ada", "-"),
    ("JAMU GENDONG", "RINA M.", "-", "MEDALEM", "-", "-"),  # Jamu Rina: no NIK, another name: by hand
    ("PERCETAKAN HENDRA", "HENDRA GUNAWAN", "-", "KEL. RANDULAWANG", "081229008888", "-"),  # not registered
]


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > "
        "document.documentElement.clientWidth + 1).slice(-3).map(e => e.tagName + '.' + e.className).join(' ')"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"], (name, wide)


@pytest.mark.usefixtures("registry")
def test_officer_links_an_agency_list_with_a_nik_column(page, live_server, users, offices, worker, tmp_path):
    path = agency_workbook(tmp_path / "IKM BINAAN 2026.xlsx", ROWS, HEADER)

    log_in(page, live_server.url, "blora_officer")
    go_by_menu(page, "Padanan")
    page.get_by_role("link", name="Muat daftar instansi").click()
    page.get_by_label("Berkas daftar").set_input_files(str(path))
    page.get_by_label("Nama daftar").fill("IKM Binaan 2026")
    page.get_by_label("Instansi pembina").select_option(label="Disperin Blora")
    page.get_by_role("button", name="Muat dan cocokkan").click()

    # The list with its NIK column links; no English engine message anywhere.
    expect(page.get_by_role("button", name="Cocokkan ulang")).to_be_visible(timeout=60_000)
    expect(page.locator(".badge").first).to_have_text("sudah dicocokkan")
    assert "Column" not in page.content() and "gagal" not in page.locator(".badge").first.inner_text()
    source = Source.objects.get()
    assert source.roles["identifier"] == "NIK" and source.roles["phone"] == "TELP"
    assert SourceRecord.objects.filter(business__isnull=False).count() >= 3
    shot(page, "01-list-linked")

    # The officer sees which column plays which role and gives KONTAK PERSON none (it holds nothing).
    page.get_by_text("Peran kolom").click()
    expect(page.get_by_label("TELP")).to_have_value("phone")
    expect(page.get_by_label("NIK", exact=True)).to_have_value("identifier")
    shot(page, "02-roles")
    page.get_by_label("TELP").select_option(label="— tidak dipakai —")
    page.get_by_label("KONTAK PERSON").select_option(label="Nomor HP")
    page.get_by_role("button", name="Simpan peran dan cocokkan ulang").click()
    expect(page.get_by_text("Peran kolom disimpan")).to_be_visible()
    expect(page.get_by_role("button", name="Cocokkan ulang")).to_be_visible(timeout=60_000)
    source.refresh_from_db()
    assert source.roles["phone"] == "KONTAK PERSON"

    # A row the engine could not link: found by search and linked by hand.
    page.get_by_role("link", name="Belum tertaut", exact=True).click()
    row = page.get_by_role("row").filter(has_text="JAMU GENDONG")
    row.get_by_role("link", name="Cari dan tautkan").click()
    page.get_by_role("searchbox").fill("jamu rina")
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page.get_by_role("link", name="Jamu Rina")).to_be_visible()
    shot(page, "03-pick")
    page.get_by_role("button", name="Tautkan").first.click()
    expect(page.get_by_text("ditautkan ke Jamu Rina")).to_be_visible()
    jamu = SourceRecord.objects.get(business_name="JAMU GENDONG")
    assert jamu.business.name == "Jamu Rina" and jamu.link_kind == LinkKind.CONFIRMED

    # One not registered at all: the registry's add form opens filled from the row.
    row = page.get_by_role("row").filter(has_text="PERCETAKAN HENDRA")
    row.get_by_role("link", name="Daftarkan sebagai UMKM baru").click()
    expect(page.get_by_label("Nama usaha")).to_have_value("Percetakan Hendra")  # not in the list's capitals
    shot(page, "04-register-prefilled")
    page.get_by_label("Jenis kelamin").select_option(index=1)
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", name="Percetakan Hendra")).to_be_visible()
    hendra = SourceRecord.objects.get(business_name="PERCETAKAN HENDRA")
    assert hendra.business == Business.objects.get(name="Percetakan Hendra")
    assert offices["blora_industry"] in hendra.business.fostering_offices.all()
    shot(page, "05-registered")


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.usefixtures("registry")
def test_officer_reviews_duplicates_merges_and_undoes(browser, live_server, users, offices, worker, width):
    """Pak Arif's two businesses are held for review and marked different; a real twin is merged, then undone."""
    page = browser.new_context(viewport={"width": width, "height": 800}, locale="id-ID").new_page()
    craft = make_business("33.16.04.2002", "Kerajinan Jati Pak Arif", offices=[offices["blora"]],
                          owner_name="Arif Rahman", kbli_id="16221")  # fmt: skip
    Person.objects.filter(pk=craft.owner_id).update(phone="+6281225550001")
    craft.products.create(name="Meja jati ukir")
    satay = Business.objects.create(name="Sate Ayam Blora Pak Arif", owner=craft.owner, village_id="33.16.08.2015",
                                    kbli_id="56103", created_by=users["blora_admin"])  # fmt: skip
    satay.fostering_offices.set([offices["blora"]])
    satay.products.create(name="Sate ayam")
    twin = make_business("33.16.02.2016", "Bakso Pak Slamet", offices=[offices["blora_industry"]],
                         owner_name="Slamet Riyanto")  # fmt: skip
    Person.objects.filter(pk=twin.owner_id).update(nik=None, phone="+6281829001124")
    twin.products.create(name="bakso urat")

    log_in(page, live_server.url, "blora_officer")
    page.goto(f"{live_server.url}/padanan/duplikat/")
    page.get_by_role("button", name="Cari duplikat").click()
    expect(page.get_by_role("heading", name="Bukti")).to_be_visible(timeout=60_000)

    # The twin comes first and reads as likely; it is merged into the registered one.
    expect(page.get_by_role("link", name="Bakso Pak Slamet")).to_be_visible()
    assert "100%" not in page.content()
    shot(page, f"10-duplicate-twin-{width}")
    kept = Business.objects.get(name="Bakso Slamet")
    page.locator(f'a[href*="/gabung/{kept.pk}/"]').click()
    # A confirmation page says what stays, what goes and what moves, before anything is merged.
    expect(page.get_by_role("heading", name="Gabungkan dua data UMKM?")).to_be_visible()
    expect(page.get_by_text("1 produk", exact=True)).to_be_visible()  # what moves over
    shot(page, f"10b-merge-confirm-{width}")
    assert Business.objects.filter(pk=twin.pk).exists()
    page.get_by_role("button", name="Gabungkan ke Bakso Slamet").click()
    expect(page.get_by_text("dapat dibatalkan selama 30 hari")).to_be_visible()

    # Pak Arif's pair: held, with its reasons, and the cards show what tells the two apart.
    expect(page.get_by_text("Ditahan untuk ditinjau")).to_be_visible()
    expect(page.get_by_text("golongan KBLI berbeda")).to_be_visible()
    expect(page.get_by_text("Meja jati ukir")).to_be_visible()
    shot(page, f"11-duplicate-held-{width}")
    page.get_by_role("link", name="Semua pasangan").click()
    page.locator('input[name="pair"]').first.check()
    shot(page, f"12-duplicate-list-{width}")
    page.get_by_role("button", name="Tandai berbeda").click()
    expect(page.get_by_text("pasangan dicatat berbeda")).to_be_visible()

    # The absorbed business's address leads to the kept one, whose history offers the undo.
    page.goto(f"{live_server.url}/umkm/{twin.pk}/")
    expect(page.get_by_role("heading", name="Bakso Slamet")).to_be_visible()
    page.goto(f"{live_server.url}/umkm/{kept.pk}/tab/riwayat/")
    page.get_by_role("link", name="rincian atau batalkan").click()
    shot(page, f"13-merge-undo-{width}")
    page.get_by_role("button", name="Batalkan — keduanya UMKM berbeda").click()
    expect(page.get_by_text("dipulihkan seperti semula")).to_be_visible()
    expect(page.get_by_role("heading", name="Bakso Pak Slamet")).to_be_visible()
    restored = Business.objects.get(pk=twin.pk)
    assert list(restored.products.values_list("name", flat=True)) == ["bakso urat"]
    assert offices["blora_industry"] in restored.fostering_offices.all()
    shot(page, f"14-restored-{width}")
    page.context.close()
