"""Finding a five-digit KBLI code by what an officer types."""

import pytest

from sentra.kbli.models import KbliLevel
from sentra.kbli.selectors import search_subclasses, sections

pytestmark = pytest.mark.django_db


def codes(query: str, limit: int = 20) -> list[str]:
    return [kbli.code for kbli in search_subclasses(query, limit)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("terasi", ["10295", "10779", "88991", "88992", "96200"]),  # title or scope note
        ("Terasi", ["10295", "10779", "88991", "88992", "96200"]),
        ("TERASI", ["10295", "10779", "88991", "88992", "96200"]),
        ("terasi udang", ["10295", "10779"]),  # every word must match
        ("fermentasi terasi", ["10295"]),
        ("penatu", ["28262", "96200"]),  # laundry services, and laundry machines in the scope note
        ("1029", [f"1029{digit}" for digit in range(1, 10)]),  # code prefix
        ("10295", ["10295"]),
        ("1029 terasi", ["10295"]),  # code prefix and a word
        ("terasi 1029", ["10295"]),
        ("9620", ["96200"]),
        ("penatu 9620", ["96200"]),
        ("zzzz", []),
        ("99999", []),
    ],
)
def test_search_subclasses(query, expected):
    assert codes(query) == expected


@pytest.mark.parametrize("query", ["terasi", "1029", "industri", "10", "penatu"])
def test_search_returns_only_subclasses(query):
    results = list(search_subclasses(query))
    assert results
    assert {kbli.level for kbli in results} == {KbliLevel.SUBCLASS}
    assert all(len(kbli.code) == 5 for kbli in results)


def test_search_is_ordered_by_code_and_limited():
    found = codes("industri", limit=7)
    assert len(found) == 7
    assert found == sorted(found)
    assert codes("industri", limit=50)[:7] == found


def test_empty_query_lists_subclasses_from_the_start():
    assert codes("", limit=3) == codes("0", limit=3)
    assert codes("", limit=3)[0].startswith("01")


def test_sections():
    found = list(sections())
    assert len(found) == 21
    assert [kbli.code for kbli in found] == sorted(kbli.code for kbli in found)
    assert (found[0].code, found[-1].code) == ("A", "U")
