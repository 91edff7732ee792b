"""Every main page on a 360 px phone, as each kind of user sees it: nothing wider than the screen, a menu that
leaves the first screen to the page, touch targets of 44 px, and a favicon.

The demo data (`seed_demo`) fills the pages as an office's would; a report, two imports and an agency list
are made through the services, so that their pages have something to show.
"""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from conftest import PASSWORD
from sentra.accounts.models import User
from sentra.imports import workflow
from sentra.imports.models import ImportBatch
from sentra.imports.services import import_file
from sentra.imports.tests.test_import_file import GOOD, write_sheet
from sentra.linkage.services import load_source, run_linkage
from sentra.linkage.tests.test_agency_lists import agency_workbook
from sentra.registry.models import Business
from sentra.reports.services import generate_report, request_report
from tests.browser.conftest import log_in, serve_blank_tiles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "sentra-demo"
PHONE = 360
MENU_HEIGHT = 60  # px the closed menu may take of a 740 px first screen
SHOTS = os.environ.get("SENTRA_SCREENSHOTS")  # a folder: keep a picture of each page, to look at by eye
# Links and buttons a thumb uses; inline links inside running text are exempt, as WCAG's target size allows.
TARGETS = (
    "header.top a, header.top button, .tabs a, .pager a, .dash-nav a, main button, main .button, main select,"
    " main input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file]),"
    " main summary, main .actions a, .drill li a"
)
# Targets small across as well as up: a figure's number ("0"), a box to tick, the map's zoom.
SQUARE_TARGETS = ".figures td a, label.tick, .leaflet-bar a"


