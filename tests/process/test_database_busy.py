"""A write that finds SQLite locked by another connection past the busy timeout answers 503, not 500.

The lock is real: a second connection to the test database's file holds the write lock, as a long
import does. Here among the process tests because the database must be a file another connection
can open (make test sets SENTRA_SQLITE_TEST_FILE).
"""

import datetime as dt
import sqlite3

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD

pytestmark = pytest.mark.process
BUSY = "Sistem sedang sibuk, coba lagi sebentar lagi."


@pytest.fixture
def locked_database(transactional_db):
    """Another connection holds the write lock; ours gives up after 0.2 s instead of production's 20 s."""
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite locks the whole database for one writer")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout=200")
    locker = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)

    def lock() -> None:
        locker.execute("BEGIN IMMEDIATE")

    def unlock() -> None:
        locker.execute("ROLLBACK")

    yield lock, unlock
    if locker.in_transaction:
        unlock()
    locker.close()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout=20000")


def test_a_login_while_an_import_holds_the_database_is_told_to_retry(locked_database, users):
    lock, unlock = locked_database
    client = Client()
    lock()
    response = client.post(reverse("accounts:login"), {"username": "blora_officer", "password": PASSWORD})
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert BUSY in page
    assert 'class="brand"' in page  # the site's layout

    unlock()
    response = client.post(reverse("accounts:login"), {"username": "blora_officer", "password": PASSWORD})
    assert response.status_code == 302


def test_the_api_gets_json_when_saving_the_session_finds_the_database_locked(locked_database, users):
    """The write here comes after the view, from the sliding session's save, which Django turns into
    SessionInterrupted (a 400): the error handler still sees the lock behind it."""
    lock, _unlock = locked_database
    client = Client(raise_request_exception=False)
    client.force_login(users["blora_officer"])
    lock()
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)):  # due for a refresh
        response = client.get("/api/businesses/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert response.json() == {"detail": BUSY}
