"""The reports count the dashboards' small hand-counted Blora registry (see sentra/dashboards/tests/conftest.py)."""

import datetime as dt

import pytest

from sentra.dashboards.tests.conftest import registry, today  # noqa: F401  (the fixtures, shared)

THIS_YEAR = (dt.date(2026, 1, 1), dt.date(2026, 11, 24))


@pytest.fixture(autouse=True)
def media(private_media):
    """Report files go to the test's own private directory."""
    return private_media
