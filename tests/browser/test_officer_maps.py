"""An officer sees the list's UMKM on a map, a UMKM's point on its page, and fills a form's coordinates
from the phone's position ("Gunakan lokasi saya"), on a 360 px phone and on a desktop.

No tile server is reached: the tiles' address (MAP_TILE_URL, OpenStreetMap's by default) answers with a
blank tile from the test, so the Content-Security-Policy is the one production sends.
"""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from conftest import make_business
from sentra.registry.models import Business
from tests.browser.conftest import go_by_menu, log_in, serve_blank_tiles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
# Where the phone says it is: Blora's town square.
HERE = {"latitude": -6.970123, "longitude": 111.418456, "accuracy": 12}


@pytest.fixture
def open_page(browser):
    """A page of the given size whose map tiles come from the test, and the list of tiles and CSP refusals seen."""
    contexts = []

    def open_page(viewport: dict, **options):
        context = browser.new_context(viewport=viewport, locale="id-ID", **options)
        contexts.append(context)
        tiles = serve_blank_tiles(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.tiles, page.refusals = tiles, []
        page.on(
            "console",
            lambda message: page.refusals.append(message.text) if "Content Security Policy" in message.text else None,
        )
        return page

    yield open_page
    for context in contexts:
        context.close()


def open_the_list(page, base: str, username: str = "blora_officer") -> None:
    log_in(page, base, username)
    expect(page.get_by_role("heading", name=re.compile("^Beranda"))).to_be_visible()  # login lands at home
    go_by_menu(page, "UMKM")
    expect(page.get_by_role("heading", name="Daftar UMKM")).to_be_visible()


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


@pytest.fixture
def located(offices) -> list[Business]:
    """Three located UMKM in Blora, one in Blora without coordinates, one located in Pesawaran."""
    places = [
        ("Batik Sekar Jati", "-6.970000", "111.420000"),
        ("Kerupuk Rambak Cepu", "-7.150000", "111.590000"),
        ("Jati Ukir Jepon", "-7.040000", "111.270000"),
    ]
    found = [
        make_business(
            "33.16.01.2001", name, [offices["blora"]], latitude=Decimal(latitude), longitude=Decimal(longitude)
        )
        for name, latitude, longitude in places
    ]
    make_business("33.16.01.2002", "Parcel Tanpa Titik", [offices["blora"]])
    make_business("18.09.01.2001", "Keripik Way Lima", latitude=Decimal("-5.4"), longitude=Decimal("105.1"))
    return found


def shown_on_map(page) -> int:
    """The UMKM the map shows: its single markers, and the numbers its clusters carry."""
    markers = page.locator("#area-map .leaflet-marker-icon:not(.marker-cluster)").count()
    clusters = page.locator("#area-map .marker-cluster span").all_inner_texts()
    return markers + sum(int(text.strip()) for text in clusters)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_lists_umkm_on_a_map_and_one_umkm_on_its_page(open_page, live_server, users, located, viewport):
    page = open_page(viewport)
    open_the_list(page, live_server.url)
    page.get_by_label("Cari usaha, pemilik, atau produk").fill("a")  # every one of them
    page.get_by_role("link", name="Peta", exact=True).click()

    expect(page.get_by_role("heading", name="Peta UMKM")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/umkm/peta/\?q=a$"))
    expect(page.locator("#map-status")).to_contain_text("Menampilkan 3 UMKM yang berkoordinat")
    # The map fits Blora's three points, each a marker or counted in a cluster's number; Pesawaran's never.
    page.wait_for_load_state("networkidle")
    assert shown_on_map(page) == 3
    expect(page.locator("#area-map .leaflet-marker-icon").first).to_be_visible()
    page.locator("#area-map .leaflet-control-zoom-out").click()  # everything is loaded: no reload, same points
    page.wait_for_load_state("networkidle")
    assert shown_on_map(page) == 3
    expect(page.locator("#map-status")).to_contain_text("Menampilkan 3 UMKM")
    box = page.locator("#area-map").bounding_box()
    assert box is not None and box["width"] <= viewport["width"] and box["height"] >= 200
    assert page.tiles, "the tiles come from MAP_TILE_URL"
    no_sideways_scroll(page)

    # A marker's popup leads to the UMKM's page, whose own small map shows its point.
    page.goto(f"{live_server.url}/umkm/peta/?q=sekar")
    expect(page.locator("#map-status")).to_contain_text("Menampilkan 1 UMKM")
    page.locator("#area-map .leaflet-marker-icon[title='Batik Sekar Jati']").click()
    page.get_by_role("link", name="Buka halaman UMKM").click()
    expect(page.get_by_role("heading", name="Batik Sekar Jati")).to_be_visible()
    point = page.locator("#lokasi .map-point")
    expect(point.locator(".leaflet-marker-icon")).to_be_visible()
    expect(point.locator(".leaflet-tile-loaded").first).to_be_attached()
    expect(page.get_by_role("link", name="Buka di OpenStreetMap")).to_have_attribute(
        "href", "https://www.openstreetmap.org/?mlat=-6.970000&mlon=111.420000#map=17/-6.970000/111.420000"
    )
    no_sideways_scroll(page)
    assert page.refusals == []


def test_the_map_says_when_the_area_holds_more_than_it_can_carry(open_page, live_server, users, offices, settings):
    # Eight UMKM between two opposite corners, which the first four by name include: the map fits them all.
    settings.MAP_POINT_LIMIT = 4
    for number in range(8):
        latitude, longitude = Decimal("-7.0") - Decimal(number) / 70, Decimal("111.3") + Decimal(number) / 35
        if number == 1:
            latitude, longitude = Decimal("-7.1"), Decimal("111.5")
        make_business("33.16.01.2001", f"Aneka {number}", [offices["blora"]], latitude=latitude, longitude=longitude)
    page = open_page(DESKTOP)
    open_the_list(page, live_server.url)
    go_by_menu(page, "UMKM")
    page.get_by_role("link", name="Peta", exact=True).click()
    status = page.locator("#map-status")
    page.wait_for_load_state("networkidle")  # the first sample, then the points of the box it fitted
    expect(status).to_contain_text("lebih dari 4 UMKM berkoordinat")
    assert 0 < shown_on_map(page) <= 4
    expect(status).to_contain_text("Perbesar peta atau persempit saringan")
    assert page.refusals == []


def test_use_my_location_fills_the_coordinates_on_a_phone(open_page, live_server, users, located):
    page = open_page(PHONE, geolocation=HERE, permissions=["geolocation"])
    open_the_list(page, live_server.url)
    business = located[0]
    page.goto(f"{live_server.url}/umkm/{business.pk}/ubah/")
    page.get_by_role("button", name="Gunakan lokasi saya").click()
    expect(page.get_by_label("Lintang")).to_have_value("-6.970123")
    expect(page.get_by_label("Bujur")).to_have_value("111.418456")
    expect(page.locator(".locate [role=status]")).to_contain_text("terisi dari lokasi Anda (ketepatan sekitar ±12 m)")
    no_sideways_scroll(page)
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("tersimpan")).to_be_visible()
    business.refresh_from_db()
    assert (business.latitude, business.longitude) == (Decimal("-6.970123"), Decimal("111.418456"))
    assert page.refusals == []


def test_the_map_goes_to_where_the_officer_stands(open_page, live_server, users, located):
    page = open_page(PHONE, geolocation=HERE, permissions=["geolocation"])
    open_the_list(page, live_server.url)
    page.goto(f"{live_server.url}/umkm/peta/")
    expect(page.locator("#map-status")).to_contain_text("Menampilkan 3 UMKM")
    page.get_by_role("button", name="Gunakan lokasi saya").click()
    status = page.locator("#map-status")
    expect(status).to_contain_text("Peta dipusatkan di lokasi Anda (ketepatan sekitar ±12 m)")
    page.wait_for_load_state("networkidle")
    # The map shows the town square's street: Batik Sekar Jati, 170 m away, and not Cepu's, 25 km away.
    area = page.locator("#area-map").bounding_box()
    near = page.locator("#area-map .leaflet-marker-icon[title='Batik Sekar Jati']")
    expect(near).to_be_visible()
    box = near.bounding_box()
    assert area["x"] <= box["x"] <= area["x"] + area["width"] and area["y"] <= box["y"] <= area["y"] + area["height"]
    expect(page.locator("#area-map .leaflet-marker-icon[title='Kerupuk Rambak Cepu']")).to_have_count(0)
    no_sideways_scroll(page)
    assert page.refusals == []


def test_a_refused_location_says_so_and_leaves_the_fields_typeable(open_page, live_server, users, located):
    page = open_page(PHONE, geolocation=HERE, permissions=[])
    open_the_list(page, live_server.url)
    page.goto(f"{live_server.url}/umkm/{located[0].pk}/ubah/")
    page.get_by_role("button", name="Gunakan lokasi saya").click()
    expect(page.locator(".locate [role=status]")).to_contain_text("Akses lokasi ditolak.")
    expect(page.get_by_label("Lintang")).to_have_value("-6.970000")  # untouched
    page.get_by_label("Lintang").fill("-6.95")
    expect(page.get_by_label("Lintang")).to_have_value("-6.95")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_map_draws_the_districts_outlines_the_office_loaded(
    open_page, live_server, users, offices, tmp_path, viewport
):
    from sentra.regions.boundaries import load_boundaries
    from sentra.regions.tests.test_boundaries import feature, write

    jati = [[[111.35, -7.05], [111.45, -7.05], [111.45, -6.95], [111.35, -6.95], [111.35, -7.05]]]
    randublatung = [[[111.45, -7.05], [111.55, -7.05], [111.55, -6.95], [111.45, -6.95], [111.45, -7.05]]]
    features = [
        feature({"shapeName": "Jati"}, {"type": "Polygon", "coordinates": jati}),
        feature({"shapeName": "Randublatung"}, {"type": "Polygon", "coordinates": randublatung}),
    ]
    load_boundaries(write(tmp_path, features), source="Batas uji, CC BY 4.0", regency="33.16")
    page = open_page(viewport)
    open_the_list(page, live_server.url)
    page.get_by_role("link", name="Peta", exact=True).click()
    expect(page.locator("#map-status")).to_contain_text("Tidak ada UMKM berkoordinat")
    outlines = page.locator("#area-map path.leaflet-interactive")
    expect(outlines).to_have_count(2)
    expect(page.locator("#area-map .leaflet-control-attribution")).to_contain_text("Batas uji, CC BY 4.0")
    # With no point to show, the map fits the regency's outlines.
    box = outlines.first.bounding_box()
    assert box is not None and box["width"] > 40, box
    outlines.first.hover()
    expect(page.locator(".leaflet-tooltip")).to_have_text("Jati")
    no_sideways_scroll(page)
    assert page.refusals == []
