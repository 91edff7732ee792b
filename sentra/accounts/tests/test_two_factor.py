"""The second factor: an office admin turns it on, and from then on a login also asks for the code."""

import datetime as dt
import re
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD

pytestmark = pytest.mark.django_db

SETUP = reverse("accounts:two_factor")
VERIFY = reverse("accounts:two_factor_verify")
BUSINESSES = reverse("registry:business_list")


def code_for(device: TOTPDevice) -> str:
    """The code an authenticator app shows for `device` now (RFC 6238, computed by django-otp's oath module)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client, username: str, next_url: str = ""):
    return client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD, "next": next_url})


@pytest.fixture
def admin_with_device(users) -> TOTPDevice:
    return TOTPDevice.objects.create(user=users["blora_admin"], name="Sentra", confirmed=True)


def test_an_office_admin_turns_it_on_with_a_code_from_the_app(client, users):
    client.force_login(users["blora_admin"])
    assert "Mulai memasang" in client.get(SETUP).content.decode()

    assert client.post(SETUP, {"action": "start"}).status_code == 302
    page = client.get(SETUP).content.decode()
    device = TOTPDevice.objects.get(user=users["blora_admin"])
    assert not device.confirmed
    assert "<svg" in page  # the QR code, drawn on the server
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", page).group(1).replace(" ", "")
    assert secret == device.config_url.split("secret=")[1].split("&")[0]

    response = client.post(SETUP, {"action": "confirm", "code": "000000"})
    assert "Kode salah atau sudah kedaluwarsa." in response.content.decode()
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)):  # past the throttle's pause
        response = client.post(SETUP, {"action": "confirm", "code": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert "Aktif." in client.get(SETUP).content.decode()


def test_the_login_asks_for_the_code_before_anything_else(client, users, admin_with_device):
    response = sign_in(client, "blora_admin", next_url=BUSINESSES)
    assert response.status_code == 302
    response = client.get(BUSINESSES)
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fumkm%2F"
    # Neither the pages, the admin nor the API open before the code is given.
    assert client.get(reverse("admin:index"))["Location"].startswith(VERIFY)
    api = client.get("/api/businesses/")
    assert api.status_code == 403
    assert api.json() == {"detail": "Selesaikan verifikasi dua langkah terlebih dahulu."}

    page = client.get(f"{VERIFY}?next=%2Fumkm%2F").content.decode()
    assert "Kode verifikasi" in page
    response = client.post(VERIFY, {"code": "12345", "next": BUSINESSES})
    assert "Kode terdiri dari 6 angka." in response.content.decode()
    response = client.post(VERIFY, {"code": code_for(admin_with_device), "next": BUSINESSES})
    assert response.status_code == 302
    assert response["Location"] == BUSINESSES
    assert client.get(BUSINESSES).status_code == 200
    assert client.get("/api/businesses/").status_code == 200


def test_a_code_cannot_be_used_twice(client, users, admin_with_device):
    code = code_for(admin_with_device)
    sign_in(client, "blora_admin")
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.post(reverse("accounts:logout"))
    sign_in(client, "blora_admin")
    response = client.post(VERIFY, {"code": code})
    assert "Kode salah atau sudah kedaluwarsa." in response.content.decode()
    assert client.get(BUSINESSES)["Location"].startswith(VERIFY)


def test_wrong_codes_slow_the_next_try_down(client, users, admin_with_device):
    sign_in(client, "blora_admin")
    with time_machine.travel(dt.datetime.now(dt.UTC), tick=False):
        client.post(VERIFY, {"code": "000000"})
        response = client.post(VERIFY, {"code": code_for(admin_with_device)})
    assert "Terlalu banyak kode yang salah. Tunggu 1 detik, lalu coba lagi." in response.content.decode()


def test_the_admin_login_asks_for_the_code_too(client, users):
    device = TOTPDevice.objects.create(user=users["superuser"], name="Sentra", confirmed=True)
    client.post(reverse("admin:login"), {"username": "pusat", "password": PASSWORD, "next": "/admin/"})
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": code_for(device)})
    assert client.get(reverse("admin:index")).status_code == 200


def test_turning_it_off_needs_a_current_code(client, users, admin_with_device):
    sign_in(client, "blora_admin")
    client.post(VERIFY, {"code": code_for(admin_with_device)})
    response = client.post(SETUP, {"action": "turn_off", "code": "000000"})
    assert "Kode salah atau sudah kedaluwarsa." in response.content.decode()
    assert TOTPDevice.objects.filter(user=users["blora_admin"]).exists()
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=31)):  # a fresh code, past the pause
        client.post(SETUP, {"action": "turn_off", "code": code_for(admin_with_device)})
    assert not TOTPDevice.objects.filter(user=users["blora_admin"]).exists()


def test_officers_have_no_second_factor_page(client, users):
    client.force_login(users["blora_officer"])
    response = client.get(SETUP)
    assert response.status_code == 403
    assert "Verifikasi dua langkah tersedia untuk admin kantor dan superuser." in response.content.decode()


def test_a_login_without_a_device_is_not_asked_for_a_code(client, users):
    sign_in(client, "blora_admin")
    assert client.get(BUSINESSES).status_code == 200


def test_when_required_an_admin_must_set_it_up_first(client, users, settings):
    settings.TWO_FACTOR_REQUIRED = True
    sign_in(client, "pusat")
    response = client.get(BUSINESSES)
    assert response["Location"] == f"{SETUP}?next=%2Fumkm%2F"
    assert "wajib memakai verifikasi dua langkah" in client.get(response["Location"]).content.decode()

    client.post(SETUP, {"action": "start", "next": BUSINESSES})
    device = TOTPDevice.objects.get(user=users["superuser"])
    response = client.post(SETUP, {"action": "confirm", "code": code_for(device), "next": BUSINESSES})
    assert response["Location"] == BUSINESSES
    assert client.get(BUSINESSES).status_code == 200

    # Officers are not asked to.
    officer = client.__class__()
    sign_in(officer, "blora_officer")
    assert officer.get(BUSINESSES).status_code == 200


def test_a_lost_phone_is_handled_from_the_command_line(client, users, admin_with_device):
    output = StringIO()
    call_command("disable_two_factor", "blora_admin", stdout=output)
    assert "off for blora_admin" in output.getvalue()
    sign_in(client, "blora_admin")
    assert client.get(BUSINESSES).status_code == 200
