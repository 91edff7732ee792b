"""The dashboard pages: the numbers they show for each kind of user, scope, and the lists their links open.

The figures themselves are checked in test_selectors.py; here the pages must show
them, formatted, and every link must open the list of exactly the businesses
counted (the registry of conftest.py: five in Blora, one in Pesawaran).
"""

import html as entities
import json
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_business

pytestmark = pytest.mark.django_db

OFFICE = reverse("dashboards:office")
ROLLUP = reverse("dashboards:rollup")
COMPARE = reverse("dashboards:compare")
QUALITY = reverse("dashboards:quality")
PAGES = (OFFICE, ROLLUP, COMPARE, QUALITY)
THIS_YEAR = {"dari": "2026-01-01", "sampai": "2026-11-24"}
NUMBER_LINK = re.compile(r'<a href="([^"]+)">([\d.]+)</a>')  # a count linking to its list


class _Links(HTMLParser):
    """Every <a href> of a page with its text."""

    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._open: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._open.append([dict(attrs).get("href") or "", ""])

    def handle_data(self, data):
        for link in self._open:
            link[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            href, text = self._open.pop()
            self.links.append((href, " ".join(text.split())))


def links_of(response) -> list[tuple[str, str]]:
    parser = _Links()
    parser.feed(response.content.decode())
    return parser.links


def link_named(response, text: str) -> str:
    """The address of the one link whose text starts with `text`."""
    found = [href for href, label in links_of(response) if label.startswith(text)]
    assert len(found) == 1, (text, found)
    return found[0]


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)  # Client.login passes no request, which django-axes refuses
    return client


def listed(client: Client, url: str) -> set[str]:
    """The names of the businesses the registry list page shows at `url`."""
    response = client.get(url)
    assert response.status_code == 200
    assert not response.context["filter"].errors, response.context["filter"].errors
    names = {business.name for business in response.context["page"].items}
    assert response.context["count"].count == len(names)
    return names


def funnel_counts(response) -> list[str]:
    return re.findall(r'<strong class="stage-count">([\d.]+)</strong>', response.content.decode())


def chart_spec(response, chart_id: str) -> dict:
    match = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', response.content.decode())
    assert match, chart_id
    return json.loads(match.group(1))


# -- The office dashboard ---------------------------------------------------------------------


def test_regency_officer_sees_their_regency(registry, users):
    client = logged_in(users["blora_officer"])
    response = client.get(OFFICE, THIS_YEAR)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Kabupaten Blora</h1>" in html
    assert funnel_counts(response) == ["5", "3", "2"]
    assert "60,0% dari terdaftar" in html and "40,0% dari terdaftar" in html
    # Each breakdown is a chart and a table with the same numbers and links.
    districts = chart_spec(response, "chart-area")
    assert districts["labels"][:2] == ["Jati", "Randublatung"]
    assert districts["datasets"][0]["counts"][:2] == [3, 2]
    assert districts["datasets"][0]["urls"][0] == "/umkm/?regency=33.16&district=33.16.01"
    assert ("/umkm/?regency=33.16&district=33.16.01", "3") in links_of(response)
    assert ">60,0%</td>" in html  # Jati: 3 of 5
    sizes = chart_spec(response, "chart-size")
    assert dict(zip(sizes["labels"], sizes["datasets"][0]["counts"], strict=True)) == {
        "Mikro": 2,
        "Kecil": 2,
        "Belum diketahui": 1,
    }
    # Drilling down, the other pages for this area; no province roll-up for a regency.
    assert ("/dasbor/?dari=2026-01-01&sampai=2026-11-24&wilayah=33.16.01", "Jati") in links_of(response)
    assert link_named(response, "Mutu data") == "/dasbor/mutu-data/?wilayah=33.16"
    assert link_named(response, "Perbandingan") == "/dasbor/banding/?wilayah=33.16"
    assert "Rekap provinsi" not in html
    assert "Hanya UMKM binaan" not in html


