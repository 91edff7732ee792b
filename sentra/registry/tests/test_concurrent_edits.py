"""Two officers edit one business from forms opened at the same time: nothing is silently reverted."""

import pytest
from django.urls import reverse

from sentra.registry.models import Business

pytestmark = pytest.mark.django_db


def _opened_form(client, business: Business) -> dict:
    """The edit form's fields as the browser would post them back, unchanged."""
    response = client.get(reverse("registry:business_edit", args=[business.pk]))
    data = {}
    for form in (response.context["person_form"], response.context["form"]):
        for field in form:
            value = field.value()
            if value is None:
                continue
            if isinstance(value, list):
                data[field.html_name] = [str(item) for item in value]
            else:
                data[field.html_name] = str(value)
    return data


def _save(client, business: Business, data: dict):
    return client.post(reverse("registry:business_edit", args=[business.pk]), data)


@pytest.fixture
def business(businesses) -> Business:
    return businesses["blora_plain"]


def test_a_stale_form_keeps_what_the_other_officer_saved(client, users, business):
    client.force_login(users["blora_officer"])
    first, second = _opened_form(client, business), _opened_form(client, business)
    first.update({"business-capital": "Rp 75.000.000", "owner-phone": "0812-1111-2222"})
    assert _save(client, business, first).status_code == 302
    second.update({"business-annual_turnover": "Rp 400.000.000", "owner-address": "Jl. Baru 2"})
    assert _save(client, business, second).status_code == 302
    business.refresh_from_db()
    business.owner.refresh_from_db()
    assert business.capital == 75_000_000  # not reverted by the stale form
    assert business.annual_turnover == 400_000_000
    assert business.owner.phone == "+6281211112222"
    assert business.owner.address == "Jl. Baru 2"


def test_both_changing_one_field_shows_both_values_to_choose(client, users, business):
    client.force_login(users["blora_officer"])
    first, second = _opened_form(client, business), _opened_form(client, business)
    first["business-capital"] = "Rp 75.000.000"
    _save(client, business, first)
    second["business-capital"] = "Rp 90.000.000"
    response = _save(client, business, second)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Data ini diubah orang lain" in page
    assert "Rp 75.000.000" in page and "Rp 90.000.000" in page
    assert "blora_officer" in page  # who saved the other value
    business.refresh_from_db()
    assert business.capital == 75_000_000  # nothing saved until the officer chooses
    # The officer keeps the stored value and saves again from the returned form.
    again = {key: value for key, value in second.items()}
    again["business-base"] = response.context["form"].data["business-base"]
    again["resolve-business-capital"] = "theirs"
    assert _save(client, business, again).status_code == 302
    business.refresh_from_db()
    assert business.capital == 75_000_000


def test_choosing_ones_own_value_saves_it(client, users, business):
    client.force_login(users["blora_officer"])
    first, second = _opened_form(client, business), _opened_form(client, business)
    first["owner-phone"] = "0812-1111-2222"
    _save(client, business, first)
    second["owner-phone"] = "0813-3333-4444"
    response = _save(client, business, second)
    assert "Data ini diubah orang lain" in response.content.decode()
    second["business-base"] = response.context["form"].data["business-base"]
    second["resolve-owner-phone"] = "mine"
    assert _save(client, business, second).status_code == 302
    business.owner.refresh_from_db()
    assert business.owner.phone == "+6281333334444"


def test_fostering_offices_merge_as_sets(client, users, offices, business):
    client.force_login(users["blora_officer"])
    first, second = _opened_form(client, business), _opened_form(client, business)
    first["business-fostering_offices"] = [str(offices["blora"].pk), str(offices["blora_industry"].pk)]
    _save(client, business, first)
    second["business-name"] = "Parcel Barokah Jaya"
    assert _save(client, business, second).status_code == 302
    business.refresh_from_db()
    assert set(business.fostering_offices.all()) == {offices["blora"], offices["blora_industry"]}
    assert business.name == "Parcel Barokah Jaya"


def test_a_tampered_base_saves_as_before(client, users, business):
    client.force_login(users["blora_officer"])
    data = _opened_form(client, business)
    data["business-base"] = "forged"
    data["business-name"] = "Parcel Baru"
    assert _save(client, business, data).status_code == 302
    business.refresh_from_db()
    assert business.name == "Parcel Baru"
