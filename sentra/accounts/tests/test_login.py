"""Signing in: lockout after repeated wrong passwords, password rules, and sessions that end after idle hours."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
LOCKED = "Terlalu banyak percobaan masuk yang gagal."


def sign_in(client: Client, username: str, password: str, url: str = LOGIN, **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def test_the_account_locks_at_the_threshold_and_refuses_the_right_password(client, users, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _attempt in range(4):
        response = sign_in(client, "blora_officer", "salah-tebak")
        assert response.status_code == 200
        assert "Nama pengguna atau kata sandi salah." in response.content.decode()
    response = sign_in(client, "blora_officer", "salah-tebak")  # the fifth
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "coba lagi dalam 15 menit" in response.content.decode()
    assert "Account locked" not in response.content.decode()

    response = sign_in(client, "blora_officer", PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not signed_in(client)

    # Another user from the same address is not locked out.
    other = Client()
    assert sign_in(other, "blora_viewer", PASSWORD).status_code == 302
    assert signed_in(other)


def test_the_lock_ends_after_the_cool_off(client, users):
    for _attempt in range(5):
        sign_in(client, "blora_officer", "salah-tebak")
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=14)):
        assert sign_in(client, "blora_officer", PASSWORD).status_code == 429
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=16)):
        assert sign_in(client, "blora_officer", PASSWORD).status_code == 302
        assert signed_in(client)


def test_a_successful_login_starts_the_count_again(client, users):
    for _attempt in range(4):
        sign_in(client, "blora_officer", "salah-tebak")
    assert sign_in(client, "blora_officer", PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    for _attempt in range(4):
        assert sign_in(client, "blora_officer", "salah-tebak").status_code == 200


def test_the_admin_login_goes_through_the_same_lockout(client, users):
    admin_login = reverse("admin:login")
    for _attempt in range(4):
        assert sign_in(client, "pusat", "salah-tebak", admin_login).status_code == 200
    response = sign_in(client, "pusat", "salah-tebak", admin_login)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert sign_in(client, "pusat", PASSWORD, admin_login).status_code == 429
    # The lock is the account's, whichever form is used.
    assert sign_in(client, "pusat", PASSWORD).status_code == 429
    assert not signed_in(client)


def test_the_lockout_speaks_english_when_chosen(client, users):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    for _attempt in range(5):
        response = sign_in(client, "blora_officer", "salah-tebak")
    assert "Too many failed sign-in attempts." in response.content.decode()


def test_behind_a_proxy_each_client_address_counts_on_its_own(client, users, settings):
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    for _attempt in range(5):
        sign_in(client, "blora_officer", "salah-tebak", HTTP_X_REAL_IP="10.1.1.1")
    assert sign_in(client, "blora_officer", PASSWORD, HTTP_X_REAL_IP="10.1.1.1").status_code == 429
    elsewhere = Client()
    assert sign_in(elsewhere, "blora_officer", PASSWORD, HTTP_X_REAL_IP="10.2.2.2").status_code == 302


@pytest.mark.parametrize("password", ["12345678", "password", "87654321", "qwerty123"])
def test_weak_passwords_are_refused(users, password):
    with pytest.raises(ValidationError):
        validate_password(password, users["blora_officer"])


def test_a_long_uncommon_password_passes(users):
    validate_password("kopi-tubruk-di-pasar-blora", users["blora_officer"])


def test_the_password_form_refuses_a_weak_one(client, users):
    client.force_login(users["superuser"])
    user = users["blora_officer"]
    response = client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": "12345678", "password2": "12345678", "usable_password": "true"},
    )
    assert response.status_code == 200  # the form again, with its errors
    codes = {error.code for error in response.context["form"].errors.as_data()["password2"]}
    assert codes == {"password_too_common", "password_entirely_numeric"}
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_session_ends_after_a_working_day_without_activity(client, users):
    assert settings.SESSION_COOKIE_AGE == 9 * 3600
    start = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        sign_in(client, "blora_officer", PASSWORD)
        assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 9 * 3600
    business_list = reverse("registry:business_list")

    # Active at 16:00: the session now lasts until 01:00, not 17:00.
    with time_machine.travel(start + dt.timedelta(hours=8), tick=False):
        assert client.get(business_list).status_code == 200
    session = Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)
    assert session.expire_date == start + dt.timedelta(hours=17)

    with time_machine.travel(start + dt.timedelta(hours=16, minutes=55), tick=False):
        assert client.get(business_list).status_code == 200
    # Nine hours and a minute after the last activity (16:55; refreshed at most every five minutes).
    with time_machine.travel(start + dt.timedelta(hours=26), tick=False):
        response = client.get(business_list)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_pages_in_quick_succession_do_not_rewrite_the_session(client, users):
    client.force_login(users["blora_officer"])
    url = reverse("registry:business_list")
    client.get(url)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    before = Session.objects.get(session_key=session_key).expire_date
    client.get(url)
    assert Session.objects.get(session_key=session_key).expire_date == before
