"""Locations: the points endpoint behind the registry's map (scope, filters, box, cap), the pages' map
markup, and the map tiles' host in the Content-Security-Policy."""

import json
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from conftest import make_business
from sentra.core.maps import tile_origin
from sentra.registry import services
from sentra.registry.models import Business
from sentra.registry.tests.test_views_scope import ALL, VISIBLE

pytestmark = pytest.mark.django_db

POINTS = "/api/businesses/points"
# Where the `businesses` fixture's UMKM stand: Blora's two in Jepon, Pesawaran's in Lampung.
PLACES = {
    "blora_fostered": ("-7.012345", "111.456789"),
    "blora_plain": ("-7.100000", "111.500000"),
    "pesawaran": ("-5.400000", "105.100000"),
}


@pytest.fixture
def located(businesses) -> dict[str, Business]:
    for key, (latitude, longitude) in PLACES.items():
        Business.objects.filter(pk=businesses[key].pk).update(latitude=Decimal(latitude), longitude=Decimal(longitude))
    # One without coordinates: never on a map.
    make_business("33.16.01.2003", "Tanpa Titik", offices=[businesses["blora_plain"].fostering_offices.first()])
    return businesses


def _points(client, user, **params) -> dict:
    client.force_login(user)
    response = client.get(POINTS, params)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def _names(data: dict) -> set[str]:
    return {name for _id, _lat, _lon, name in data["points"]}


@pytest.mark.parametrize("username", sorted(VISIBLE))
def test_points_show_only_what_the_user_may_see(client, users, located, username):
    data = _points(client, users[username])
    assert _names(data) == {located[key].name for key in VISIBLE[username]}
    assert data["truncated"] is False
    assert data["limit"] == django_settings.MAP_POINT_LIMIT


def test_a_point_carries_id_coordinates_and_name(client, users, located):
    data = _points(client, users["pesawaran_officer"])
    assert data["points"] == [[located["pesawaran"].pk, -5.4, 105.1, "Keripik Pisang Way Lima"]]


def test_points_need_a_signed_in_user(client, located):
    response = client.get(POINTS)
    assert response.status_code == 401
    assert all(located[key].name not in response.content.decode() for key in ALL)


def test_points_take_the_lists_filters(client, users, located):
    user = users["superuser"]
    assert _names(_points(client, user, q="batik")) == {"Batik Sekar Jati"}
    assert _names(_points(client, user, regency="18.09")) == {"Keripik Pisang Way Lima"}
    assert _names(_points(client, user, village="33.16.01.2002", district="33.16.01", regency="33.16")) == {
        "Parcel Barokah"
    }
    assert _names(_points(client, user, status="closed")) == set()


def test_archived_businesses_leave_the_map(client, users, located):
    services.archive_business(actor=users["blora_admin"], business=located["blora_plain"], reason="tutup")
    assert _names(_points(client, users["blora_officer"])) == {"Batik Sekar Jati"}


def test_points_within_the_maps_box(client, users, located):
    box = {"south": -7.05, "west": 111.4, "north": -7.0, "east": 111.47}
    assert _names(_points(client, users["superuser"], **box)) == {"Batik Sekar Jati"}
    # The edges belong to the box.
    edge = {"south": -7.1, "west": 111.5, "north": -7.1, "east": 111.5}
    assert _names(_points(client, users["superuser"], **edge)) == {"Parcel Barokah"}


@pytest.mark.parametrize(
    "params",
    [
        {"south": -7.2},  # part of a box
        {"south": -7.0, "west": 111.0, "north": -7.2, "east": 112.0},  # south of its north
        {"south": -7.2, "west": 112.0, "north": -7.0, "east": 111.0},  # west of its east
        {"south": -95, "west": 111.0, "north": -7.0, "east": 112.0},  # no such latitude
        {"south": "utara", "west": 111.0, "north": -7.0, "east": 112.0},
        {"status": "bangkrut"},
        {"district": "99.99.99"},
    ],
)
def test_a_bad_box_or_filter_is_refused_with_a_reason(client, users, located, params):
    client.force_login(users["superuser"])
    response = client.get(POINTS, params)
    assert response.status_code == 422
    assert json.loads(response.content)["detail"][0]["msg"]


def test_bounds_errors_speak_indonesian(client, users, located):
    client.force_login(users["superuser"])
    detail = json.loads(client.get(POINTS, {"south": -7.2}).content)["detail"]
    assert detail[0]["msg"] == "Batas peta diisi keempatnya atau tidak sama sekali."


@pytest.fixture
def two_towns(offices, settings) -> dict[str, list[Business]]:
    """Twelve located UMKM in Blora, six in the north of the box and six in the south, with room for eight."""
    settings.MAP_POINT_LIMIT = 8
    towns: dict[str, list[Business]] = {"south": [], "north": []}
    for number in range(6):
        for town, latitude in (("south", Decimal("-7.300000")), ("north", Decimal("-6.900000"))):
            business = make_business(
                "33.16.01.2001",
                f"{town.title()} {number}",
                offices=[offices["blora"]],
                latitude=latitude + Decimal(number) / 1000,
                longitude=Decimal("111.300000") + Decimal(number) / 1000,
            )
            towns[town].append(business)
    return towns


def test_more_points_than_the_cap_say_so_and_sample_the_whole_box(client, users, two_towns):
    box = {"south": -7.4, "west": 111.2, "north": -6.8, "east": 111.4}
    data = _points(client, users["blora_officer"], **box)
    assert data["truncated"] is True and data["limit"] == 8
    assert 0 < len(data["points"]) <= 8
    names = _names(data)
    # Both towns are on the map, not the first eight rows of one index's order.
    assert any(name.startswith("North") for name in names) and any(name.startswith("South") for name in names)


