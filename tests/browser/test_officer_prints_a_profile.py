"""An officer opens a UMKM's printable profile: on paper it is one A4 page with no menu or buttons."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from sentra.registry.tests.test_print import terasi  # noqa: F401 (the fixture)
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_profile_prints_on_one_page(page, live_server, users, terasi):  # noqa: F811
    log_in(page, live_server.url, "blora_officer")
    page.goto(f"{live_server.url}/umkm/{terasi.pk}/")
    page.get_by_role("link", name="Cetak profil").click()
    expect(page.get_by_role("heading", name="Terasi Udang Bu Sri")).to_be_visible()
    expect(page.get_by_role("button", name="Cetak")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Cetak")).to_be_hidden()
    expect(page.locator("header.top")).to_be_hidden()
    expect(page.locator("body > footer")).to_be_hidden()  # the site's language switch, not the sheet's own footer
    expect(page.locator(".sheet-foot")).to_be_visible()
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    assert len(pdf.pages) == 1
    text = pdf.pages[0].extract_text()
    assert "Terasi Super" in text and "kedaluwarsa" in text and "Keluar" not in text
    assert "Dicetak dari Sentra oleh" in " ".join(text.split())  # who printed it, and that it is personal data