def test_a_district_shows_its_parent_and_its_own_figures(registry, users):
    response = logged_in(users["blora_officer"]).get(OFFICE, {"wilayah": "33.16.02"})
    assert response.status_code == 200
    assert "<h1>Randublatung</h1>" in response.content.decode()
    assert funnel_counts(response) == ["2", "1", "1"]  # kerupuk and warung; warung is dormant
    assert link_named(response, "Kabupaten Blora") == "/dasbor/?wilayah=33.16"
    assert "Pilih kecamatan" not in response.content.decode()  # no level below a district


def test_province_user_sees_the_province(registry, users):
    response = logged_in(users["jateng_officer"]).get(OFFICE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Jawa Tengah</h1>" in html
    assert funnel_counts(response) == ["5", "3", "2"]
    regencies = chart_spec(response, "chart-area")
    counts = dict(zip(regencies["labels"], regencies["datasets"][0]["counts"], strict=True))
    assert counts["Kabupaten Blora"] == 5 and sum(counts.values()) == 5
    assert link_named(response, "Rekap provinsi") == "/dasbor/provinsi/?wilayah=33"
    assert "Pilih kabupaten/kota" in html


def test_partner_agency_sees_only_what_it_fosters(registry, users):
    response = logged_in(users["industry_officer"]).get(OFFICE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hanya UMKM binaan Disperin Blora." in html
    assert funnel_counts(response) == ["2", "2", "2"]  # batik and kerupuk
    assert "100,0% dari terdaftar" in html


def test_superuser_sees_the_country(registry, users):
    response = logged_in(users["superuser"]).get(OFFICE)
    assert response.status_code == 200
    assert "<h1>Indonesia</h1>" in response.content.decode()
    assert funnel_counts(response) == ["6", "4", "2"]
    provinces = chart_spec(response, "chart-area")
    assert dict(zip(provinces["labels"], provinces["datasets"][0]["counts"], strict=True)) == {
        "Lampung": 1,
        "Jawa Tengah": 5,
    }
    assert link_named(response, "Rekap provinsi") == "/dasbor/provinsi/?wilayah="


def test_monthly_flow_table_and_charts(registry, users):
    response = logged_in(users["blora_officer"]).get(OFFICE)
    registrations = chart_spec(response, "chart-registrations")
    months = dict(zip(registrations["labels"], registrations["datasets"][0]["counts"], strict=True))
    assert months["Mar 2026"] == 2 and months["Mei 2026"] == 2 and months["Des 2025"] == 1
    changes = chart_spec(response, "chart-status-changes")
    assert changes["stacked"] is True
    by_status = {dataset["label"]: dataset for dataset in changes["datasets"]}
    may = changes["labels"].index("Mei 2026")
    assert by_status["Tutup"]["counts"][may] == 1
    closed_in_may = "/umkm/?regency=33.16&status_changed_month=2026-05&status_changed_to=closed"
    assert by_status["Tutup"]["urls"][may] == closed_in_may
    assert ("/umkm/?regency=33.16&registered_month=2026-05", "2") in links_of(response)


def test_moves_over_the_period_asked_for(registry, users):
    client = logged_in(users["blora_officer"])
    response = client.get(OFFICE, {"dari": "2025-01-01", "sampai": "2025-12-31"})
    html = response.content.decode()
    assert 'name="dari" value="2025-01-01"' in html and 'name="sampai" value="2025-12-31"' in html
    moved = {href: text for href, text in links_of(response) if "moved_up=" in href and text.endswith("UMKM")}
    size = "/umkm/?regency=33.16&moved_up=size&moved_from=2025-01-01&moved_to=2025-12-31"
    stage = "/umkm/?regency=33.16&moved_up=maturity&moved_from=2025-01-01&moved_to=2025-12-31"
    assert moved == {size: "1 UMKM", stage: "1 UMKM"}
    assert listed(client, size) == {"Kerupuk Rambak"}
    assert listed(client, stage) == {"Toko Makmur"}
    # A period given backwards is read forwards; one given half is completed.
    backwards = client.get(OFFICE, {"dari": "2025-12-31", "sampai": "2025-01-01"})
    assert backwards.context["dashboard"].period == response.context["dashboard"].period
    half = client.get(OFFICE, {"dari": "2026-02-01", "sampai": "kemarin"})
    assert half.status_code == 200
    assert half.context["dashboard"].period[0].isoformat() == "2026-02-01"


def test_links_open_the_list_of_exactly_the_businesses_counted(registry, users):
    client = logged_in(users["blora_officer"])
    response = client.get(OFFICE, THIS_YEAR)
    assert listed(client, link_named(response, "Berinovasi")) == {"Batik Sekar Jati", "Kerupuk Rambak"}
    assert listed(client, link_named(response, "Masih beroperasi")) == {
        "Batik Sekar Jati",
        "Toko Makmur",
        "Kerupuk Rambak",
    }
    assert listed(client, link_named(response, "Belum ada KBLI")) == {"Tahu Pak Darmo"}
    assert listed(client, "/umkm/?regency=33.16&registered_month=2026-05") == {"Kerupuk Rambak", "Warung Bu Tini"}
    halal = next(href for href, text in links_of(response) if text == "Halal")
    assert listed(client, halal) == {"Batik Sekar Jati"}
    # Every chart bar opens the list of as many businesses as the bar is long.
    spec = chart_spec(response, "chart-maturity")
    for count, url in zip(spec["datasets"][0]["counts"], spec["datasets"][0]["urls"], strict=True):
        assert len(listed(client, url)) == count


def test_office_dashboard_query_count(registry, users, django_assert_max_num_queries):
    """Session, user and office; the area and its districts; the tallies (fresh), KBLI sections, the
    fostering offices' names; the two moves. The first visit after a change also recounts the districts
    that changed, in a fixed number of grouped queries, and is not counted here."""
    client = logged_in(users["blora_officer"])
    client.get(OFFICE, THIS_YEAR)
    with django_assert_max_num_queries(11):
        assert client.get(OFFICE, THIS_YEAR).status_code == 200


def test_office_dashboard_queries_do_not_grow_with_the_data(registry, users, offices):
    client = logged_in(users["blora_officer"])

    def queries() -> int:
        client.get(OFFICE, THIS_YEAR)  # recounts what changed since the last visit
        with CaptureQueriesContext(connection) as captured:
            response = client.get(OFFICE, THIS_YEAR)
        assert response.status_code == 200
        return len(captured.captured_queries)

    before = queries()
    industry = offices["blora_industry"]
    for village in ("33.16.03.2001", "33.16.05.1011", "33.16.09.1006", "33.16.12.1015"):
        business = make_business(village, f"Usaha {village}", [offices["blora"], industry], kbli_id="10792")
        business.licences.create(kind="halal", number=f"ID-{village}")
    assert queries() == before
    assert funnel_counts(client.get(OFFICE, THIS_YEAR))[0] == "9"


# -- Scope and login ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_users_are_sent_to_log_in(url, db):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (OFFICE, {"wilayah": "18.09"}),
        (OFFICE, {"wilayah": "33"}),
        (QUALITY, {"wilayah": "18.09"}),
        (COMPARE, {"wilayah": ["33.16", "18.09"]}),
        (ROLLUP, {}),  # a regency office has no province to roll up
    ],
)
def test_regency_officer_cannot_see_other_areas(registry, users, url, params):
    response = logged_in(users["blora_officer"]).get(url, params)
    assert response.status_code == 403
    assert b"Keripik Way Lima" not in response.content


