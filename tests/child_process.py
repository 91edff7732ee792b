"""For tests that run manage.py in a child process against the test database."""

import pytest
from django.db import connection


def database_url() -> str:
    """The test database, as the child process must reach it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        if db["NAME"] in (":memory:", "") or "mode=memory" in str(db["NAME"]):
            pytest.fail("SQLite's test database is in memory; run with SENTRA_SQLITE_TEST_FILE set (make test does)")
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
