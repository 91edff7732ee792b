"""Size class history: written by every writer that can change a business's capital or turnover."""

import pytest

from sentra.imports.services import import_file
from sentra.imports.tests.test_import_file import GOOD, write_sheet
from sentra.imports.undo import undo_import
from sentra.registry.models import Business, Person, SizeClassChange
from sentra.registry.services import create_business, save_person, update_business

pytestmark = pytest.mark.django_db


def history(business) -> list[tuple[str, str]]:
    rows = SizeClassChange.objects.filter(business=business).order_by("changed_at", "id")
    return list(rows.values_list("previous_size_class", "size_class"))


def test_services_record_registration_and_each_new_class(users, offices):
    officer = users["blora_officer"]
    owner = save_person(actor=officer, person=Person(full_name="Sri Wahyuni", sex="P"))
    business = create_business(
        actor=officer,
        business=Business(name="Terasi Bu Sri", owner=owner, village_id="33.16.01.2001", capital=75_000_000),
        fostering_offices=[offices["blora"]],
    )
    assert history(business) == [("", "micro")]
    business.capital = 80_000_000  # still micro: no row
    update_business(actor=officer, business=business)
    business.capital = 3_000_000_000
    update_business(actor=officer, business=business)
    assert history(business) == [("", "micro"), ("micro", "small")]
    assert SizeClassChange.objects.filter(business=business).last().changed_by == officer


def test_imports_record_new_businesses_and_changed_classes_and_undo_records_the_way_back(offices, users, tmp_path):
    officer = users["blora_officer"]
    first = import_file(path=write_sheet(tmp_path / "a.xlsx", GOOD), office=offices["blora"], actor=officer)
    terasi = Business.objects.get(name="Terasi Bu Sri")
    assert history(terasi) == [("", "micro")]  # 120 million a year
    rows = [list(row) for row in GOOD]
    rows[0][7] = "3 miliar"  # turnover now makes it small
    second = import_file(path=write_sheet(tmp_path / "b.xlsx", rows), office=offices["blora"], actor=officer)
    assert second.counts["updated"] == 1
    assert history(terasi) == [("", "micro"), ("micro", "small")]
    undo_import(second.batch, actor=officer)
    assert history(terasi) == [("", "micro"), ("micro", "small"), ("small", "micro")]
    assert first.counts["created"] == 3
