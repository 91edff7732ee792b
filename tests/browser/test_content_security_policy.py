"""Every main page works under the Content-Security-Policy: Chromium reports no violation in the console.

The policy (sentra/settings.py) allows only our own scripts and styles, no inline ones; this walks the
pages, the admin and the API docs' Swagger UI, with their scripts running, and fails on any refusal.
"""

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, make_business

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def violations(page) -> list[str]:
    """The console's CSP reports ("Refused to ... because it violates the ... Content Security Policy")."""
    found: list[str] = []
    page.on(
        "console", lambda message: found.append(message.text) if "Content Security Policy" in message.text else None
    )
    return found


def visit(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status < 500, url
    assert "script-src 'self'" in response.headers["content-security-policy"], url
    page.wait_for_load_state("networkidle")


def test_the_main_pages_run_under_the_policy(page, live_server, users, offices, violations):
    business = make_business("33.16.01.2001", "Batik Sekar Jati", [offices["blora"]], maturity="digital")
    make_business("33.16.02.1005", "Kerupuk Rambak", [offices["blora"]])
    base = live_server.url

    visit(page, f"{base}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill("pusat")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(re.compile(r"/$"))  # the home page
    expect(page.get_by_role("heading", name="Per provinsi")).to_be_visible()
    visit(page, f"{base}/umkm/")

    # The registry: the list with an htmx search, a record with its tabs, the forms.
    page.get_by_role("searchbox").first.fill("sekar")
    expect(page.locator("table.list tbody tr")).to_have_count(1)
    visit(page, f"{base}/umkm/{business.pk}/")
    for tab in ("produk", "izin", "riwayat"):
        visit(page, f"{base}/umkm/{business.pk}/tab/{tab}/")
    visit(page, f"{base}/umkm/{business.pk}/ubah/")
    visit(page, f"{base}/umkm/tambah/")

    # Dashboards with their charts, reports, imports, linkage, open data.
    visit(page, f"{base}/dasbor/?wilayah=33.16")
    page.wait_for_function("() => window.Chart && document.querySelector('canvas[data-chart]')")
    for path in (
        "/dasbor/banding/",
        "/dasbor/mutu-data/?wilayah=33.16",
        "/dasbor/izin/",
        "/laporan/",
        "/impor/",
        "/impor/unggah/",
    ):
        visit(page, base + path)
    for path in ("/padanan/", "/padanan/duplikat/", "/data-terbuka/", "/akun/dua-langkah/", "/tidak-ada/"):
        visit(page, base + path)
    page.goto(f"{base}/akun/dua-langkah/")
    page.get_by_role("button", name="Mulai memasang").click()
    expect(page.locator(".qr svg")).to_be_visible()

    # The admin, and the API docs (Swagger UI from django-ninja's own static files).
    for path in ("/admin/", "/admin/registry/business/", f"/admin/registry/business/{business.pk}/change/"):
        visit(page, base + path)
    visit(page, f"{base}/admin/accounts/user/add/")
    visit(page, f"{base}/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Sentra API")
    page.locator(".opblock-summary").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()

    assert violations == []
