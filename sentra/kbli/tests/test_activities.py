"""KBLI search and suggestions on the set of real activity descriptions (`kbli/data/activities.csv`).

A quality floor, not a timing: `bench/kbli_bench.py` prints the figures and the misses.
"""

import csv
from pathlib import Path

import pytest

from sentra.kbli.selectors import search_subclasses
from sentra.kbli.suggest import suggest_kbli

pytestmark = pytest.mark.django_db
ACTIVITIES = Path(__file__).resolve().parents[1] / "data" / "activities.csv"


@pytest.fixture(scope="module")
def activities() -> list[tuple[str, set[str]]]:
    with ACTIVITIES.open(encoding="utf-8", newline="") as handle:
        return [(row["text"], {row["code"], *row["also"].split()}) for row in csv.DictReader(handle)]


def test_the_set_is_large_and_names_real_codes(activities):
    from sentra.kbli.models import Kbli

    assert len(activities) >= 150
    codes = set(Kbli.objects.filter(level="subclass").values_list("code", flat=True))
    assert set().union(*(right for _text, right in activities)) <= codes


def test_search_ranks_the_right_code_first(activities):
    first = [bool({kbli.code for kbli in search_subclasses(text, 1)} & right) for text, right in activities]
    top3 = [bool({kbli.code for kbli in search_subclasses(text, 3)} & right) for text, right in activities]
    assert sum(first) / len(activities) >= 0.95
    assert sum(top3) / len(activities) >= 0.97


def test_suggestions_are_right_and_rarely_missing(activities):
    suggested = suggest_kbli(text for text, _right in activities)
    given = [(suggested[text], right) for text, right in activities if suggested[text] is not None]
    right = sum(suggestion.code in codes for suggestion, codes in given)
    assert len(given) / len(activities) >= 0.9
    assert right / len(given) >= 0.97  # no suggestion is better than a wrong one
