"""The JSON API: schema, docs without a CDN, and what a business looks like over the wire."""

import json

import pytest

from conftest import make_business
from sentra.registry.tests.test_views_scope import ALL, CHANGEABLE, VISIBLE

pytestmark = pytest.mark.django_db


def test_openapi_schema_lists_the_endpoints(client, users):
    client.force_login(users["blora_officer"])
    schema = json.loads(client.get("/api/openapi.json").content)
    paths = set(schema["paths"])
    assert {"/api/businesses/", "/api/businesses/{business_id}", "/api/regions/provinces", "/api/kbli/"} <= paths


def test_docs_load_their_assets_from_our_own_server(client, users):
    client.force_login(users["blora_officer"])
    page = client.get("/api/docs").content.decode()
    assert "swagger-ui" in page
    assert "cdn" not in page.lower()
    assert "https://" not in page


def test_business_json_masks_the_nik_and_filters_apply(client, users, businesses):
    client.force_login(users["blora_officer"])
    data = json.loads(client.get("/api/businesses/", {"q": "batik"}).content)
    assert [item["name"] for item in data["items"]] == ["Batik Sekar Jati"]
    item = data["items"][0]
    nik = businesses["blora_fostered"].owner.nik
    assert item["owner_nik_masked"] == nik[:6] + "*" * 10
    assert nik not in json.dumps(data)
    assert item["size_class"] == "micro" and item["size_basis"] == "capital"
    assert item["regency_code"] == "33.16"
    assert sorted(item["fostering_offices"]) == ["dinkop-blora", "disperin-blora"]


def test_region_and_kbli_lookups(client, users):
    client.force_login(users["blora_officer"])
    villages = json.loads(client.get("/api/regions/villages", {"district": "33.16.01", "q": "bangk"}).content)
    assert villages == [{"code": "33.16.01.2001", "name": "Bangkleyan"}]
    codes = [row["code"] for row in json.loads(client.get("/api/kbli/", {"q": "terasi"}).content)]
    assert "10295" in codes


def test_the_list_documents_every_filter_of_the_html_list_and_its_cursors(client):
    from sentra.registry.filters import BusinessFilterSet

    schema = json.loads(client.get("/api/openapi.json").content)
    operation = schema["paths"]["/api/businesses/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert set(BusinessFilterSet.base_filters) | {"sort", "after", "before"} == set(parameters)
    assert all(parameter["in"] == "query" and not parameter["required"] for parameter in parameters.values())
    status = parameters["status"]["schema"]["anyOf"][0]
    assert status["enum"] == ["active", "dormant", "closed", "moved"]
    assert parameters["q"]["description"] == "Cari usaha, pemilik, atau produk"
    assert parameters["registered_month"]["schema"]["anyOf"][0]["pattern"].startswith("^(19|20|21)")
    assert parameters["moved_from"]["schema"]["anyOf"][0]["format"] == "date"


def test_every_endpoint_declares_its_errors_with_schemas(client):
    schema = json.loads(client.get("/api/openapi.json").content)
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            declared = set(operation["responses"])
            assert {"200", "401", "403", "422"} <= declared, (method, path)
            assert ("404" in declared) == ("{business_id}" in path), (method, path)
            for code in declared - {"200"}:
                body = operation["responses"][code]["content"]["application/json"]["schema"]
                assert body["$ref"] in {"#/components/schemas/ErrorOut", "#/components/schemas/ValidationErrorOut"}


@pytest.mark.parametrize(
    "params,field",
    [
        ({"status": "bogus"}, "status"),
        ({"moved_from": "not-a-date"}, "moved_from"),
        ({"registered_month": "2026-13"}, "registered_month"),
        ({"district": "99.99.99"}, "district"),  # well formed, but no such district in Blora: the FilterSet says so
        ({"moved_from": "1800-01-01"}, "moved_from"),
        ({"q": "batik\x00"}, "q"),
    ],
)
def test_bad_filter_values_are_a_422_naming_the_parameter(client, users, businesses, params, field):
    client.force_login(users["blora_officer"])
    response = client.get("/api/businesses/", params)
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert [error["loc"] for error in errors] == [["query", field]]
    assert all(error["msg"] for error in errors)


def test_an_empty_filter_means_any_as_on_the_page(client, users, businesses):
    client.force_login(users["blora_officer"])
    response = client.get("/api/businesses/", {"status": "", "q": "", "district": "33.16.01"})
    assert [item["name"] for item in response.json()["items"]] == ["Batik Sekar Jati", "Parcel Barokah"]


@pytest.mark.parametrize("business_id", ["abc", "0", str(2**63)])
def test_an_id_that_is_no_id_is_a_422(client, users, business_id):
    client.force_login(users["blora_officer"])
    response = client.get(f"/api/businesses/{business_id}")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["path", "business_id"]


def test_the_cursors_walk_the_list(client, users, offices, businesses, settings):
    settings.REGISTRY_PAGE_SIZE = 1
    client.force_login(users["blora_officer"])
    first = client.get("/api/businesses/").json()
    second = client.get("/api/businesses/", {"after": first["next_cursor"]}).json()
    assert [first["items"][0]["name"], second["items"][0]["name"]] == ["Batik Sekar Jati", "Parcel Barokah"]
    back = client.get("/api/businesses/", {"before": second["previous_cursor"]}).json()
    assert back["items"][0]["name"] == "Batik Sekar Jati"


# Pinned like NetBox's query counts: an N+1 (say, each row's fostering offices) adds queries and fails here.
# Session and user, the officer's office, the FilterSet's KBLI sections, the page, its fostering offices.
LIST_QUERIES = 6
# Session and user, the officer's office, the business with its joins, its fostering offices.
DETAIL_QUERIES = 5


def test_the_list_makes_the_same_few_queries_however_many_rows(
    client, users, offices, businesses, django_assert_num_queries
):
    for number in range(6):
        make_business("33.16.01.2001", f"Usaha {number}", offices=[offices["blora"], offices["blora_industry"]])
    client.force_login(users["blora_officer"])
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get("/api/businesses/")
    assert len(response.json()["items"]) == 8
    assert all(item["fostering_offices"] for item in response.json()["items"])


def test_the_detail_makes_a_fixed_number_of_queries(client, users, businesses, django_assert_num_queries):
    client.force_login(users["blora_officer"])
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(f"/api/businesses/{businesses['blora_fostered'].pk}")
    assert sorted(response.json()["fostering_offices"]) == ["dinkop-blora", "disperin-blora"]


@pytest.mark.parametrize("username", sorted(CHANGEABLE))
@pytest.mark.parametrize("key", ALL)
def test_the_status_write_keeps_to_the_change_scope(client, users, businesses, username, key):
    client.force_login(users[username])
    response = client.post(
        f"/api/businesses/{businesses[key].pk}/status", {"status": "dormant"}, content_type="application/json"
    )
    expected = 200 if key in CHANGEABLE[username] else 403 if key in VISIBLE[username] else 404
    assert response.status_code == expected
    businesses[key].refresh_from_db()
    assert (businesses[key].status == "dormant") == (expected == 200)
