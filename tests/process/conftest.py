"""Tests that run `manage.py` in a child process against the committed test database."""

import pytest


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Transactional tests flush every table afterwards, regions included."""
    from sentra.kbli.services import load_kbli
    from sentra.regions.models import Village
    from sentra.regions.services import load_regions

    if not Village.objects.exists():
        load_regions()
        load_kbli()
