"""The registry list as an officer uses it: its filters, its count, its downloads (issue 12 point 12)."""

import csv
import io
import re

import pytest
from django.urls import reverse

from conftest import make_business
from sentra.registry.models import Business

pytestmark = pytest.mark.django_db
LIST = "registry:business_list"


@pytest.fixture
def many(offices):
    """Blora businesses in two districts, with names in capitals as offices type them."""
    made = []
    for number in range(5):
        made.append(make_business("33.16.01.2001", f"KERIPIK TEMPE BU SRI {number}", offices=[offices["blora"]]))
    for number in range(4):
        made.append(make_business("33.16.02.2001", f"Batik Tulis {number}", status="dormant"))
    make_business("33.16.02.2001", "Warung Pecel", offices=[offices["blora_industry"]])
    make_business("18.09.01.2001", "Keripik Pisang Way Lima")  # another regency: never counted for Blora
    return made


def page(client, **params):
    response = client.get(reverse(LIST), params)
    assert response.status_code == 200
    return response


def test_every_empty_choice_reads_semua(client, users, many):
    client.force_login(users["blora_officer"])
    html = page(client, district="33.16.02").content.decode()
    assert "---------" not in html
    assert html.count(">Semua</option>") >= 8


def test_saring_stays_open_once_a_filter_is_chosen(client, users, many):
    client.force_login(users["blora_officer"])
    assert "<details open>" not in page(client).content.decode()
    assert "<details open>" not in page(client, q="batik").content.decode()  # the search box is outside it
    assert "<details open>" in page(client, district="33.16.02").content.decode()
    assert "<details open>" in page(client, status="dormant").content.decode()


def test_the_download_menu_is_outside_the_refreshed_results(client, users, many):
    """Leaving the search box refreshed #results, which held "Unduh": the first click was lost."""
    client.force_login(users["blora_officer"])
    full = page(client, q="keripik").content.decode()
    results = client.get(reverse(LIST), {"q": "keripik"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert "data-export-format" not in results.content.decode()
    menu = full.index('<details class="export">')
    assert menu < full.index('<div id="results">')
    assert "sentra/registry-list.js" in full
    links = re.findall(r'href="([^"]*)" data-export-format', full)
    assert len(links) == 4 and all("q=keripik" in link for link in links)


def test_export_keeps_the_chosen_sort(client, users, many):
    client.force_login(users["blora_officer"])
    for sort, expected in (("name", sorted), ("-name", lambda names: sorted(names, reverse=True))):
        response = client.get(reverse("registry:business_export"), {"format": "csv", "q": "batik", "sort": sort})
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        names = [row[rows[0].index("Nama usaha")] for row in rows[1:]]
        assert names == expected(names) and len(names) == 4


def test_the_regency_list_shows_its_exact_count_beyond_the_cap(client, users, many, settings):
    settings.REGISTRY_COUNT_CAP = 3
    client.force_login(users["blora_officer"])
    response = page(client)
    assert response.context["count"].count == Business.objects.filter(regency_id="33.16").count() == 10
    assert not response.context["count"].capped
    assert "10 UMKM" in response.content.decode() and "Lebih dari" not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "dormant"}, 4),
        ({"district": "33.16.01"}, 5),
        ({"district": "33.16.02", "status": "active"}, 1),  # a region and one dimension
        ({"fostering_office": "blora"}, 5),
        ({"province": "33"}, 10),  # a wider region than the office's: the office's own
        ({"province": "18"}, 0),  # outside the office's regency: nothing, and never Pesawaran's count
    ],
)
def test_filters_the_tallies_cover_are_counted_exactly(client, users, offices, many, settings, params, expected):
    settings.REGISTRY_COUNT_CAP = 0  # any count that did not come from the tallies would read "Lebih dari 0"
    if "fostering_office" in params:
        params = {**params, "fostering_office": offices[params["fostering_office"]].pk}
    client.force_login(users["blora_officer"])
    response = page(client, **params)
    shown = len(response.context["page"].items)
    if expected:
        assert response.context["count"].count == expected == shown
        assert not response.context["count"].capped
    else:
        assert shown == 0 and response.context["count"].count == 0