def test_more_points_than_the_cap_without_a_box_are_a_sample_by_name(client, users, two_towns):
    data = _points(client, users["blora_officer"])
    assert data["truncated"] is True
    assert sorted(_names(data)) == sorted(f"{town} {n}" for town in ("North", "South") for n in range(6))[:8]


def test_as_many_points_as_the_cap_are_all_shown(client, users, two_towns, settings):
    settings.MAP_POINT_LIMIT = 12
    data = _points(client, users["blora_officer"])
    assert data["truncated"] is False and len(data["points"]) == 12


# The pages.


def test_the_umkm_page_shows_its_point_on_a_map_with_links_to_map_apps(client, users, located):
    client.force_login(users["blora_officer"])
    business = located["blora_fostered"]
    page = client.get(reverse("registry:business_detail", args=[business.pk])).content.decode()
    assert 'data-map-point data-lat="-7.012345" data-lon="111.456789"' in page
    assert f'data-tile-url="{django_settings.MAP_TILE_URL}"' in page
    assert 'href="geo:-7.012345,111.456789?q=-7.012345,111.456789(Batik%20Sekar%20Jati)"' in page
    assert (
        'href="https://www.openstreetmap.org/?mlat=-7.012345&amp;mlon=111.456789#map=17/-7.012345/111.456789"' in page
    )
    assert "/static/vendor/leaflet/leaflet.js" in page and "/static/sentra/map.js" in page
    assert "/static/vendor/leaflet/images/marker-icon.png" in page  # Leaflet is told where its images are


def test_a_business_without_coordinates_has_no_map(client, users, businesses):
    client.force_login(users["blora_officer"])
    page = client.get(reverse("registry:business_detail", args=[businesses["blora_plain"].pk])).content.decode()
    assert "data-map-point" not in page and "geo:" not in page


def test_the_form_offers_the_devices_location_with_messages_for_each_failure(client, users, businesses):
    client.force_login(users["blora_officer"])
    for url in (
        reverse("registry:business_create"),
        reverse("registry:business_edit", args=[businesses["blora_plain"].pk]),
    ):
        page = client.get(url).content.decode()
        assert 'data-locate data-latitude="id_business-latitude" data-longitude="id_business-longitude"' in page
        assert '<button type="button" hidden>Gunakan lokasi saya</button>' in page
        for message in ("denied", "unavailable", "timeout", "inaccurate", "rough", "outside", "insecure", "found"):
            assert f"data-msg-{message}=" in page
        assert "Akses lokasi ditolak." in page
        assert "/static/sentra/locate.js" in page
        assert 'name="business-latitude"' in page  # the fields stay typeable


def test_the_list_links_to_its_map_with_its_filters(client, users, located):
    client.force_login(users["blora_officer"])
    page = client.get(reverse("registry:business_list"), {"q": "batik", "sort": "-name"}).content.decode()
    assert f'href="{reverse("registry:business_map")}?q=batik" data-with-filters' in page


def test_the_map_page_loads_the_points_of_the_lists_filters(client, users, located):
    client.force_login(users["blora_officer"])
    response = client.get(reverse("registry:business_map"), {"q": "batik", "status": "active", "sort": "-name"})
    page = response.content.decode()
    assert response.status_code == 200
    assert f'data-points-url="{POINTS}?q=batik&amp;status=active"' in page
    assert "Saringan: Cari usaha, pemilik, atau produk: batik; Status: Aktif" in page
    assert f'href="{reverse("registry:business_list")}?q=batik&amp;status=active"' in page
    assert "leaflet.markercluster.js" in page and "MarkerCluster.Default.css" in page
    assert "data-msg-truncated=" in page


def test_the_map_page_says_when_its_filters_are_invalid(client, users):
    client.force_login(users["blora_officer"])
    page = client.get(reverse("registry:business_map"), {"status": "bangkrut"}).content.decode()
    assert "Saringan ini tidak valid" in page


# The tiles' host in the Content-Security-Policy.


def test_pages_allow_images_from_the_tile_host(client, users):
    client.force_login(users["blora_officer"])
    policy = client.get(reverse("registry:business_list")).headers["Content-Security-Policy"]
    img_src = next(part for part in policy.split(";") if part.strip().startswith("img-src")).split()
    assert img_src[1:] == ["'self'", "data:", "https://tile.openstreetmap.org"]


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.openstreetmap.fr/hot/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.fr"),
        ("https://peta.example.go.id:8443/tiles/{z}/{x}/{y}.png?key=abc", "https://peta.example.go.id:8443"),
        ("/tiles/{z}/{x}/{y}.png", None),  # served by Sentra: 'self'
    ],
)
def test_the_tile_origin_comes_from_the_tile_address(url, origin):
    assert tile_origin(url) == origin


@pytest.mark.parametrize(
    "url", ["tiles/{z}/{x}/{y}.png", "ftp://tiles.example.org/{z}.png", "https://{z}.example.org/{x}/{y}.png"]
)
def test_a_tile_address_the_policy_cannot_name_stops_the_start(url):
    with pytest.raises(ImproperlyConfigured):
        tile_origin(url)


def test_the_policy_follows_MAP_TILE_URL_from_the_environment():
    environment = {
        **os.environ,
        "SENTRA_DEV": "1",
        "DJANGO_SETTINGS_MODULE": "sentra.settings",
        "MAP_TILE_URL": "https://{s}.peta.example.go.id/{z}/{x}/{y}.png",
    }
    program = "from django.conf import settings; print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    result = subprocess.run(  # noqa: S603 - our own settings module
        [sys.executable, "-c", program],
        env=environment,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[\"'self'\", 'data:', 'https://*.peta.example.go.id']"
