"""Expired licences are not held: not in the figures, not in the list a figure links to, and the
tallies learn of a licence lapsing overnight without any write."""

import datetime as dt

import pytest
import time_machine

from sentra.dashboards.figures import Dimension, count_figures
from sentra.dashboards.models import StaleVillage
from sentra.dashboards.tallies import mark_lapsed_licences, tallied_figures
from sentra.dashboards.tests.test_views import listed, logged_in
from sentra.registry.models import Business

pytestmark = pytest.mark.django_db


def test_an_expired_licence_is_not_counted_nor_listed(registry, users, today):
    registry["batik"].licences.filter(kind="halal").update(expires_on=today - dt.timedelta(days=1))
    registry["kerupuk"].licences.create(kind="halal", number="ID33110000999", expires_on=today)  # its last day
    figures = count_figures(Business.objects.filter(regency_id="33.16"))[""]
    assert figures[(Dimension.LICENCE, "halal")] == 1
    assert tallied_figures("33.16")[""][(Dimension.LICENCE, "halal")] == 1
    client = logged_in(users["blora_officer"])
    assert listed(client, "/umkm/?regency=33.16&licence=halal") == {"Kerupuk Rambak"}


def test_a_licence_lapsing_overnight_leaves_the_tallies_right(registry, today):
    registry["batik"].licences.filter(kind="halal").update(expires_on=dt.date(2027, 3, 1))
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        assert tallied_figures("33.16")[""][(Dimension.LICENCE, "halal")] == 1  # still valid on its last day
        assert not StaleVillage.objects.filter(village_code__startswith="33.16").exists()
    with time_machine.travel(dt.datetime(2027, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        assert tallied_figures("33.16")[""][(Dimension.LICENCE, "halal")] == 0
        assert mark_lapsed_licences() == 0  # once a day
        assert count_figures(Business.objects.filter(regency_id="33.16"))[""][(Dimension.LICENCE, "halal")] == 0


def test_changing_an_expiry_date_marks_the_village(registry, today):
    tallied_figures("33.16")
    registry["toko"].licences.update(expires_on=today - dt.timedelta(days=3))
    stale = StaleVillage.objects.filter(village_code__startswith="33.16")
    assert set(stale.values_list("village_code", flat=True)) == {registry["toko"].village_id}
    assert tallied_figures("33.16")[""][(Dimension.LICENCE, "pirt")] == 1


def test_the_izin_tab_marks_expired_licences(registry, users, today):
    batik = registry["batik"]
    batik.licences.filter(kind="halal").update(expires_on=today - dt.timedelta(days=1))
    batik.licences.filter(kind="pirt").update(expires_on=today)
    page = logged_in(users["blora_officer"]).get(f"/umkm/{batik.pk}/tab/izin/").content.decode()
    rows = {row.split("</td>")[0]: row for row in page.split('<td data-label="Jenis">')[1:]}
    assert "kedaluwarsa" in rows["Halal"]
    assert "kedaluwarsa" not in rows["PIRT"]  # its last day
