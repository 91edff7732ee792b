"""The scope matrix through every door: pages, search, export, API and admin.

No user may reach a business outside their scope, whichever URL they try (every URL that
names a record, of every app, is tried in core/tests/test_every_url_scope.py).
"""

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Which of the `businesses` fixture each user may see, and change.
VISIBLE = {
    "blora_admin": {"blora_fostered", "blora_plain"},
    "blora_officer": {"blora_fostered", "blora_plain"},
    "blora_viewer": {"blora_fostered", "blora_plain"},
    "pesawaran_officer": {"pesawaran"},
    "jateng_officer": {"blora_fostered", "blora_plain"},
    "industry_officer": {"blora_fostered"},
    "superuser": {"blora_fostered", "blora_plain", "pesawaran"},
}
CHANGEABLE = {
    "blora_admin": {"blora_fostered", "blora_plain"},
    "blora_officer": {"blora_fostered", "blora_plain"},
    "blora_viewer": set(),
    "pesawaran_officer": {"pesawaran"},
    "jateng_officer": set(),  # province users are read-only until granted
    "industry_officer": {"blora_fostered"},
    "superuser": {"blora_fostered", "blora_plain", "pesawaran"},
}
ALL = ("blora_fostered", "blora_plain", "pesawaran")


def _client(client, user):
    client.force_login(user)
    return client


def _names_on_page(content: bytes, businesses) -> set[str]:
    text = content.decode()
    return {key for key, business in businesses.items() if business.name in text}


def _linked_on_page(content: bytes, businesses) -> set[str]:
    """Businesses the page links to (the search box echoes the query, so names alone won't do)."""
    text = content.decode()
    return {
        key for key, b in businesses.items() if f'href="{reverse("registry:business_detail", args=[b.pk])}"' in text
    }


@pytest.mark.parametrize("username", sorted(VISIBLE))
def test_list_shows_only_scope(client, users, businesses, username):
    response = _client(client, users[username]).get(reverse("registry:business_list"))
    assert response.status_code == 200
    assert _linked_on_page(response.content, businesses) == VISIBLE[username]


@pytest.mark.parametrize("username", sorted(VISIBLE))
@pytest.mark.parametrize("key", ALL)
def test_search_never_crosses_scope(client, users, businesses, username, key):
    name = businesses[key].name
    response = _client(client, users[username]).get(reverse("registry:business_list"), {"q": name})
    assert _linked_on_page(response.content, businesses) == ({key} & VISIBLE[username])


@pytest.mark.parametrize("username", sorted(VISIBLE))
@pytest.mark.parametrize("key", ALL)
def test_detail_by_id(client, users, businesses, username, key):
    response = _client(client, users[username]).get(reverse("registry:business_detail", args=[businesses[key].pk]))
    assert response.status_code == (200 if key in VISIBLE[username] else 404)


@pytest.mark.parametrize("username", sorted(VISIBLE))
@pytest.mark.parametrize("key", ALL)
def test_edit_page_by_id(client, users, businesses, username, key):
    response = _client(client, users[username]).get(reverse("registry:business_edit", args=[businesses[key].pk]))
    if key in CHANGEABLE[username]:
        assert response.status_code == 200
    else:
        assert response.status_code in (403, 404)


@pytest.mark.parametrize("username", sorted(VISIBLE))
def test_csv_export(client, users, businesses, username):
    response = _client(client, users[username]).get(reverse("registry:business_export_csv"))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert _names_on_page(body, businesses) == VISIBLE[username]


@pytest.mark.parametrize("username", sorted(VISIBLE))
def test_api_list(client, users, businesses, username):
    response = _client(client, users[username]).get("/api/businesses/")
    assert response.status_code == 200
    names = {item["name"] for item in json.loads(response.content)["items"]}
    assert names == {businesses[key].name for key in VISIBLE[username]}


@pytest.mark.parametrize("username", sorted(VISIBLE))
@pytest.mark.parametrize("key", ALL)
def test_api_detail_by_id(client, users, businesses, username, key):
    response = _client(client, users[username]).get(f"/api/businesses/{businesses[key].pk}")
    assert response.status_code == (200 if key in VISIBLE[username] else 404)


def test_api_needs_login(client, businesses):
    assert client.get("/api/businesses/").status_code == 401
    assert client.get(f"/api/businesses/{businesses['blora_plain'].pk}").status_code == 401


@pytest.mark.parametrize("username", ["blora_admin", "superuser"])
@pytest.mark.parametrize("key", ALL)
def test_admin_list_and_change_by_id(client, users, businesses, username, key):
    client = _client(client, users[username])
    listing = client.get(reverse("admin:registry_business_changelist"))
    assert listing.status_code == 200
    assert (businesses[key].name in listing.content.decode()) == (key in VISIBLE[username])
    change = client.get(reverse("admin:registry_business_change", args=[businesses[key].pk]))
    if key in VISIBLE[username]:
        assert change.status_code == 200
    else:
        # Django's admin redirects to its index with a "does not exist" message.
        assert change.status_code == 302


@pytest.mark.parametrize("username", ["blora_officer", "blora_viewer", "industry_officer"])
def test_admin_closed_to_non_admins(client, users, username):
    response = _client(client, users[username]).get(reverse("admin:registry_business_changelist"))
    assert response.status_code == 302  # to the admin login


def test_nik_reveal_needs_scope_and_admin(client, users, businesses):
    owner_in_blora = businesses["blora_plain"].owner
    url = reverse("registry:owner_nik", args=[owner_in_blora.pk])
    assert _client(client, users["blora_officer"]).post(url).status_code == 403
    assert _client(client, users["pesawaran_officer"]).post(url).status_code == 403
    response = _client(client, users["blora_admin"]).post(url)
    assert response.status_code == 200
    assert owner_in_blora.nik in response.content.decode()
