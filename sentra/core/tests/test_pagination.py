"""Keyset pagination over a real Business queryset."""

import base64
import json

import pytest

from conftest import make_business
from sentra.core.pagination import capped_count, keyset_page
from sentra.registry.models import Business

ROWS = 30
SIZE = 7


@pytest.fixture
def thirty(db) -> list[Business]:
    """30 businesses in Blora; names pair up (two of each) so ties on `name` are broken by id."""
    return [make_business("33.16.01.2001", f"Usaha {index // 2:02d}") for index in range(ROWS)]


def ordered(descending: bool) -> list[int]:
    order = ("-name", "-pk") if descending else ("name", "pk")
    return list(Business.objects.order_by(*order).values_list("pk", flat=True))


def ids(page) -> list[int]:
    return [business.pk for business in page.items]


def cursor_of(payload) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
def test_walking_forward_visits_every_row_once_in_order(thirty, descending):
    seen, after, pages = [], "", 0
    while True:
        page = keyset_page(Business.objects.all(), field="name", descending=descending, after=after, size=SIZE)
        pages += 1
        seen += ids(page)
        assert len(page.items) <= SIZE
        assert (page.previous_cursor is None) == (pages == 1)
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert seen == ordered(descending)
    assert pages == -(-ROWS // SIZE)


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
def test_walking_backward_from_the_last_page_visits_every_row_once(thirty, descending):
    queryset = Business.objects.all()
    page = keyset_page(queryset, field="name", descending=descending, size=SIZE)
    while page.next_cursor:
        page = keyset_page(queryset, field="name", descending=descending, after=page.next_cursor, size=SIZE)
    seen = ids(page)
    while page.previous_cursor:
        page = keyset_page(queryset, field="name", descending=descending, before=page.previous_cursor, size=SIZE)
        assert len(page.items) == SIZE
        assert page.next_cursor is not None
        seen = ids(page) + seen
    assert seen == ordered(descending)


def test_back_then_forward_returns_the_same_pages(thirty):
    queryset = Business.objects.all()
    first = keyset_page(queryset, field="name", descending=False, size=SIZE)
    second = keyset_page(queryset, field="name", descending=False, after=first.next_cursor, size=SIZE)
    back = keyset_page(queryset, field="name", descending=False, before=second.previous_cursor, size=SIZE)
    assert ids(back) == ids(first)
    assert back.previous_cursor is None  # nothing before the first page
    again = keyset_page(queryset, field="name", descending=False, after=back.next_cursor, size=SIZE)
    assert ids(again) == ids(second)


def test_cursor_on_a_datetime_field_round_trips(thirty):
    queryset = Business.objects.all()
    seen, after = [], ""
    while True:
        page = keyset_page(queryset, field="updated_at", descending=True, after=after, size=SIZE)
        seen += ids(page)
        if not page.next_cursor:
            break
        after = page.next_cursor
    assert seen == list(queryset.order_by("-updated_at", "-pk").values_list("pk", flat=True))
    assert len(seen) == ROWS


def test_cursor_is_url_safe(thirty):
    page = keyset_page(Business.objects.all(), field="updated_at", descending=True, size=SIZE)
    assert page.next_cursor
    assert all(char.isalnum() or char in "-_" for char in page.next_cursor)


def test_rows_added_between_requests_do_not_shift_the_next_page(thirty):
    queryset = Business.objects.all()
    first = keyset_page(queryset, field="name", descending=False, size=SIZE)
    expected_second = ids(keyset_page(queryset, field="name", descending=False, after=first.next_cursor, size=SIZE))
    make_business("33.16.01.2001", "Aaa Usaha Baru")  # sorts before every row on page one
    second = keyset_page(queryset, field="name", descending=False, after=first.next_cursor, size=SIZE)
    assert ids(second) == expected_second


def test_filters_of_the_queryset_stay_applied(thirty):
    queryset = Business.objects.filter(name__in=["Usaha 00", "Usaha 01"])
    page = keyset_page(queryset, field="name", descending=False, size=SIZE)
    assert len(page.items) == 4
    assert page.next_cursor is None
    assert page.previous_cursor is None


def test_empty_queryset_gives_an_empty_page(db):
    page = keyset_page(Business.objects.none(), field="name", descending=False, size=SIZE)
    assert page.items == []
    assert page.next_cursor is None
    assert page.previous_cursor is None


BAD_CURSORS = {
    "not base64": "!!!not-a-cursor!!!",
    "not json": cursor_of("x")[:-2] + "%%",
    "json but not a pair": cursor_of([1]),
    "json object": cursor_of({"a": 1}),
    "pk not a number": cursor_of(["Usaha 03", "x"]),
    "datetime that does not parse": cursor_of([{"dt": "kemarin"}, 5]),
}


@pytest.mark.parametrize("direction", ["after", "before"])
@pytest.mark.parametrize("cursor", list(BAD_CURSORS.values()), ids=list(BAD_CURSORS))
def test_bad_cursor_gives_the_first_page(thirty, cursor, direction):
    queryset = Business.objects.all()
    first = keyset_page(queryset, field="name", descending=False, size=SIZE)
    page = keyset_page(queryset, field="name", descending=False, size=SIZE, **{direction: cursor})
    assert ids(page) == ids(first)
    assert page.previous_cursor is None


def test_cursor_of_another_sort_gives_the_first_page(thirty):
    """A `name` cursor left in the URL after the user switched to sorting by date."""
    queryset = Business.objects.all()
    by_name = keyset_page(queryset, field="name", descending=False, size=SIZE)
    first = keyset_page(queryset, field="updated_at", descending=True, size=SIZE)
    page = keyset_page(queryset, field="updated_at", descending=True, after=by_name.next_cursor, size=SIZE)
    assert ids(page) == ids(first)


@pytest.mark.parametrize(
    ("cap", "expected"),
    [(1000, (ROWS, False)), (ROWS, (ROWS, False)), (ROWS - 1, (ROWS - 1, True)), (10, (10, True)), (0, (0, True))],
)
def test_capped_count(thirty, cap, expected):
    assert capped_count(Business.objects.all(), cap) == expected


def test_capped_count_ignores_ordering_and_respects_filters(thirty):
    queryset = Business.objects.filter(name="Usaha 00").order_by("-updated_at")
    assert capped_count(queryset, 1000) == (2, False)


def test_capped_count_of_nothing(db):
    assert capped_count(Business.objects.none(), 10) == (0, False)


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize("cap", [ROWS + 5, ROWS, 12, 3])
def test_a_counting_first_page_is_the_same_page_with_its_count(thirty, descending, cap):
    queryset = Business.objects.select_related("village")
    plain = keyset_page(queryset, field="name", descending=descending, size=SIZE)
    counting = keyset_page(queryset, field="name", descending=descending, size=SIZE, count_up_to=cap)
    assert ids(counting) == ids(plain) == ordered(descending)[:SIZE]
    assert (counting.next_cursor, counting.previous_cursor) == (plain.next_cursor, plain.previous_cursor)
    assert counting.counted == (min(ROWS, cap), cap < ROWS)
    assert plain.counted is None
    later = keyset_page(
        queryset, field="name", descending=descending, after=plain.next_cursor, size=SIZE, count_up_to=cap
    )
    assert later.counted is None  # a later page counts apart
    assert ids(later) == ordered(descending)[SIZE : 2 * SIZE]


def test_a_counting_page_of_nothing_counts_nothing(thirty):
    page = keyset_page(Business.objects.none(), field="name", descending=False, size=SIZE, count_up_to=10)
    assert (page.items, page.counted) == ([], (0, False))
