"""The JSON API: schema, docs without a CDN, and what a business looks like over the wire."""

import json

import pytest

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