@pytest.fixture
def demo(tmp_path, settings):
    """The demo registry, with a finished report, a finished and a checked import, and a linked agency list."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", verbosity=0)
    officer = User.objects.get(username="blora.petugas")
    office = officer.office
    report = request_report(
        user=officer, area_code=office.regency_id, start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30), format="pdf"
    )
    generate_report(report.pk)
    done = import_file(path=write_sheet(tmp_path / "umkm_jati.xlsx", GOOD), office=office, actor=officer).batch
    upload = write_sheet(tmp_path / "umkm_cepu.xlsx", GOOD)
    from django.core.files.uploadedfile import SimpleUploadedFile

    checked = workflow.receive_upload(
        upload=SimpleUploadedFile(upload.name, upload.read_bytes()), office=office, actor=officer
    )
    workflow.check_batch(checked.pk)
    source = load_source(
        path=agency_workbook(tmp_path / "disperin.xlsx"),
        office=office,
        actor=officer,
        name="Binaan Disperin 2026",
        agency_name="Dinas Perindustrian",
    )
    run_linkage(source, actor=officer)
    business = Business.objects.filter(regency_id=office.regency_id).order_by("pk").first()
    partner = User.objects.get(username="disperin.blora").office
    fostered = Business.objects.filter(fostering_offices=partner).order_by("pk").first()
    return {
        "report": report,
        "done": done,
        "checked": ImportBatch.objects.get(pk=checked.pk),
        "source": source,
        "business": business,
        "fostered": fostered,
    }


def pages_for(demo) -> dict[str, list[str]]:
    business = demo["business"].pk
    officer = [
        reverse("registry:business_list"),
        reverse("registry:business_list") + "?q=batik",
        reverse("registry:business_map"),
        reverse("registry:business_detail", args=[business]),
        *(reverse("registry:business_tab", args=[business, tab]) for tab in ("produk", "izin", "riwayat")),
        reverse("registry:business_create"),
        reverse("registry:business_edit", args=[business]),
        reverse("dashboards:office"),
        reverse("dashboards:compare"),
        reverse("dashboards:quality"),
        reverse("reports:report_list"),
        reverse("reports:report_detail", args=[demo["report"].pk]),
        reverse("imports:batch_list"),
        reverse("imports:upload"),
        reverse("imports:batch_detail", args=[demo["done"].pk]),
        reverse("imports:batch_detail", args=[demo["checked"].pk]),
        reverse("linkage:source_list"),
        reverse("linkage:source_upload"),
        reverse("linkage:source_detail", args=[demo["source"].pk]),
        reverse("linkage:review", args=[demo["source"].pk]),
        reverse("linkage:duplicates"),
        reverse("linkage:duplicate_list"),
        reverse("linkage:merge_list"),
        reverse("opendata:index"),
    ]
    return {
        "blora.petugas": officer,
        "blora.admin": [reverse("accounts:token_list"), reverse("accounts:two_factor"), reverse("dashboards:office")],
        "lampung.provinsi": [
            reverse("dashboards:rollup"),
            reverse("dashboards:office"),
            reverse("dashboards:quality"),
            reverse("registry:business_list"),
            reverse("reports:report_list"),
        ],
        "disperin.blora": [
            reverse("registry:business_list"),
            reverse("registry:business_detail", args=[demo["fostered"].pk]),
        ],
        "pusat": [reverse("privacy:index"), reverse("registry:business_list")],
    }


def too_wide(page) -> list[str]:
    """The elements that reach past the screen's right edge, outside a box that scrolls on its own."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .filter(e => !e.closest('.scroll, .tabs, .leaflet-container'))  // a map clips its own tiles
            .slice(0, 5)
            .map(e => e.tagName.toLowerCase() + '.' + e.className + ' ' + e.textContent.trim().slice(0, 30))"""
    )


def clipped_boxes(page) -> list[str]:
    """A business's tabs and the roll-up must show whole on a phone, not behind a sideways scroll."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.tabs, .scroll:has(.rollup)')]
            .filter(e => e.scrollWidth > e.clientWidth + 1)
            .map(e => e.className + ' ' + e.scrollWidth + '/' + e.clientWidth + ' px')"""
    )


def small_targets(page) -> list[str]:
    return page.evaluate(
        """([tall, square]) => {
            const seen = (e) => e.offsetParent !== null && !e.closest('.visually-hidden');
            const box = (e) => e.getBoundingClientRect();
            const small = [...document.querySelectorAll(tall)].filter(e => seen(e) && box(e).height < 44)
                .concat([...document.querySelectorAll(square)]
                    .filter(e => seen(e) && (box(e).height < 44 || box(e).width < 44)));
            return small.slice(0, 5).map(e => e.tagName.toLowerCase() + ' '
                + (e.textContent || e.name || '').trim().slice(0, 30) + ' '
                + Math.round(box(e).width) + 'x' + Math.round(box(e).height) + 'px');
        }""",
        [TARGETS, SQUARE_TARGETS],
    )


def test_every_main_page_fits_a_phone(page, live_server, demo):
    serve_blank_tiles(page.context)  # the maps' tiles, without a tile server
    problems = []
    for username, paths in pages_for(demo).items():
        log_in(page, live_server.url, username, DEMO_PASSWORD)
        for path in paths:
            response = page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            where = f"{username} {path}"
            if response is None or response.status != 200:
                problems.append(f"{where}: status {response and response.status}")
                continue
            if SHOTS:
                Path(SHOTS).mkdir(parents=True, exist_ok=True)
                name = f"{username}{path}".replace("/", "_").replace("?", "_")
                page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > PHONE:
                problems.append(f"{where}: {scroll_width} px wide: {too_wide(page)}")
            header = page.locator("header.top").bounding_box()
            if header is None or header["height"] > MENU_HEIGHT:
                problems.append(f"{where}: the closed menu is {header and header['height']} px tall")
            if clipped := clipped_boxes(page):
                problems.append(f"{where}: boxes that hide part of themselves sideways: {clipped}")
            if small := small_targets(page):
                problems.append(f"{where}: touch targets under 44 px: {small}")
    assert problems == []


def test_the_compact_menu_opens_closes_and_marks_the_page(page, live_server, demo):
    log_in(page, live_server.url, "blora.petugas", DEMO_PASSWORD)
    page.goto(live_server.url + reverse("dashboards:office"))
    menu = page.get_by_role("navigation", name="Menu utama")
    toggle = page.get_by_role("button", name="Menu")
    expect(menu).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Dasbor")).to_have_attribute("aria-current", "page")
    assert small_targets(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()

    toggle.click()
    menu.get_by_role("link", name="Impor").click()
    expect(page.get_by_role("heading", name="Impor data UMKM")).to_be_visible()
    expect(page.get_by_role("navigation", name="Menu utama")).to_be_hidden()  # folded again on the next page


def test_on_a_tablet_the_menu_fits_and_on_a_desktop_it_is_one_open_line(browser, live_server, users):
    for width, folded in ((800, True), (1280, False)):
        context = browser.new_context(viewport={"width": width, "height": 800}, locale="id-ID")
        page = context.new_page()
        log_in(page, live_server.url, "blora_admin", PASSWORD)
        menu = page.get_by_role("navigation", name="Menu utama")
        if folded:
            expect(menu).to_be_hidden()
            page.get_by_role("button", name="Menu").click()
        else:
            expect(page.get_by_role("button", name="Menu")).to_be_hidden()
            assert page.locator("header.top").bounding_box()["height"] <= MENU_HEIGHT
        expect(menu.get_by_role("link", name="Padanan")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        context.close()


def test_without_javascript_the_menu_stays_open(browser, live_server, users):
    context = browser.new_context(viewport={"width": PHONE, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server.url, "blora_officer")
    expect(page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Impor")).to_be_visible()
    expect(page.locator("header.top .menu-toggle")).to_be_hidden()
    context.close()


def test_every_page_has_a_favicon(page, live_server):
    page.goto(f"{live_server.url}/akun/masuk/")
    icons = page.eval_on_selector_all("link[rel~=icon]", "links => links.map(l => l.href)")
    assert icons
    for icon in icons:
        response = page.request.get(icon)
        assert response.status == 200 and response.headers["content-type"].startswith("image/")
    response = page.request.get(f"{live_server.url}/favicon.ico")
    assert response.status == 200 and response.headers["content-type"].startswith("image/")


def test_the_bulk_decision_stays_in_reach_below_a_long_list(page, live_server, demo):
    from sentra.linkage.models import DuplicatePair

    office = User.objects.get(username="blora.petugas").office
    ids = list(Business.objects.filter(regency_id=office.regency_id).order_by("pk").values_list("pk", flat=True)[:40])
    DuplicatePair.objects.bulk_create(
        DuplicatePair(office=office, first_id=first, second_id=second, probability=0.6)
        for first, second in zip(ids[::2], ids[1::2], strict=True)
    )
    log_in(page, live_server.url, "blora.petugas", DEMO_PASSWORD)
    page.goto(live_server.url + reverse("linkage:duplicate_list"))
    page.locator('input[name="pair"]').first.check()  # at the top of twenty cards
    button = page.get_by_role("button", name="Tandai berbeda")
    box = button.bounding_box()
    assert box is not None and box["y"] + box["height"] <= page.viewport_size["height"]  # seen without scrolling
    button.click()
    expect(page.get_by_text("1 pasangan dicatat berbeda.")).to_be_visible()
