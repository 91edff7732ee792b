"""An officer registering a business already in the registry is told so while typing, may open it, or go on."""

import pytest
from playwright.sync_api import expect

from conftest import make_business
from sentra.registry.models import Business
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_add_form(browser, live_server, width: int):
    """A logged-in officer's add form at `width`: (the browser context, to close; the page)."""
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server.url, "blora_officer")
    page.goto(f"{live_server.url}/umkm/tambah/")
    return context, page


def choose_village(page, district: str, village: str) -> None:
    page.locator("#pick-district").select_option(district)
    picker = page.locator("#id_business-village")
    expect(picker.locator(f"option[value='{village}']")).to_have_count(1)
    picker.select_option(village)


@pytest.mark.parametrize("width", [1280, 360])
def test_the_add_form_shows_the_registered_copy_and_saves_only_when_told(browser, live_server, users, offices, width):
    existing = make_business("33.16.01.2001", "UD. Terasi Bu Sri", offices=[offices["blora"]], owner_name="Sri Wahyuni")
    context, page = open_add_form(browser, live_server, width)
    try:
        page.get_by_label("Nama lengkap").fill("Sri Wahyuni")
        page.get_by_label("Jenis kelamin").select_option("P")
        page.get_by_label("Nama usaha").fill("Terasi Sri")
        choose_village(page, "33.16.01", "33.16.01.2001")

        panel = page.locator("#duplicates")
        expect(panel).to_contain_text("Mungkin sudah terdaftar")
        expect(panel.get_by_role("link", name="UD. Terasi Bu Sri")).to_have_attribute("href", f"/umkm/{existing.pk}/")
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling

        page.get_by_role("button", name="Simpan", exact=True).click()  # held: the officer has not said "new"
        expect(page.get_by_text("Belum tersimpan: UMKM ini mungkin sudah terdaftar")).to_be_visible()
        assert Business.objects.count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= width

        page.get_by_role("button", name="Tetap simpan sebagai UMKM baru").click()
        expect(page.get_by_role("heading", name="Terasi Sri")).to_be_visible()
        assert Business.objects.count() == 2
    finally:
        context.close()


def test_a_reworded_name_under_the_same_owner_is_caught_while_typing(browser, live_server, users, offices):
    """No NIK typed, the business renamed: the owner's name in the village is enough to ask."""
    existing = make_business("33.16.01.2001", "UD. Terasi Bu Sri", offices=[offices["blora"]], owner_name="Sri Wahyuni")
    context, page = open_add_form(browser, live_server, 360)
    try:
        page.get_by_label("Nama usaha").fill("Terasi Rebon Jaya")
        choose_village(page, "33.16.01", "33.16.01.2001")
        panel = page.locator("#duplicates")
        expect(panel).not_to_contain_text("Mungkin sudah terdaftar")  # another terasi maker, so far
        page.get_by_label("Nama lengkap").fill("SRI WAHYUNI")
        expect(panel).to_contain_text("Mungkin sudah terdaftar")
        expect(panel.get_by_role("link", name="UD. Terasi Bu Sri")).to_have_attribute("href", f"/umkm/{existing.pk}/")
    finally:
        context.close()
