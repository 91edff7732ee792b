"""Every dimension's counts against the hand-counted registry of conftest.py, counted and tallied."""

from collections import Counter

import pytest

from sentra.dashboards.figures import INNOVATING, OPERATING, Dimension, count_figures
from sentra.dashboards.tallies import tallied_figures
from sentra.registry.models import Business

pytestmark = pytest.mark.django_db


def blora_expected(offices) -> Counter:
    blora, industry = str(offices["blora"].pk), str(offices["blora_industry"].pk)
    return Counter(
        {
            (Dimension.TOTAL, ""): 5,
            (Dimension.STATUS, "active"): 3,
            (Dimension.STATUS, "closed"): 1,
            (Dimension.STATUS, "dormant"): 1,
            (Dimension.MATURITY, "digital"): 2,
            (Dimension.MATURITY, "modern"): 1,
            (Dimension.MATURITY, "traditional"): 2,
            (Dimension.FUNNEL, OPERATING): 3,
            (Dimension.FUNNEL, INNOVATING): 2,
            (Dimension.SECTION, "C"): 2,
            (Dimension.SECTION, "G"): 1,
            (Dimension.SECTION, "I"): 1,
            (Dimension.SECTION, ""): 1,
            (Dimension.SIZE, "micro"): 2,
            (Dimension.SIZE, "small"): 2,
            (Dimension.SIZE, "unknown"): 1,
            (Dimension.SEX, "P"): 3,
            (Dimension.SEX, "L"): 2,
            (Dimension.OFFICE, blora): 5,
            (Dimension.OFFICE, industry): 2,
            (Dimension.LICENCE, "halal"): 1,
            (Dimension.LICENCE, "pirt"): 2,  # toko's two PIRT numbers count once
            (Dimension.REGISTERED, "2025-12"): 1,
            (Dimension.REGISTERED, "2026-03"): 2,
            (Dimension.REGISTERED, "2026-05"): 2,
            (Dimension.STATUS_CHANGE, "2026-05:closed"): 1,
            (Dimension.STATUS_CHANGE, "2026-06:dormant"): 1,
            # toko moved up in Q2 2026; batik too, but went back down in Q3 (no move over the year);
            # kerupuk moved up in Q2 2025.
            (Dimension.MOVED_SIZE, "2026:micro>small"): 1,
            (Dimension.MOVED_SIZE, "2026Q2:micro>small"): 2,
            (Dimension.MOVED_SIZE, "2025:micro>small"): 1,
            (Dimension.MOVED_SIZE, "2025Q2:micro>small"): 1,
            # batik: traditional → modern in Q1 2026, → digital in Q2; toko became modern in Q2 2025.
            (Dimension.MOVED_MATURITY, "2026:traditional>digital"): 1,
            (Dimension.MOVED_MATURITY, "2026Q1:traditional>modern"): 1,
            (Dimension.MOVED_MATURITY, "2026Q2:modern>digital"): 1,
            (Dimension.MOVED_MATURITY, "2025:traditional>modern"): 1,
            (Dimension.MOVED_MATURITY, "2025Q2:traditional>modern"): 1,
        }
    )


def test_counted_figures_match_the_hand_count(registry, offices):
    figures = count_figures(Business.objects.filter(regency_id="33.16"))
    assert figures == {"": blora_expected(offices)}


def test_counted_by_district(registry):
    figures = count_figures(Business.objects.filter(regency_id="33.16"), by="district_id")
    assert figures["33.16.01"][(Dimension.TOTAL, "")] == 3
    assert figures["33.16.02"][(Dimension.TOTAL, "")] == 2
    assert figures["33.16.02"][(Dimension.STATUS_CHANGE, "2026-06:dormant")] == 1
    assert figures["33.16.01"][(Dimension.LICENCE, "pirt")] == 2


def test_tallies_match_the_hand_count(registry, offices):
    assert tallied_figures("33.16") == {"": blora_expected(offices)}
    by_district = tallied_figures("33.16", by="district")
    assert sorted(by_district) == ["33.16.01", "33.16.02"]
    assert tallied_figures("33", by="regency")["33.16"] == blora_expected(offices)
    assert tallied_figures("33.16.02")[""][(Dimension.TOTAL, "")] == 2


def test_a_month_is_the_offices_local_month(registry):
    """Registered at 01:00 on 1 June in Jakarta is 31 May in UTC: it counts in June."""
    import datetime as dt

    from django.utils import timezone

    early = dt.datetime(2026, 6, 1, 1, 0, tzinfo=timezone.get_current_timezone())
    Business.objects.filter(pk=registry["tahu"].pk).update(created_at=early)
    figures = tallied_figures("33.16")[""]
    assert figures[(Dimension.REGISTERED, "2026-06")] == 1
    assert figures[(Dimension.REGISTERED, "2025-12")] == 0
