"""A regency officer logs in, searches, opens a business, edits it and sees the change in its history."""

import re

import pytest
from playwright.sync_api import expect

from conftest import make_business
from tests.browser.conftest import go_by_menu, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_searches_edits_and_sees_history(page, live_server, users, offices):
    business = make_business(
        "33.16.01.2001",
        "Batik Sekar Jati",
        offices=[offices["blora"]],
        capital=25_000_000,
        annual_turnover=90_000_000,
    )
    make_business("33.16.01.2002", "Parcel Barokah", offices=[offices["blora"]])
    make_business("18.09.01.2001", "Batik Pesawaran Lain")  # another regency: never shown

    log_in(page, live_server.url, "blora_officer")
    go_by_menu(page, "UMKM")  # from the home page
    expect(page.get_by_role("heading", name="Daftar UMKM")).to_be_visible()

    page.get_by_label("Cari usaha, pemilik, atau produk").fill("batik")
    results = page.locator("#results")
    expect(results.get_by_role("link", name="Batik Sekar Jati")).to_be_visible()
    expect(results.get_by_role("link", name="Parcel Barokah")).to_have_count(0)
    expect(results.get_by_text("Batik Pesawaran Lain")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"q=batik"))  # in the address, so it can be shared and reloaded

    # Usable at 360 px: nothing forces sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    results.get_by_role("link", name="Batik Sekar Jati").click()
    expect(page.get_by_role("heading", name="Batik Sekar Jati")).to_be_visible()
    expect(page.locator("#nik")).to_contain_text("********")  # officers see the NIK masked
    expect(page.get_by_text("Rp 25.000.000")).to_be_visible()

    page.get_by_role("link", name="Ubah", exact=True).click()
    page.get_by_label("Modal usaha").fill("Rp 1.500.000.000")
    page.get_by_label("Nama usaha").fill("Batik Sekar Jati Blora")
    page.get_by_role("button", name="Simpan").click()

    expect(page.get_by_role("heading", name="Batik Sekar Jati Blora")).to_be_visible()
    expect(page.get_by_text("Data UMKM Batik Sekar Jati Blora tersimpan.")).to_be_visible()
    expect(page.locator("dd", has_text="Rp 1.500.000.000")).to_be_visible()
    # Capital now says small, turnover still micro: the page flags the conflict.
    expect(page.get_by_text("Skala tidak cocok dengan")).to_be_visible()
    # The size class is recomputed, and the page says from what.
    expect(page.locator("dd", has_text="menurut modal usaha")).to_contain_text("Kecil")

    page.get_by_role("tab", name="Riwayat").click()
    change = page.locator(".change").first
    expect(change).to_contain_text("Diubah")
    expect(change).to_contain_text("blora_officer")
    expect(change.locator("tr", has_text="Modal usaha")).to_contain_text("Rp 25.000.000")
    expect(change.locator("tr", has_text="Modal usaha")).to_contain_text("Rp 1.500.000.000")
    expect(change.locator("tr", has_text="Nama usaha")).to_contain_text("Batik Sekar Jati Blora")
    business.refresh_from_db()
    assert business.name == "Batik Sekar Jati Blora"
    assert business.size_class == "small"
