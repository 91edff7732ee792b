"""Finding a five-digit KBLI code by what an officer types."""

import pytest

from sentra.kbli.models import KbliLevel
from sentra.kbli.selectors import search_subclasses, sections

pytestmark = pytest.mark.django_db


def codes(query: str, limit: int = 20) -> list[str]:
    return [kbli.code for kbli in search_subclasses(query, limit)]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("terasi", "10295"),
        ("Terasi", "10295"),
        ("TERASI", "10295"),
        ("terasi udang", "10295"),
        ("fermentasi terasi", "10295"),
        ("penatu", "96200"),
        ("keripik singkong", "10794"),  # the issue: every word had to be in one text, so nothing was found
        ("Keripik tempe", "10794"),  # not 10793, whose title says "BUKAN KECAP, TEMPE DAN TAHU"
        ("kripik", "10794"),  # an office's spelling
        ("kerip", "10794"),  # a word still being typed
        ("jual pakaian", "47711"),  # trade, not the garment industry
        ("pembuatan pakaian jadi", "14111"),
        ("ayam potong", "01461"),  # a broiler farm …
        ("potong ayam", "10120"),  # … and a poultry slaughterhouse: the order of words counts
        ("tempe bongkrek", "10393"),  # 10391's scope note sends it there
    ],
)
def test_search_ranks_the_meant_code_first(query, first):
    assert codes(query)[:1] == [first]


@pytest.mark.parametrize("query", ["Nasi pecel", "warung nasi pecel"])
def test_a_dish_is_found_as_food_service(query):
    assert codes(query)[0] in {"56102", "56103"}


def test_a_code_the_title_excludes_ranks_below_one_that_includes():
    found = codes("keripik tempe")
    assert "10793" not in found[:1]
    assert found.index("10794") < found.index("10793") if "10793" in found else True


@pytest.mark.parametrize(
    ("query", "expected"),
    [
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
def test_search_by_code(query, expected):
    assert codes(query) == expected


def test_search_costs_a_few_queries(django_assert_max_num_queries):
    codes("keripik")  # the index is built once per process
    with django_assert_max_num_queries(2):
        assert codes("keripik singkong")[0] == "10794"


@pytest.mark.parametrize("query", ["terasi", "1029", "industri", "10", "penatu"])
def test_search_returns_only_subclasses(query):
    results = list(search_subclasses(query))
    assert results
    assert {kbli.level for kbli in results} == {KbliLevel.SUBCLASS}
    assert all(len(kbli.code) == 5 for kbli in results)


def test_search_is_limited_and_stable():
    found = codes("industri", limit=7)
    assert len(found) == 7
    assert codes("industri", limit=50)[:7] == found


def test_empty_query_lists_subclasses_from_the_start():
    assert codes("", limit=3) == codes("0", limit=3)
    assert codes("", limit=3)[0].startswith("01")


def test_sections():
    found = list(sections())
    assert len(found) == 21
    assert [kbli.code for kbli in found] == sorted(kbli.code for kbli in found)
    assert (found[0].code, found[-1].code) == ("A", "U")
