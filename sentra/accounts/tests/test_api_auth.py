"""Signing in to the API: a session as before, or a token whose scope, office and state decide; each use logged."""

import json

import pytest
from django.test import Client

from sentra.accounts import tokens
from sentra.accounts.models import ApiTokenUse, Role, TokenScope
from sentra.audit.models import ObjectChange

pytestmark = pytest.mark.django_db
ALL_READ = [TokenScope.REGISTRY_READ, TokenScope.REGIONS_READ, TokenScope.KBLI_READ]


@pytest.fixture
def blora_key(users, offices) -> str:
    _token, key = tokens.create_token(
        actor=users["blora_admin"], office=offices["blora"], name="Survei", scopes=ALL_READ
    )
    return key


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_a_token_reads_its_office_and_nothing_else(client, businesses, blora_key):
    names = [item["name"] for item in client.get("/api/businesses/", headers=bearer(blora_key)).json()["items"]]
    assert names == ["Batik Sekar Jati", "Parcel Barokah"]
    own = client.get(f"/api/businesses/{businesses['blora_plain'].pk}", headers=bearer(blora_key))
    assert own.status_code == 200
    other = client.get(f"/api/businesses/{businesses['pesawaran'].pk}", headers=bearer(blora_key))
    assert other.status_code == 404 and "detail" in other.json()


def test_a_partner_agency_token_reads_only_what_the_agency_fosters(client, users, offices, businesses):
    admin = users["industry_officer"]
    admin.role = Role.ADMIN
    admin.save()
    _token, key = tokens.create_token(
        actor=admin, office=offices["blora_industry"], name="x", scopes=[TokenScope.REGISTRY_READ]
    )
    names = [item["name"] for item in client.get("/api/businesses/", headers=bearer(key)).json()["items"]]
    assert names == ["Batik Sekar Jati"]


@pytest.mark.parametrize(
    "state,message",
    [("unknown", "tidak dikenal"), ("revoked", "dicabut"), ("expired", "kedaluwarsa"), ("creator", "admin aktif")],
)
def test_unusable_tokens_get_401_with_a_message_in_indonesian(client, users, blora_key, state, message):
    token = tokens.authenticate_token(blora_key)
    key = blora_key
    if state == "unknown":
        key = blora_key[:-4] + "abcd"
    elif state == "revoked":
        tokens.revoke_token(actor=users["blora_admin"], token=token)
    elif state == "expired":
        type(token).objects.filter(pk=token.pk).update(expires_on="2020-01-01")
    else:
        users["blora_admin"].is_active = False
        users["blora_admin"].save()
    response = client.get("/api/businesses/", headers=bearer(key))
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert message in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_without_session_or_token_the_api_says_how_to_sign_in(client):
    response = client.get("/api/regions/provinces")
    assert response.status_code == 401
    assert "Authorization: Bearer" in response.json()["detail"]


def test_each_endpoint_asks_for_its_own_scope(client, users, offices):
    _token, key = tokens.create_token(
        actor=users["blora_admin"], office=offices["blora"], name="x", scopes=[TokenScope.REGIONS_READ]
    )
    assert client.get("/api/regions/provinces", headers=bearer(key)).status_code == 200
    refused = client.get("/api/kbli/", {"q": "batik"}, headers=bearer(key))
    assert refused.status_code == 403 and "kbli:read" in refused.json()["detail"]
    assert client.get("/api/businesses/", headers=bearer(key)).status_code == 403


def test_a_read_only_token_cannot_write(client, businesses, blora_key):
    business = businesses["blora_plain"]
    response = client.post(
        f"/api/businesses/{business.pk}/status",
        {"status": "dormant"},
        content_type="application/json",
        headers=bearer(blora_key),
    )
    assert response.status_code == 403 and "registry:write" in response.json()["detail"]
    business.refresh_from_db()
    assert business.status == "active"


