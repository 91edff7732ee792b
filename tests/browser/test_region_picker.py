"""The region picker cascades province → regency → district → village, and finds villages by typing."""

import pytest
from playwright.sync_api import expect

from sentra.registry.models import Business
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_owner_and_name(page, nik: str, name: str) -> None:
    page.get_by_label("NIK").fill(nik)
    page.get_by_label("Nama lengkap").fill("Rahmat Hidayat")
    page.get_by_label("Jenis kelamin").select_option("L")
    page.get_by_label("Nama usaha").fill(name)


def test_superuser_cascades_from_province_down(page, live_server, users):
    log_in(page, live_server.url, "pusat")
    page.goto(f"{live_server.url}/umkm/tambah/")
    fill_owner_and_name(page, "1905011203900001", "Kerupuk Ikan Bangka")
    page.locator("select[name=pick-province]").select_option(label="Kepulauan Bangka Belitung")
    regency = page.locator("select[name=pick-regency]")
    expect(regency.locator("option", has_text="Kabupaten Bangka Tengah")).to_have_count(1)
    regency.select_option(label="Kabupaten Bangka Tengah")
    district = page.locator("select[name=pick-district]")
    expect(district.locator("option", has_text="Koba")).to_have_count(1)
    district.select_option(label="Koba")
    village = page.locator("select[name=business-village]")
    expect(village.locator("option").nth(1)).to_be_attached()
    village.select_option(index=1)
    page.get_by_label("Cari KBLI").fill("kerupuk")
    kbli = page.locator("select[name=business-kbli]")
    expect(kbli.locator("option[value='10794']")).to_have_count(1)  # a real kerupuk code
    kbli.select_option("10794")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", name="Kerupuk Ikan Bangka")).to_be_visible()
    business = Business.objects.get(name="Kerupuk Ikan Bangka")
    assert business.village.district.name == "Koba"
    assert business.regency_id == "19.04"
    assert business.kbli_id == "10794"


def test_regency_officer_types_a_village_name(page, live_server, users):
    log_in(page, live_server.url, "blora_officer")
    page.goto(f"{live_server.url}/umkm/tambah/")
    expect(page.locator("select[name=pick-province]")).to_have_count(0)  # fixed to the officer's regency
    expect(page.get_by_text("Kabupaten Blora")).to_be_visible()
    fill_owner_and_name(page, "3316011203900001", "Mebel Jati Bangkleyan")
    page.get_by_label("Cari desa/kelurahan").fill("bangkle")
    village = page.locator("select[name=business-village]")
    expect(village.locator("option", has_text="Bangkleyan")).to_have_count(1)
    village.select_option(label="Bangkleyan — Kec. Jati")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", name="Mebel Jati Bangkleyan")).to_be_visible()
    assert Business.objects.get(name="Mebel Jati Bangkleyan").village_id == "33.16.01.2001"