def test_unknown_area_is_refused(registry, users):
    assert logged_in(users["superuser"]).get(OFFICE, {"wilayah": "99.99"}).status_code == 403


# -- The province roll-up -----------------------------------------------------------------------


def test_province_rollup(registry, users):
    client = logged_in(users["jateng_officer"])
    response = client.get(ROLLUP, {"tahun": "2026"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rekap Jawa Tengah" in html
    rows = response.context["rollup"].rows
    assert len(rows) == 35  # every regency and city of Central Java, most of them empty
    blora = re.search(r'<a href="/dasbor/\?wilayah=33.16">Kabupaten Blora</a></th>(.*?)</tr>', html, re.S)
    assert blora, "Blora's row"
    cells = [(entities.unescape(url), count) for url, count in NUMBER_LINK.findall(blora.group(1))]
    # registered, operating, innovating, five sizes, women-owned, this year, last year
    assert [count for _url, count in cells] == ["5", "3", "2", "2", "2", "0", "0", "1", "3", "4", "1"]
    assert "60,0%" in blora.group(1) and "40,0%" in blora.group(1)
    assert listed(client, cells[1][0]) == {"Batik Sekar Jati", "Toko Makmur", "Kerupuk Rambak"}
    assert listed(client, cells[8][0]) == {"Batik Sekar Jati", "Tahu Pak Darmo", "Warung Bu Tini"}  # women
    total = re.search(r'<tr class="total">(.*?)</tr>', html, re.S).group(1)
    assert [count for _url, count in NUMBER_LINK.findall(total)][:3] == ["5", "3", "2"]
    chart = chart_spec(response, "chart-rollup")
    assert chart["datasets"][0]["counts"][chart["labels"].index("Kabupaten Blora")] == 5


def test_country_rollup_for_superusers(registry, users):
    response = logged_in(users["superuser"]).get(ROLLUP, {"tahun": "2026"})
    assert response.status_code == 200
    assert [row.area.name for row in response.context["rollup"].rows] == ["Lampung", "Jawa Tengah"]
    assert "Per provinsi" in response.content.decode()


def test_rollup_with_a_year_it_cannot_read_shows_this_year(registry, users):
    response = logged_in(users["jateng_officer"]).get(ROLLUP, {"tahun": "dua ribu"})
    assert response.status_code == 200
    assert response.context["rollup"].year == response.context["this_year"]


# -- The comparison -----------------------------------------------------------------------------


def test_comparison_of_two_regencies(registry, users):
    client = logged_in(users["jateng_officer"])
    response = client.get(COMPARE, {"wilayah": ["33.16", "33.17"], "tahun": "2026"})
    assert response.status_code == 200
    html = response.content.decode()
    assert [area.name for area in response.context["comparison"].areas] == ["Kabupaten Blora", "Kabupaten Rembang"]
    assert '<option value="33.16" selected>Kabupaten Blora</option>' in html
    assert '<option value="33.17" selected>Kabupaten Rembang</option>' in html
    assert '<option value="" selected>—</option>' in html  # the third picker is left empty
    sections = dict(response.context["sections"])
    registered = dict(sections["Corong UMKM"])["Terdaftar"]
    assert [figure.count for figure in registered] == [5, 0]
    blora = chart_spec(response, "chart-compare-0")
    assert [dataset["label"] for dataset in blora["datasets"]] == ["2026", "2025"]
    assert blora["datasets"][0]["counts"][2] == 2 and blora["datasets"][1]["counts"][11] == 1  # Mar 2026, Dec 2025
    march = blora["datasets"][0]["urls"][2]
    assert listed(client, march) == {"Batik Sekar Jati", "Toko Makmur"}
    assert (march, "2") in links_of(response)
    moves = dict(response.context["move_rows"])
    blora_moves = next(pairs for area, pairs in moves.items() if area.code == "33.16")
    assert [(now.total.count, before.total.count) for now, before in blora_moves] == [(1, 1), (1, 1)]


def test_comparison_picker_offers_the_home_area_and_its_children(registry, users):
    response = logged_in(users["blora_officer"]).get(COMPARE)
    assert response.status_code == 200
    choices = [area.name for area in response.context["choices"]]
    assert choices[0] == "Kabupaten Blora" and "Jati" in choices and len(choices) == 17
    assert [area.code for area in response.context["comparison"].areas] == ["33.16"]


def test_superuser_compares_the_country_with_a_province(registry, users):
    response = logged_in(users["superuser"]).get(COMPARE, {"wilayah": ["", "33", ""], "tahun": "2026"})
    assert response.status_code == 200
    assert [area.name for area in response.context["comparison"].areas] == ["Indonesia", "Jawa Tengah"]
    registered = dict(dict(response.context["sections"])["Corong UMKM"])["Terdaftar"]
    assert [figure.count for figure in registered] == [6, 5]


# -- Data quality -------------------------------------------------------------------------------


def test_data_quality_panel(registry, users):
    client = logged_in(users["blora_officer"])
    response = client.get(QUALITY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mutu data Kabupaten Blora" in html
    assert "Per kecamatan" in html and "Per petugas pendaftar" in html
    no_nik = "/umkm/?regency=33.16&quality=no_nik"
    assert (no_nik, "1") in links_of(response)
    assert listed(client, no_nik) == {"Tahu Pak Darmo"}
    jati_no_kbli = "/umkm/?regency=33.16&quality=no_kbli&district=33.16.01"
    assert (jati_no_kbli, "1") in links_of(response)
    assert listed(client, jati_no_kbli) == {"Tahu Pak Darmo"}
    duplicates = "/umkm/?regency=33.16&quality=duplicate"
    assert listed(client, duplicates) == {"Kerupuk Rambak", "Warung Bu Tini"}
    total = re.search(r'<tr class="total">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r">([\d.]+)</a>", total)[0] == "5"


def test_data_quality_for_a_partner_agency(registry, users):
    response = logged_in(users["industry_officer"]).get(QUALITY)
    assert response.status_code == 200
    assert "Hanya UMKM binaan" in response.content.decode()
    assert response.context["panel"].total.total.count == 2


# -- The registry list, opened from a dashboard --------------------------------------------------


def test_list_keeps_dashboard_filters_as_hidden_inputs_with_a_notice(registry, users):
    client = logged_in(users["blora_officer"])
    response = client.get("/umkm/", {"registered_month": "2026-05", "status": "dormant"})
    html = response.content.decode()
    assert {business.name for business in response.context["page"].items} == {"Warung Bu Tini"}
    assert '<input type="hidden" name="registered_month" value="2026-05"' in html
    assert 'name="moved_up"' not in html  # an empty hidden filter is left out
    assert "Saringan dari dasbor:" in html and "didaftarkan pada bulan 2026-05" in html
    cleared = link_named(response, "hapus saringan")
    assert cleared == "/umkm/?status=dormant"
    assert listed(client, cleared) == {"Warung Bu Tini"}


def test_list_notice_names_status_changes_and_moves(registry, users):
    client = logged_in(users["blora_officer"])
    changed = client.get("/umkm/", {"status_changed_month": "2026-05", "status_changed_to": "closed"})
    assert "status berubah pada bulan 2026-05 menjadi Tutup" in changed.content.decode()
    moved = client.get("/umkm/", {"moved_up": "size", "moved_from": "2026-01-01", "moved_to": "2026-11-24"})
    assert "naik skala usaha (1 Jan 2026 – 24 Nov 2026)" in moved.content.decode()


def test_plain_list_has_no_dashboard_notice(registry, users):
    html = logged_in(users["blora_officer"]).get("/umkm/").content.decode()
    assert "Saringan dari dasbor" not in html
    assert 'type="hidden" name="province"' not in html


def test_a_province_dashboard_tells_regencies_not_using_sentra_from_zero(registry, users):
    response = logged_in(users["jateng_officer"]).get(OFFICE)
    html = response.content.decode()
    kudus = re.search(r"Kabupaten Kudus</a></th>\s*(<td[^>]*>[^<]*</td>)", html)
    assert kudus and "belum menggunakan Sentra" in kudus.group(1)
    assert ("/umkm/?province=33&regency=33.16", "5") in links_of(response)  # Blora counts
    labels = chart_spec(response, "chart-area")["labels"]
    assert "Kabupaten Kudus (belum menggunakan Sentra)" in labels and "Kabupaten Blora" in labels
    # A regency's kecamatan with no UMKM is really at zero.
    regency = logged_in(users["blora_officer"]).get(OFFICE).content.decode()
    assert "belum menggunakan Sentra" not in regency
    # Opened from the roll-up, a regency without data says so, on its own page and beside another.
    client = logged_in(users["jateng_officer"])
    kudus_page = client.get(OFFICE, {"wilayah": "33.19"}).content.decode()
    assert "Kabupaten Kudus belum menggunakan Sentra: kantornya belum mencatat satu UMKM pun" in kudus_page
    compared = client.get(COMPARE, {"wilayah": ["33.16", "33.19"]}).content.decode()
    header = re.search(r"<thead>.*?</thead>", compared, re.S).group(0)
    assert header.count("belum menggunakan Sentra") == 1 and "Kabupaten Blora" in header
