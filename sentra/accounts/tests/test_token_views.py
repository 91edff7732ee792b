"""The token pages: only office admins and superusers reach them; the key is shown once; revoking works at once."""

import pytest
from django.urls import reverse

from conftest import make_user
from sentra.accounts import tokens
from sentra.accounts.models import ApiToken, Role, TokenScope

pytestmark = pytest.mark.django_db


@pytest.fixture
def blora_token(users, offices) -> tuple[ApiToken, str]:
    return tokens.create_token(
        actor=users["blora_admin"], office=offices["blora"], name="Survei lapangan", scopes=[TokenScope.REGISTRY_READ]
    )


@pytest.mark.parametrize("username", ["blora_officer", "blora_viewer", "industry_officer"])
def test_officers_and_viewers_have_no_token_pages(client, users, blora_token, username):
    client.force_login(users[username])
    token, _key = blora_token
    assert client.get(reverse("accounts:token_list")).status_code == 403
    assert client.get(reverse("accounts:token_detail", args=[token.pk])).status_code == 403
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 403
    assert client.post(reverse("accounts:token_list"), {"name": "x", "scopes": ["registry:read"]}).status_code == 403
    assert ApiToken.objects.count() == 1


def test_another_offices_admin_sees_none_of_blora_tokens(client, users, offices, blora_token):
    client.force_login(make_user("pesawaran_admin", offices["pesawaran"], Role.ADMIN))
    token, key = blora_token
    assert "Survei lapangan" not in client.get(reverse("accounts:token_list")).content.decode()
    assert client.get(reverse("accounts:token_detail", args=[token.pk])).status_code == 404
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    assert tokens.authenticate_token(key) == token


def test_an_office_admin_makes_a_token_and_sees_its_key_only_once(client, users, offices):
    client.force_login(users["blora_admin"])
    page = client.post(
        reverse("accounts:token_list"),
        {"name": "Dasbor provinsi", "scopes": ["registry:read", "regions:read"], "expires_on": "2099-12-31"},
    )
    token = ApiToken.objects.get()
    key = page.context["new_key"]
    assert key in page.content.decode() and "no-store" in page["Cache-Control"]
    assert (token.office, token.created_by, str(token.expires_on)) == (
        offices["blora"],
        users["blora_admin"],
        "2099-12-31",
    )
    assert tokens.authenticate_token(key) == token
    again = client.get(reverse("accounts:token_list")).content.decode()
    assert "Dasbor provinsi" in again and key not in again and f"sentra_{token.prefix}_" in again


def test_a_refused_token_is_explained_on_the_form(client, users, offices):
    province_admin = make_user("jateng_admin", offices["jateng"], Role.ADMIN)
    client.force_login(province_admin)
    page = client.post(reverse("accounts:token_list"), {"name": "x", "scopes": ["registry:write"]})
    assert page.context["form"].non_field_errors() and not ApiToken.objects.exists()


def test_a_superuser_chooses_the_office(client, users, offices):
    client.force_login(users["superuser"])
    assert "office" in client.get(reverse("accounts:token_list")).context["form"].fields
    client.post(
        reverse("accounts:token_list"), {"office": offices["pesawaran"].pk, "name": "x", "scopes": ["kbli:read"]}
    )
    assert ApiToken.objects.get().office == offices["pesawaran"]


def test_the_detail_shows_the_use_log_and_revoking_takes_effect_at_once(client, users, blora_token):
    token, key = blora_token
    client.get("/api/businesses/", headers={"Authorization": f"Bearer {key}"}, REMOTE_ADDR="10.9.8.7")
    client.force_login(users["blora_admin"])
    listing = client.get(reverse("accounts:token_list"))
    assert listing.context["tokens"][0].last_used_at is not None
    detail = client.get(reverse("accounts:token_detail", args=[token.pk])).content.decode()
    assert "GET /api/businesses/" in detail and "10.9.8.7" in detail
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    client.logout()
    assert client.get("/api/businesses/", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_the_admin_shows_tokens_and_their_uses_read_only_to_the_office(client, users, offices, blora_token):
    token, key = blora_token
    client.get("/api/businesses/", headers={"Authorization": f"Bearer {key}"})
    tokens.create_token(
        actor=users["superuser"], office=offices["pesawaran"], name="Token Lampung", scopes=["kbli:read"]
    )
    client.force_login(users["blora_admin"])
    listing = client.get(reverse("admin:accounts_apitoken_changelist")).content.decode()
    assert "Survei lapangan" in listing and "Token Lampung" not in listing
    uses = client.get(reverse("admin:accounts_apitokenuse_changelist")).content.decode()
    assert "/api/businesses/" in uses
    change = client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
    assert change.status_code == 200 and token.key_hash not in change.content.decode()
    assert client.post(reverse("admin:accounts_apitoken_change", args=[token.pk]), {"name": "y"}).status_code == 403
    # The token's service user is not among the users the office admin manages.
    users_page = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert token.service_user.username not in users_page
