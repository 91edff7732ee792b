"""The village picker's typed search: what it offers, and the one match it picks by itself."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def search(client, users, query: str, district: str = "33.16.01") -> str:
    client.force_login(users["blora_officer"])
    url = reverse("regions:options", args=["village"])
    return client.get(url, {"q": query, "pick-district": district}).content.decode()


def test_a_single_match_is_chosen_without_another_click(client, users):
    page = search(client, users, "Bangkleyan")
    assert "1 desa cocok" in page
    assert '<option value="33.16.01.2001" selected>' in page  # else the form would keep no village


def test_several_matches_wait_for_the_officers_pick(client, users):
    page = search(client, users, "an")
    assert "desa cocok" in page and page.count("<option") > 2
    assert "selected" not in page
