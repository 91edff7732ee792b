"""Size class per PP 7/2021 article 35, and Business keeping it in sync."""

import pytest

from conftest import make_business
from sentra.registry.models import Business
from sentra.registry.sizing import SizeBasis, SizeClass, size_class_for

JUTA = 1_000_000
MILIAR = 1_000_000_000


@pytest.mark.parametrize(
    ("capital", "size"),
    [
        (0, SizeClass.MICRO),
        (50 * JUTA, SizeClass.MICRO),
        (1 * MILIAR, SizeClass.MICRO),
        (1 * MILIAR + 1, SizeClass.SMALL),
        (5 * MILIAR, SizeClass.SMALL),
        (5 * MILIAR + 1, SizeClass.MEDIUM),
        (10 * MILIAR, SizeClass.MEDIUM),
        (10 * MILIAR + 1, SizeClass.LARGE),
        (250 * MILIAR, SizeClass.LARGE),
    ],
)
def test_capital_decides_when_known(capital, size):
    assert size_class_for(capital, None) == (size, SizeBasis.CAPITAL)


@pytest.mark.parametrize(
    ("turnover", "size"),
    [
        (0, SizeClass.MICRO),
        (300 * JUTA, SizeClass.MICRO),
        (2 * MILIAR, SizeClass.MICRO),
        (2 * MILIAR + 1, SizeClass.SMALL),
        (15 * MILIAR, SizeClass.SMALL),
        (15 * MILIAR + 1, SizeClass.MEDIUM),
        (50 * MILIAR, SizeClass.MEDIUM),
        (50 * MILIAR + 1, SizeClass.LARGE),
    ],
)
def test_turnover_decides_when_capital_is_unknown(turnover, size):
    assert size_class_for(None, turnover) == (size, SizeBasis.TURNOVER)


@pytest.mark.parametrize(
    ("capital", "turnover", "size"),
    [
        (500 * JUTA, 20 * MILIAR, SizeClass.MICRO),  # turnover alone would say medium
        (0, 60 * MILIAR, SizeClass.MICRO),  # zero capital is known capital
        (11 * MILIAR, 1 * MILIAR, SizeClass.LARGE),
        (3 * MILIAR, 100 * JUTA, SizeClass.SMALL),
    ],
)
def test_capital_wins_over_turnover(capital, turnover, size):
    assert size_class_for(capital, turnover) == (size, SizeBasis.CAPITAL)


def test_neither_known_is_unknown():
    assert size_class_for(None, None) == (SizeClass.UNKNOWN, SizeBasis.NONE)


def test_results_are_plain_strings_for_the_database():
    size, basis = size_class_for(1 * MILIAR, None)
    assert (type(size), type(basis)) == (str, str)
    assert (size, basis) == ("micro", "capital")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "size", "basis"),
    [
        ({}, SizeClass.UNKNOWN, SizeBasis.NONE),
        ({"capital": 1 * MILIAR}, SizeClass.MICRO, SizeBasis.CAPITAL),
        ({"capital": 6 * MILIAR}, SizeClass.MEDIUM, SizeBasis.CAPITAL),
        ({"annual_turnover": 16 * MILIAR}, SizeClass.MEDIUM, SizeBasis.TURNOVER),
        ({"capital": 500 * JUTA, "annual_turnover": 20 * MILIAR}, SizeClass.MICRO, SizeBasis.CAPITAL),
    ],
)
def test_business_save_derives_size_on_create(fields, size, basis):
    business = make_business("33.16.01.2001", **fields)
    stored = Business.objects.get(pk=business.pk)
    assert (stored.size_class, stored.size_basis) == (size, basis)


@pytest.mark.django_db
def test_business_save_keeps_size_in_sync_on_every_change():
    business = make_business("33.16.01.2001", capital=50 * JUTA)
    steps = [
        ({"capital": 2 * MILIAR}, (SizeClass.SMALL, SizeBasis.CAPITAL)),
        ({"capital": None, "annual_turnover": 40 * MILIAR}, (SizeClass.MEDIUM, SizeBasis.TURNOVER)),
        ({"annual_turnover": 1 * MILIAR}, (SizeClass.MICRO, SizeBasis.TURNOVER)),
        ({"annual_turnover": None}, (SizeClass.UNKNOWN, SizeBasis.NONE)),
        ({"capital": 12 * MILIAR}, (SizeClass.LARGE, SizeBasis.CAPITAL)),
    ]
    for changes, expected in steps:
        for name, value in changes.items():
            setattr(business, name, value)
        business.save()
        stored = Business.objects.values_list("size_class", "size_basis").get(pk=business.pk)
        assert stored == expected, changes
