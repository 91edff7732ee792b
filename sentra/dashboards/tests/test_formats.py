import pytest

from sentra.dashboards.templatetags.dashboards import persen


@pytest.mark.parametrize(
    ("share", "shown"),
    [
        (None, ""),
        (0, "0,0%"),
        (3 / 20_000, "<0,1%"),  # three flagged of twenty thousand is not none
        (0.125, "12,5%"),
        (19_998 / 20_000, ">99,9%"),  # nor is two missing all
        (1, "100,0%"),
    ],
)
def test_a_share_never_rounds_to_none_or_all(share, shown):
    assert persen(share) == shown
