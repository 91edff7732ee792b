"""The dashboards' figures against the hand count of conftest.py, their links, and scope."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import PermissionDenied
from django.http import QueryDict

from sentra.dashboards import selectors
from sentra.dashboards.tests.conftest import local
from sentra.registry.models import Business, StatusChange
from sentra.registry.selectors import filtered_businesses

pytestmark = pytest.mark.django_db
THIS_YEAR = (dt.date(2026, 1, 1), dt.date(2026, 11, 24))


def listed(user, url: str) -> set[str]:
    """The names of the businesses the registry list shows at `url`."""
    parts = urlsplit(url)
    assert parts.path == "/umkm/"
    filterset, queryset = filtered_businesses(user, QueryDict(parts.query))
    assert not filterset.errors, filterset.errors
    return set(queryset.values_list("name", flat=True))


def figures_of(dashboard) -> list:
    found = list(dashboard.funnel)
    for breakdown in dashboard.breakdowns:
        found += breakdown.figures
    found += dashboard.flow.registrations
    for per_month in dashboard.flow.status_changes.values():
        found += per_month
    for moves in dashboard.moves:
        found += [moves.total, *moves.steps]
    return found


def by_key(breakdown) -> dict[str, int]:
    return {figure.key: figure.count for figure in breakdown.figures}


def test_office_dashboard_for_a_regency_officer(registry, users, offices):
    dashboard = selectors.office_dashboard(users["blora_officer"], None, *THIS_YEAR)
    assert dashboard.area.code == "33.16"
    assert [(f.key, f.count) for f in dashboard.funnel] == [("registered", 5), ("operating", 3), ("innovating", 2)]
    assert [round(f.share, 2) for f in dashboard.funnel] == [1.0, 0.6, 0.4]
    breakdowns = {b.key: b for b in dashboard.breakdowns}
    assert {k: v for k, v in by_key(breakdowns["area"]).items() if v} == {"33.16.01": 3, "33.16.02": 2}
    assert by_key(breakdowns["section"]) == {"C": 2, "G": 1, "I": 1, "": 1}
    assert by_key(breakdowns["size"]) == {"micro": 2, "small": 2, "unknown": 1}
    assert by_key(breakdowns["maturity"]) == {"traditional": 2, "modern": 1, "digital": 2}
    assert by_key(breakdowns["status"]) == {"active": 3, "dormant": 1, "closed": 1}
    assert by_key(breakdowns["sex"]) == {"L": 2, "P": 3}
    assert by_key(breakdowns["office"]) == {str(offices["blora"].pk): 5, str(offices["blora_industry"].pk): 2}
    assert by_key(breakdowns["licence"]) == {"pirt": 2, "halal": 1}
    assert breakdowns["size"].figures[0].share == pytest.approx(0.4)
    moves = {m.kind: m for m in dashboard.moves}
    assert moves["size"].total.count == 1  # toko; batik went up and back down
    assert [(s.label, s.count) for s in moves["size"].steps] == [("Mikro → Kecil", 1)]
    assert moves["maturity"].total.count == 1  # batik, traditional → digital
    assert [(s.label, s.count) for s in moves["maturity"].steps] == [("Tradisional → Digital/inovatif", 1)]


def test_every_figure_links_to_the_businesses_behind_it(registry, users):
    officer = users["blora_officer"]
    dashboard = selectors.office_dashboard(officer, None, *THIS_YEAR)
    for figure in figures_of(dashboard):
        assert len(listed(officer, figure.url)) == figure.count, (figure.label, figure.url)
    breakdowns = {b.key: b for b in dashboard.breakdowns}
    innovating = dashboard.funnel[2]
    assert listed(officer, innovating.url) == {"Batik Sekar Jati", "Kerupuk Rambak"}
    no_kbli = next(f for f in breakdowns["section"].figures if f.key == "")
    assert listed(officer, no_kbli.url) == {"Tahu Pak Darmo"}
    moved = next(m for m in dashboard.moves if m.kind == "size")
    assert listed(officer, moved.total.url) == {"Toko Makmur"}


def test_monthly_flow(registry, users):
    area = selectors.area_for(users["blora_officer"], None)
    figures = selectors.area_figures(users["blora_officer"], area)[""]
    flow = selectors.monthly_flow(figures, area, ["2026-03", "2026-04", "2026-05", "2026-06"])
    assert [f.count for f in flow.registrations] == [2, 0, 2, 0]
    assert [f.count for f in flow.status_changes["closed"]] == [0, 0, 1, 0]
    assert [f.count for f in flow.status_changes["dormant"]] == [0, 0, 0, 1]
    assert listed(users["blora_officer"], flow.status_changes["dormant"][3].url) == {"Warung Bu Tini"}
    assert listed(users["blora_officer"], flow.registrations[0].url) == {"Batik Sekar Jati", "Toko Makmur"}


def test_moves_over_another_period(registry, users):
    area = selectors.area_for(users["blora_officer"], None)
    moves = {
        m.kind: m for m in selectors.moves(users["blora_officer"], area, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    }
    assert moves["size"].total.count == 1  # kerupuk, micro → small in June 2025
    assert moves["maturity"].total.count == 1  # toko, traditional → modern
    assert listed(users["blora_officer"], moves["maturity"].total.url) == {"Toko Makmur"}
    spring = {
        m.kind: m for m in selectors.moves(users["blora_officer"], area, dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    }
    assert spring["size"].total.count == 2  # toko and batik were both up by the end of June
    assert spring["maturity"].total.count == 1


def test_partner_agency_counts_only_what_it_fosters(registry, users):
    industry = users["industry_officer"]
    dashboard = selectors.office_dashboard(industry, None, *THIS_YEAR)
    assert [f.count for f in dashboard.funnel] == [2, 2, 2]
    assert dashboard.scope_note
    for figure in figures_of(dashboard):
        assert len(listed(industry, figure.url)) == figure.count, (figure.label, figure.url)


def test_a_regency_officer_sees_only_their_regency(registry, users):
    officer = users["blora_officer"]
    assert selectors.office_dashboard(officer, "33.16.01", *THIS_YEAR).funnel[0].count == 3
    for outside in ("18.09", "33", "33.17", ""):
        with pytest.raises(PermissionDenied):
            selectors.office_dashboard(officer, outside or "18", *THIS_YEAR)
    with pytest.raises(PermissionDenied):
        selectors.province_rollup(officer)
    with pytest.raises(PermissionDenied):
        selectors.data_quality(users["pesawaran_officer"], "33.16")


def test_province_rollup(registry, users):
    rollup = selectors.province_rollup(users["jateng_officer"], None, 2026)
    assert rollup.area.code == "33"
    rows = {row.area.code: row for row in rollup.rows}
    assert len(rows) == 35  # every regency of Central Java, with or without businesses
    blora = rows["33.16"]
    assert (blora.registered.count, blora.operating.count, blora.innovating.count) == (5, 3, 2)
    assert [f.count for f in blora.sizes] == [2, 2, 0, 0, 1]
    assert blora.women.count == 3
    assert (blora.registered_this_year.count, blora.registered_last_year.count) == (4, 1)
    assert rollup.total.registered.count == 5
    assert rows["33.17"].registered.count == 0
    assert listed(users["jateng_officer"], blora.operating.url) == {"Batik Sekar Jati", "Toko Makmur", "Kerupuk Rambak"}
    assert listed(users["jateng_officer"], blora.registered_last_year.url) == {"Tahu Pak Darmo"}
    for row in rollup.rows:
        for figure in (row.registered, row.operating, row.innovating, *row.sizes, row.women):
            assert len(listed(users["jateng_officer"], figure.url)) == figure.count
        for figure in (row.registered_this_year, row.registered_last_year):
            assert len(listed(users["jateng_officer"], figure.url)) == figure.count
    country = selectors.province_rollup(users["superuser"], None, 2026)
    assert {row.area.code: row.registered.count for row in country.rows} == {"18": 1, "33": 5}


def test_comparison(registry, users):
    comparison = selectors.compare(users["jateng_officer"], ["33.16", "33.17"], 2026)
    assert [c.funnel[0].count for c in comparison.columns] == [5, 0]
    assert [f.count for f in comparison.this_year[0]][:6] == [0, 0, 2, 0, 2, 0]
    assert sum(f.count for f in comparison.last_year[0]) == 1
    assert [m.total.count for m in comparison.moves_last_year[0]] == [1, 1]
    with pytest.raises(PermissionDenied):
        selectors.compare(users["blora_officer"], ["33.16", "18.09"], 2026)


def test_data_quality(registry, users):
    officer = users["blora_officer"]
    panel = selectors.data_quality(officer)
    total = {f.key: f.count for f in panel.total.checks}
    assert total == {
        "no_nik": 1,  # tahu
        "no_kbli": 1,  # tahu
        "no_owner_village": 1,  # tahu
        "unverified": 4,  # all but batik, verified a month ago (the others' checks are too old)
        "duplicate": 2,  # kerupuk and warung, awaiting review
        "size_conflict": 1,  # warung: micro by capital, medium by turnover
    }
    districts = {row.label: {f.key: f.count for f in row.checks} for row in panel.by_area}
    assert districts["Jati"]["no_kbli"] == 1 and districts["Randublatung"]["duplicate"] == 2
    for row in [*panel.by_area, *panel.by_officer, panel.total]:
        for figure in row.checks:
            assert len(listed(officer, figure.url)) == figure.count, (row.label, figure.label)
    assert listed(officer, panel.total.checks[-1].url) == {"Warung Bu Tini"}
    # The fixture's businesses name no registering officer: that row links to them too.
    assert [row.label for row in panel.by_officer] == ["(tidak tercatat)"]
    assert len(listed(officer, panel.by_officer[0].total.url)) == 5


def test_data_quality_per_officer_links_for_a_province(registry, users):
    """Officers of other offices registered what a province (or partner) sees: their rows link right."""
    Business.objects.filter(pk__in=[registry["batik"].pk, registry["toko"].pk]).update(
        created_by=users["blora_officer"]
    )
    Business.objects.filter(pk=registry["kerupuk"].pk).update(created_by=users["industry_officer"])
    for viewer in ("jateng_officer", "industry_officer", "blora_officer"):
        panel = selectors.data_quality(users[viewer], "33.16")
        for row in panel.by_officer:
            assert len(listed(users[viewer], row.total.url)) == row.total.count, (viewer, row.label)
            for figure in row.checks:
                assert len(listed(users[viewer], figure.url)) == figure.count, (viewer, row.label, figure.label)


def test_a_status_change_counts_each_business_once(registry, users):
    """Dormant twice in one month is one business behind the figure, as in the list."""
    warung = registry["warung"]
    StatusChange.objects.create(
        business=warung, status="active", previous_status="dormant", changed_at=local(2026, 6, 10)
    )
    StatusChange.objects.create(
        business=warung, status="dormant", previous_status="active", changed_at=local(2026, 6, 20)
    )
    area = selectors.area_for(users["blora_officer"], None)
    figures = selectors.area_figures(users["blora_officer"], area)[""]
    flow = selectors.monthly_flow(figures, area, ["2026-06"])
    assert flow.status_changes["dormant"][0].count == 1
    assert listed(users["blora_officer"], flow.status_changes["dormant"][0].url) == {"Warung Bu Tini"}


@pytest.mark.parametrize(
    ("start", "end", "period"),
    [
        (dt.date(2026, 1, 1), dt.date(2026, 12, 31), "2026"),
        (dt.date(2025, 1, 1), dt.date(2025, 12, 31), "2025"),
        (dt.date(2026, 4, 1), dt.date(2026, 6, 30), "2026Q2"),
        (dt.date(2026, 7, 1), dt.date(2026, 9, 30), "2026Q3"),
        (dt.date(2025, 4, 1), dt.date(2025, 6, 30), "2025Q2"),
    ],
)
def test_calendar_periods_read_from_the_tallies_agree_with_the_history(registry, users, start, end, period):
    officer = users["blora_officer"]
    area = selectors.area_for(officer, None)
    assert selectors.calendar_period(start, end, dt.date(2026, 11, 25)) == period
    figures = selectors.area_figures(officer, area)[""]

    def summary(found):
        return [(m.kind, m.total.count, [(s.label, s.count) for s in m.steps]) for m in found]

    assert summary(selectors.moves(officer, area, start, end, figures)) == summary(
        selectors.moves(officer, area, start, end)
    )


@pytest.mark.parametrize(
    ("start", "end", "period"),
    [
        (dt.date(2026, 1, 1), dt.date(2026, 11, 25), "2026"),  # this year so far
        (dt.date(2026, 10, 1), dt.date(2026, 11, 25), "2026Q4"),  # this quarter so far
        (dt.date(2026, 1, 1), dt.date(2026, 11, 24), None),  # up to yesterday
        (dt.date(2026, 2, 1), dt.date(2026, 4, 30), None),
        (dt.date(2026, 1, 2), dt.date(2026, 12, 31), None),
        (dt.date(2025, 10, 1), dt.date(2025, 11, 25), None),  # a past quarter cut short
    ],
)
def test_calendar_period(start, end, period):
    assert selectors.calendar_period(start, end, dt.date(2026, 11, 25)) == period
