"""An officer narrows the registry list on a phone: Saring stays open, the count is exact, the first
click on "Unduh" right after typing a search opens it, and the file has the search and the sort."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import make_business
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SENTRA_SCREENSHOTS")  # a folder: the test leaves its screenshots there to look at


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", [360, 1280])
def test_officer_filters_searches_and_downloads(page, live_server, users, offices, settings, width):
    settings.REGISTRY_COUNT_CAP = 3
    page.set_viewport_size({"width": width, "height": 800})
    for number in range(4):
        make_business("33.16.02.2001", f"BATIK TULIS LASEM {number}", offices=[offices["blora"]])
    for number in range(3):
        make_business("33.16.01.2001", f"Keripik Tempe Bu Sri {number}", offices=[offices["blora"]])
    log_in(page, live_server.url, "blora_officer")
    page.goto(f"{live_server.url}/umkm/")
    expect(page.locator("p.count")).to_contain_text("7 UMKM")  # beyond the cap: exact, from the tallies
    page.locator("summary", has_text="Saring").click()
    district = page.locator("select[name=district]")
    expect(district.locator("option").first).to_have_text("Semua")
    district.select_option(value="33.16.02")
    expect(page.locator("p.count")).to_contain_text("4 UMKM")
    expect(page.locator("details:has(> summary:text('Saring'))")).to_have_attribute("open", "")
    shot(page, f"list-district-{width}")
    page.locator("#id_q").fill("batik")
    page.locator("summary", has_text="Unduh").click()  # leaving the search box must not swallow this click
    expect(page.locator("details.export")).to_have_attribute("open", "")
    page.locator("select[name=sort]").select_option("-name")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    names = [line.split(",")[1] for line in text.splitlines()[1:]]
    assert names == [f"BATIK TULIS LASEM {n}" for n in (3, 2, 1, 0)]
    shot(page, f"list-download-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
