"""A small Blora registry whose every figure is counted by hand in the tests.

| business | district | status | stage | KBLI | size | owner | fostered by | licences | since |
|---|---|---|---|---|---|---|---|---|---|
| batik | Jati | active | digital | C | micro (capital) | P | blora, industry | halal, pirt | Mar 2026 |
| toko | Jati | active | modern | G | small (capital) | L | blora | pirt ×2 | Mar 2026 |
| tahu | Jati | closed | traditional | – | unknown | P | blora |  | Dec 2025 |
| kerupuk | Randublatung | active | digital | C | small (turnover) | L | blora, industry |  | May 2026 |
| warung | Randublatung | dormant | traditional | I | micro (capital)* | P | blora |  | May 2026 |

* its turnover says medium: a size class that contradicts the figures.
Plus one business in Pesawaran, outside Blora. Status changes: tahu closed in May 2026,
warung went dormant in June 2026.
"""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from conftest import make_business
from sentra.linkage.models import DuplicatePair
from sentra.registry.models import (
    Business,
    MaturityChange,
    OperatingStatus,
    Person,
    SizeClassChange,
    StatusChange,
)

JATI, RANDUBLATUNG = "33.16.01", "33.16.02"
# The figures by month and year, and "this year so far", follow the clock: the tests run on one day.
TODAY = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=True):
        yield TODAY.date()


def local(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 10, 0, tzinfo=timezone.get_current_timezone())


def _history(business: Business, model, field: str, steps: list[tuple[str, str, dt.datetime]]) -> None:
    model.objects.filter(business=business).delete()
    for previous, value, when in steps:
        model.objects.create(business=business, changed_at=when, **{field: value, f"previous_{field}": previous})


@pytest.fixture
def registry(offices) -> dict[str, Business]:
    blora, industry = offices["blora"], offices["blora_industry"]
    found = {
        "batik": make_business(
            "33.16.01.2001",
            "Batik Sekar Jati",
            [blora, industry],
            kbli_id="13134",
            capital=50_000_000,
            maturity="digital",
        ),
        "toko": make_business(
            "33.16.01.2002", "Toko Makmur", [blora], kbli_id="47111", capital=2_000_000_000, maturity="modern"
        ),
        "tahu": make_business("33.16.01.2003", "Tahu Pak Darmo", [blora], status="closed"),
        "kerupuk": make_business(
            "33.16.02.1005", "Kerupuk Rambak", [blora, industry], kbli_id="10792", annual_turnover=3_000_000_000
        ),
        "warung": make_business(
            "33.16.02.1011",
            "Warung Bu Tini",
            [blora],
            kbli_id="56103",
            capital=500_000_000,
            annual_turnover=20_000_000_000,
            status="dormant",
        ),
        "pesawaran": make_business("18.09.01.2001", "Keripik Way Lima", [offices["pesawaran"]]),
    }
    Business.objects.filter(pk=found["kerupuk"].pk).update(maturity="digital")
    for key, sex in (("toko", "L"), ("kerupuk", "L")):
        Person.objects.filter(pk=found[key].owner_id).update(sex=sex)
    for key in ("batik", "toko", "kerupuk", "warung", "pesawaran"):
        Person.objects.filter(pk=found[key].owner_id).update(village_id=found[key].village_id)
    Person.objects.filter(pk=found["tahu"].owner_id).update(nik=None)
    registered = {
        "batik": local(2026, 3, 10),
        "toko": local(2026, 3, 20),
        "tahu": local(2025, 12, 5),
        "kerupuk": local(2026, 5, 2),
        "warung": local(2026, 5, 15),
        "pesawaran": local(2026, 3, 1),
    }
    for key, when in registered.items():
        Business.objects.filter(pk=found[key].pk).update(created_at=when)
    Business.objects.filter(pk=found["batik"].pk).update(
        status_verified_on=timezone.localdate() - dt.timedelta(days=30)
    )
    Business.objects.filter(pk=found["toko"].pk).update(status_verified_on=dt.date(2025, 1, 1))
    # Registered this year, but last verified (in the lists they came from) long ago: due a visit.
    old = [found[key].pk for key in ("tahu", "kerupuk", "warung")]
    Business.objects.filter(pk__in=old).update(status_verified_on=dt.date(2024, 11, 1))

    batik, toko = found["batik"], found["toko"]
    batik.licences.create(kind="halal", number="ID33110000123")
    batik.licences.create(kind="pirt", number="2063316010001-26")
    toko.licences.create(kind="pirt", number="2063316010002-26")
    toko.licences.create(kind="pirt", number="2063316010003-26")

    for key in ("batik", "toko", "tahu", "kerupuk", "warung", "pesawaran"):
        _history(found[key], StatusChange, "status", [("", OperatingStatus.ACTIVE, registered[key])])
    StatusChange.objects.create(
        business=found["tahu"], status="closed", previous_status="active", changed_at=local(2026, 5, 20)
    )
    StatusChange.objects.create(
        business=found["warung"], status="dormant", previous_status="active", changed_at=local(2026, 6, 3)
    )
    # Size: toko moved up this year; batik went up and back down (no move); kerupuk moved up in 2025.
    _history(
        toko, SizeClassChange, "size_class", [("", "micro", registered["toko"]), ("micro", "small", local(2026, 4, 1))]
    )
    _history(
        batik,
        SizeClassChange,
        "size_class",
        [
            ("", "micro", registered["batik"]),
            ("micro", "small", local(2026, 4, 2)),
            ("small", "micro", local(2026, 7, 1)),
        ],
    )
    _history(
        found["kerupuk"],
        SizeClassChange,
        "size_class",
        [("", "micro", local(2025, 1, 2)), ("micro", "small", local(2025, 6, 1))],
    )
    # Stage: batik went traditional → modern → digital this year; toko became modern in 2025.
    _history(
        batik,
        MaturityChange,
        "stage",
        [
            ("", "traditional", registered["batik"]),
            ("traditional", "modern", local(2026, 3, 15)),
            ("modern", "digital", local(2026, 4, 1)),
        ],
    )
    _history(
        toko,
        MaturityChange,
        "stage",
        [("", "traditional", local(2025, 1, 5)), ("traditional", "modern", local(2025, 6, 1))],
    )

    DuplicatePair.objects.create(
        office=blora, first=found["kerupuk"], second=found["warung"], probability=0.8, evidence={}
    )
    return {key: Business.objects.get(pk=business.pk) for key, business in found.items()}