def test_a_write_token_verifies_a_status_as_its_service_user(users, offices, businesses):
    token, key = tokens.create_token(
        actor=users["blora_admin"], office=offices["blora"], name="Survei", scopes=[TokenScope.REGISTRY_WRITE]
    )
    business = businesses["blora_plain"]
    client = Client(enforce_csrf_checks=True)  # a server calls without cookies: no CSRF token needed
    response = client.post(
        f"/api/businesses/{business.pk}/status",
        {"status": "dormant"},
        content_type="application/json",
        headers=bearer(key),
    )
    assert response.status_code == 200 and response.json()["status"] == "dormant"
    business.refresh_from_db()
    assert (business.status, business.status_verified_by) == ("dormant", token.service_user)
    change = ObjectChange.objects.get(object_id=business.pk, action="update")
    assert change.actor == token.service_user
    elsewhere = client.post(
        f"/api/businesses/{businesses['pesawaran'].pk}/status",
        {"status": "dormant"},
        content_type="application/json",
        headers=bearer(key),
    )
    assert elsewhere.status_code == 404


def test_a_session_writes_only_with_its_csrf_token(users, businesses):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["blora_officer"])
    url = f"/api/businesses/{businesses['blora_plain'].pk}/status"
    assert client.post(url, {"status": "dormant"}, content_type="application/json").status_code == 403
    client.get("/umkm/")  # any page sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    response = client.post(url, {"status": "dormant"}, content_type="application/json", headers={"X-CSRFToken": csrf})
    assert response.status_code == 200


def test_a_viewer_session_cannot_write(client, users, businesses):
    client.force_login(users["blora_viewer"])
    response = client.post(
        f"/api/businesses/{businesses['blora_plain'].pk}/status",
        {"status": "dormant"},
        content_type="application/json",
    )
    assert response.status_code == 403 and response.json()["detail"]


def test_every_token_call_is_logged_with_its_outcome(client, users, businesses, blora_key):
    token = tokens.authenticate_token(blora_key)
    client.get("/api/businesses/", {"status": "active"}, headers=bearer(blora_key), REMOTE_ADDR="10.1.2.3")
    client.get(f"/api/businesses/{businesses['pesawaran'].pk}", headers=bearer(blora_key))
    client.get("/api/businesses/", {"status": "nonsense"}, headers=bearer(blora_key))
    tokens.revoke_token(actor=users["blora_admin"], token=token)
    client.get("/api/businesses/", headers=bearer(blora_key))
    client.get("/api/businesses/", headers=bearer("sentra_unknown_key"))  # no token to log it against
    uses = list(ApiTokenUse.objects.filter(token=token).order_by("time", "id"))
    assert [(use.method, use.path, use.status) for use in uses] == [
        ("GET", "/api/businesses/", 200),
        ("GET", f"/api/businesses/{businesses['pesawaran'].pk}", 404),
        ("GET", "/api/businesses/", 422),
        ("GET", "/api/businesses/", 401),
    ]
    assert uses[0].ip_address == "10.1.2.3"
    assert ApiTokenUse.objects.count() == 4


def test_session_calls_are_not_token_uses(client, users, businesses):
    client.force_login(users["blora_officer"])
    assert client.get("/api/businesses/").status_code == 200
    assert not ApiTokenUse.objects.exists()


def test_the_docs_name_each_endpoints_token_scope(client):
    schema = json.loads(client.get("/api/openapi.json").content)
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    security = {
        (method, path): operation["security"]
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }
    assert security[("get", "/api/businesses/")] == [{"TokenAuth": ["registry:read"]}, {"SessionAuth": []}]
    assert security[("post", "/api/businesses/{business_id}/status")][0] == {"TokenAuth": ["registry:write"]}
    assert security[("get", "/api/regions/villages")][0] == {"TokenAuth": ["regions:read"]}
    assert security[("get", "/api/kbli/")][0] == {"TokenAuth": ["kbli:read"]}
