"""Error pages with DEBUG off: Indonesian (English when chosen), in the site's layout, with the view's reason."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.urls("sentra.core.tests.failing_urls")]


@pytest.fixture(autouse=True)
def production_errors(settings):
    settings.DEBUG = False  # pytest-django runs with DEBUG off already; the pages depend on it


def english(client: Client) -> Client:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def test_403_shows_the_reason_a_real_view_gave(client, users):
    client.force_login(users["blora_officer"])
    response = client.get(reverse("dashboards:office"), {"wilayah": "18.09"})  # Pesawaran, not Blora
    page = response.content.decode()
    assert response.status_code == 403
    assert "Akses ditolak" in page
    assert "Wilayah ini di luar wilayah kantor Anda." in page
    assert "Forbidden" not in page
    assert 'class="brand"' in page and "Keluar" in page  # the site's layout, signed in


def test_403_in_english(client, users):
    english(client).force_login(users["blora_officer"])
    page = client.get(reverse("dashboards:office"), {"wilayah": "18.09"}).content.decode()
    assert "Access denied" in page
    assert "This region is outside your office&#x27;s area." in page


def test_404_shows_the_reason_a_real_view_gave(client, users, businesses):
    client.force_login(users["blora_officer"])
    response = client.get(reverse("registry:business_detail", args=[businesses["pesawaran"].pk]))
    page = response.content.decode()
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in page
    assert "UMKM tidak ditemukan." in page


def test_404_for_an_unknown_address_says_it_plainly(client):
    response = client.get("/tidak-ada/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in page
    assert "Halaman yang Anda cari tidak ada atau sudah dipindahkan." in page
    assert "Not Found" not in page and "Resolver404" not in page and "tried" not in page


def test_404_hides_djangos_developer_text(client, users):
    client.force_login(users["superuser"])
    response = client.get("/uji/tidak-ada-model/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "matches the given query" not in page
    assert "Halaman yang Anda cari tidak ada atau sudah dipindahkan." in page


def test_404_in_english(client):
    page = english(client).get("/tidak-ada/").content.decode()
    assert "Page not found" in page
    assert "Halaman tidak ditemukan" not in page


def test_400_for_a_foreign_host(client):
    response = client.get("/akun/masuk/", HTTP_HOST="sentra.penipu.example")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Permintaan tidak valid" in page
    assert "Bad Request" not in page


def test_500_is_indonesian_and_touches_no_database():
    client = Client(raise_request_exception=False)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/uji/gagal/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Terjadi kesalahan" in page
    assert "Server Error" not in page
    assert "sentra/sentra.css" in page
    assert queries.captured_queries == []


def test_500_in_english():
    client = english(Client(raise_request_exception=False))
    page = client.get("/uji/gagal/").content.decode()
    assert "Something went wrong" in page


def test_500_renders_when_the_database_and_the_context_processors_fail(settings):
    """A failed query (which on PostgreSQL leaves the transaction unusable) and a context processor
    that raises: the page asks nothing of either."""
    engine = settings.TEMPLATES[0]
    processors = [*engine["OPTIONS"]["context_processors"], "sentra.core.tests.failing_urls.broken_context_processor"]
    settings.TEMPLATES = [{**engine, "OPTIONS": {**engine["OPTIONS"], "context_processors": processors}}]
    client = Client(raise_request_exception=False)
    response = client.get("/uji/gagal-tanpa-database/")
    assert response.status_code == 500
    assert "Terjadi kesalahan" in response.content.decode()


def test_an_expired_form_says_so(users):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "blora_officer", "password": "x"})
    assert response.status_code == 403
    assert "Formulir ini sudah kedaluwarsa." in response.content.decode()


def test_error_pages_carry_the_content_security_policy(client):
    response = client.get("/tidak-ada/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert settings.DEBUG is False
