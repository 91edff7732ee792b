"""Whatever is typed into an address, the dashboards and the lists they link to answer without a server error."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

DASHBOARD_QUERIES = [
    {"dari": "2026-01-01", "sampai": "9999-12-31"},
    {"dari": "0001-01-01", "sampai": "2026-03-31"},
    {"dari": "9999-10-01", "sampai": "9999-12-31"},
    {"dari": "2026-13-45"},
    {"dari": "kemarin", "sampai": ""},
    {"wilayah": "33.16.0\x00"},
    {"wilayah": "33.16.99"},
    {"wilayah": "3"},
    {"wilayah": "'; DROP TABLE x;--"},
]
LIST_QUERIES = [
    {"registered_month": "9999-12"},
    {"registered_month": "0001-01"},
    {"registered_month": "2026-13"},
    {"registered_year": "99999"},
    {"status_changed_month": "9999-12", "status_changed_to": "closed"},
    {"moved_up": "size", "moved_to": "9999-12-31"},
    {"moved_up": "size", "moved_from": "0001-01-01"},
    {"moved_up": "size", "moved_step": "drop table"},
    {"moved_up": "sideways"},
    {"registered_by": "null"},
    {"registered_by": "999999"},
    {"quality": "everything"},
]


@pytest.mark.parametrize("query", DASHBOARD_QUERIES)
@pytest.mark.parametrize("page", ["dashboards:office", "dashboards:rollup", "dashboards:compare", "dashboards:quality"])
def test_dashboards_refuse_or_ignore_bad_parameters(client, users, registry, page, query):
    client.force_login(users["jateng_officer"])
    response = client.get(reverse(page), query)
    assert response.status_code in (200, 403), response.status_code


@pytest.mark.parametrize("query", LIST_QUERIES)
def test_the_list_answers_bad_filters_with_an_empty_list(client, users, registry, query):
    client.force_login(users["blora_officer"])
    response = client.get(reverse("registry:business_list"), query)
    assert response.status_code == 200


def test_a_province_year_beyond_the_calendar_is_ignored(client, users, registry):
    client.force_login(users["jateng_officer"])
    assert client.get(reverse("dashboards:rollup"), {"tahun": "99999"}).status_code == 200
    assert client.get(reverse("dashboards:compare"), {"tahun": "0"}).status_code == 200
