"""Values the registry cannot hold are refused by the form, the import and the database itself."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from sentra.imports.services import import_file
from sentra.imports.tests.test_import_file import write_sheet
from sentra.registry.models import Business, Licence, Person, Product
from sentra.registry.tests.test_views import form_data

pytestmark = pytest.mark.django_db

TOMORROW = (dt.date.today() + dt.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("owner-birth_date", "1800-01-01"),
        ("owner-birth_date", "2100-01-01"),
        ("owner-birth_date", TOMORROW),
        ("business-status_verified_on", "0001-01-01"),
        ("business-status_verified_on", "9999-12-31"),
        ("business-status_verified_on", TOMORROW),
        ("business-workers_paid_male", "99999999999"),
        ("business-workers_unpaid_female", "100001"),
        ("business-capital", "Rp 99.000.000.000.000.000"),
        ("business-start_year", str(dt.date.today().year + 1)),
    ],
)
def test_the_form_refuses_values_out_of_range(client, users, field, value):
    client.force_login(users["blora_officer"])
    data = form_data(**{field: value})
    if field == "owner-birth_date":
        data["owner-nik"] = ""  # no NIK to disagree with
    response = client.post(reverse("registry:business_create"), data)
    assert response.status_code == 200
    form = response.context["person_form" if field.startswith("owner") else "form"]
    assert field.split("-", 1)[1] in form.errors
    assert not Business.objects.filter(name="Terasi Bu Sri").exists()


def _refused(model, **values) -> bool:
    try:
        with transaction.atomic():
            model.objects.create(**values)
    except IntegrityError:
        return True
    return False


def test_the_database_refuses_what_skips_validation(businesses):
    business = businesses["blora_plain"]
    owner = business.owner
    assert _refused(Person, full_name="X", sex="L", birth_date=dt.date(1800, 1, 1))
    assert _refused(Person, full_name="X", sex="L", birth_date=dt.date(2300, 1, 1))
    for field, value in [
        ("workers_paid_male", 99_999_999),
        ("capital", -1),
        ("annual_turnover", 10**16),
        ("status_verified_on", dt.date(1, 1, 1)),
        ("status_verified_on", dt.date(9999, 12, 31)),
        ("start_year", 1800),
        ("latitude", 50),
    ]:
        assert _refused(Business, name="X", owner=owner, village_id="33.16.01.2001", **{field: value}), field
    assert _refused(Product, business=business, name="X", monthly_capacity=2_000_000_000)
    assert _refused(Licence, business=business, kind="pirt", number="1", issued_on=dt.date(1800, 1, 1))
    assert not _refused(Person, full_name="Y", sex="L", birth_date=dt.date(1950, 1, 1))


def test_an_import_row_with_an_impossible_value_says_which(tmp_path, offices, users):
    rows = [
        [1, "Sri Wahyuni", "", "Terasi Bu Sri", "", "Bangkleyan", "Jati", "Rp 99.000.000.000.000.000", ""],
    ]
    result = import_file(
        path=write_sheet(tmp_path / "a.xlsx", rows), office=offices["blora"], actor=users["blora_officer"]
    )
    # An optional value: the row is kept, the turnover left blank, and the warning says why.
    assert (result.counts["created"], result.counts["warned"]) == (1, 1)
    assert "terlalu besar" in result.rows[0][0].warnings["annual_turnover"]
