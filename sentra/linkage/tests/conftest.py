"""Fixtures: a Blora registry and the industry office's list of some of the same UMKM."""

import csv

import pytest

from conftest import make_business
from sentra.linkage.tests.partner_data import PARTNER, REGISTRY
from sentra.registry.models import Person


@pytest.fixture
def registry(offices):
    found = []
    for village, _name, owner, nik, phone, business, product in REGISTRY:
        item = make_business(village, business, offices=[offices["blora"]], owner_name=owner)
        Person.objects.filter(pk=item.owner_id).update(nik=nik, phone=phone)
        item.products.create(name=product)
        found.append(item)
    return found


@pytest.fixture
def partner_file(tmp_path):
    path = tmp_path / "binaan-disperin.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["NO", "NAMA PEMILIK", "NAMA USAHA", "NO HP", "DESA", "PRODUK"])
        for number, row in enumerate(PARTNER, start=1):
            writer.writerow([number, *row[:5]])
    return path