@pytest.mark.parametrize(
    "params",
    [
        {"q": "batik"},
        {"status": "dormant", "size_class": "micro"},
        {"quality": "no_kbli"},
        {"village": "33.16.01.2001"},
    ],
)
def test_other_lists_keep_the_capped_count_with_its_label(client, users, many, settings, params):
    settings.REGISTRY_COUNT_CAP = 2
    client.force_login(users["blora_officer"])
    if "village" in params:
        params = {**params, "district": "33.16.01"}
    response = page(client, **params)
    if response.context["count"].capped:
        html = response.content.decode()
        assert "Lebih dari 2 UMKM" in html and "Hitung semua" in html
    else:  # fewer than the cap: counted exactly anyway
        assert response.context["count"].count == len(response.context["page"].items)


def test_a_partner_agency_counts_only_what_it_fosters(client, users, many, settings):
    settings.REGISTRY_COUNT_CAP = 0
    client.force_login(users["industry_officer"])
    response = page(client)
    assert [b.name for b in response.context["page"].items] == ["Warung Pecel"]
    assert response.context["count"].count == 1 and not response.context["count"].capped


def test_an_edit_is_counted_at_once(client, users, many, settings):
    settings.REGISTRY_COUNT_CAP = 0
    client.force_login(users["blora_officer"])
    assert page(client, status="dormant").context["count"].count == 4
    Business.objects.filter(name="Batik Tulis 0").update(status="active")  # the database's triggers mark it
    assert page(client, status="dormant").context["count"].count == 3


def test_the_kbli_picker_ranks_by_meaning(client, users):
    client.force_login(users["blora_officer"])
    html = client.get(reverse("kbli:options"), {"q": "keripik singkong"}).content.decode()
    codes = re.findall(r"\b\d{5}\b", html)
    assert codes and codes[0] == "10794"


def test_a_form_shown_again_without_a_kbli_lists_the_suggestions_again(client, users):
    from sentra.registry.tests.test_views import form_data

    client.force_login(users["blora_officer"])
    data = form_data(**{"business-activity": "keripik tempe", "business-kbli": "", "business-name": ""})
    page = client.post(reverse("registry:business_create"), data).content.decode()
    activity = re.search(r'<input[^>]*name="business-activity"[^>]*>', page).group(0)
    assert 'hx-trigger="load, input changed delay:500ms"' in activity
    fresh = client.get(reverse("registry:business_create")).content.decode()
    assert 'hx-trigger="input changed delay:500ms"' in re.search(
        r'<input[^>]*name="business-activity"[^>]*>', fresh
    ).group(0)


def test_the_activity_typed_on_the_form_lists_its_kbli_with_the_suggestion_first(client, users):
    client.force_login(users["blora_officer"])
    form = client.get(reverse("registry:business_create")).content.decode()
    assert 'hx-get="/kbli/pilihan/?prefix=business"' in form and 'hx-include="#id_business-kbli"' in form
    html = client.get(reverse("kbli:options"), {"prefix": "business", "business-activity": "keripik tempe"})
    options = re.findall(r'<option value="(\d*)"( selected)?>([^<]*)', html.content.decode())
    assert options[0][0] == "" and "belum dipilih; saran: 10794" in options[0][2]  # nothing chosen for the officer
    assert options[1][0] == "10794" and "disarankan dari jenis usaha" in options[1][2]
    assert not any(selected for _code, selected, _label in options)


def test_a_kbli_the_officer_chose_stays_chosen_as_the_activity_changes(client, users):
    client.force_login(users["blora_officer"])
    params = {"prefix": "business", "business-activity": "warung kopi", "business-kbli": "13134"}
    options = re.findall(
        r'<option value="(\d*)"( selected)?', client.get(reverse("kbli:options"), params).content.decode()
    )
    assert options[0] == ("13134", " selected")  # batik, as chosen
    assert ("56303", "") in options  # the activity's suggestion, offered
    assert options[-1] == ("", "")  # and a way back to no code
    vague = client.get(
        reverse("kbli:options"), {"prefix": "business", "business-activity": "produksi"}
    ).content.decode()
    assert "disarankan" not in vague  # the kind of activity, not the activity: no suggestion


def test_registered_by_names_the_officers_by_their_names(client, users, many):
    officer = users["blora_officer"]
    type(officer).objects.filter(pk=officer.pk).update(first_name="Agus", last_name="Setiawan")
    client.force_login(officer)
    html = page(client).content.decode()
    assert f'<option value="{officer.pk}">Agus Setiawan</option>' in html
