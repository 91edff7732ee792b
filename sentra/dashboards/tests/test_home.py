"""The home page: an officer's work waiting, each count opening the list that does it; an office
head's and a province user's headline figures and what changed since last week."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from conftest import make_business, make_user
from sentra.accounts.models import Role
from sentra.dashboards.home import home_for
from sentra.dashboards.tests.test_views import listed, logged_in
from sentra.imports.models import ImportBatch, ImportStatus
from sentra.linkage.models import Candidate, Source, SourceRecord
from sentra.registry.models import Business, OperatingStatus, StatusChange

pytestmark = pytest.mark.django_db
HOME = reverse("home")


@pytest.fixture
def work(registry, offices, users, today):
    """Besides the registry's pending duplicate pair and unverified records: toko's two PIRT numbers
    expire in ten days, one import waits to be confirmed, one agency list has a row to review."""
    registry["toko"].licences.update(expires_on=today + dt.timedelta(days=10))
    registry["pesawaran"].licences.create(kind="pirt", number="P-1", expires_on=today + dt.timedelta(days=5))
    blora = offices["blora"]
    officer, other = users["blora_officer"], users["pesawaran_officer"]
    ImportBatch.objects.create(office=blora, created_by=officer, file_name="siap.xlsx", status=ImportStatus.CHECKED)
    ImportBatch.objects.create(office=blora, created_by=officer, file_name="selesai.xlsx", status=ImportStatus.DONE)
    ImportBatch.objects.create(
        office=offices["pesawaran"], created_by=other, file_name="lain.xlsx", status=ImportStatus.CHECKED
    )
    source = Source.objects.create(office=blora, name="Daftar Disperin 2026", file_name="disperin.xlsx")
    record = SourceRecord.objects.create(source=source, row_number=2, business_name="Batik Sekar")
    Candidate.objects.create(record=record, business=registry["batik"], probability=0.6)
    Source.objects.create(office=blora, name="Daftar lama", file_name="lama.xlsx")  # nothing to review
    return source


def items(home) -> dict:
    return {item.key: item for item in home.work}


def test_an_officer_sees_the_work_waiting(work, users):
    home = home_for(users["blora_officer"])
    counts = {key: (item.count, item.capped) for key, item in items(home).items()}
    assert counts == {
        "unverified": (4, False),  # toko verified in Jan 2025, tahu, kerupuk and warung in 2024; batik lately
        "duplicates": (1, False),
        "licences": (2, False),  # toko's two; Pesawaran's is not Blora's
        "imports": (1, False),
        "sources": (1, False),
    }
    assert home.headlines == []  # an officer's home is the work; the figures are on the dashboard


def test_a_duplicate_search_never_run_says_so_rather_than_none(registry, users):
    from sentra.linkage.models import DuplicatePair

    DuplicatePair.objects.all().delete()
    page = logged_in(users["blora_officer"]).get(HOME).content.decode()
    assert "Belum pernah dicari" in page  # no pair ever found: 0 alone would read "no duplicates"


def test_every_count_opens_the_list_that_does_it(work, users):
    client = logged_in(users["blora_officer"])
    page = client.get(HOME)
    assert page.status_code == 200
    found = items(page.context["home"])
    assert listed(client, found["unverified"].url) == {
        "Toko Makmur",
        "Tahu Pak Darmo",
        "Kerupuk Rambak",
        "Warung Bu Tini",
    }
    assert "Kerupuk Rambak" in client.get(found["duplicates"].url).content.decode()
    licences = client.get(found["licences"].url).content.decode()
    assert licences.count("Toko Makmur") == 2 and "Keripik Way Lima" not in licences
    imports = client.get(found["imports"].url).content.decode()
    assert "siap.xlsx" in imports and "selesai.xlsx" not in imports and "lain.xlsx" not in imports
    assert found["sources"].url == reverse("linkage:review", args=(work.pk,))  # the only list: straight to it
    for item in found.values():
        assert f'href="{item.url}"'.replace("&", "&amp;") in page.content.decode()
    assert "Belum pernah dicari" not in page.content.decode()  # a pair is waiting


def test_several_lists_to_review_open_the_filtered_list(work, registry, users, offices):
    second = Source.objects.create(office=offices["blora"], name="Daftar Diskan", file_name="diskan.xlsx")
    record = SourceRecord.objects.create(source=second, row_number=2, business_name="Toko")
    Candidate.objects.create(record=record, business=registry["toko"], probability=0.5)
    client = logged_in(users["blora_officer"])
    item = items(client.get(HOME).context["home"])["sources"]
    assert item.count == 2
    page = client.get(item.url).content.decode()
    assert "Daftar Disperin 2026" in page and "Daftar Diskan" in page and "Daftar lama" not in page


def test_an_office_head_sees_the_headline_and_the_week(registry, offices, users, today):
    now = timezone.now()
    new = make_business("33.16.01.2001", "Sate Pak Kromo", [offices["blora"]])
    StatusChange.objects.create(business=new, status="active", previous_status="", changed_at=now)
    Business.objects.filter(pk=registry["toko"].pk).update(status=OperatingStatus.DORMANT)
    StatusChange.objects.create(
        business=registry["toko"], status="dormant", previous_status="active", changed_at=now - dt.timedelta(days=2)
    )
    home = home_for(users["blora_admin"])
    assert home.since == today - dt.timedelta(days=7)
    assert [(h.label, h.count, h.week_ago) for h in home.headlines] == [
        ("Terdaftar", 6, 5),
        ("Masih beroperasi", 3, 3),  # Sate Pak Kromo came, toko went dormant
        ("Berinovasi", 2, 2),
    ]
    assert {item.key: item.count for item in home.this_week} == {"registered": 1, "status": 1, "moved": 0}
    # The status changes open the list of exactly those businesses, a registration not being one.
    changed = logged_in(users["blora_admin"]).get({item.key: item for item in home.this_week}["status"].url)
    assert [business.pk for business in changed.context["page"].items] == [registry["toko"].pk]
    assert "status berubah sesudah" in changed.content.decode()
    registered = logged_in(users["blora_admin"]).get({item.key: item for item in home.this_week}["registered"].url)
    assert [business.name for business in registered.context["page"].items] == ["Sate Pak Kromo"]
    assert set(items(home)) == {"unverified", "duplicates", "licences", "imports", "sources"}  # an admin works too
    page = logged_in(users["blora_viewer"]).get(HOME).content.decode()
    assert "+1 sejak minggu lalu" in page and "tetap sejak minggu lalu" in page
    assert "Yang perlu dikerjakan" not in page  # a viewer changes nothing


def test_a_province_user_lands_on_the_rollup(registry, offices):
    viewer = make_user("jateng_viewer", offices["jateng"], Role.VIEWER)
    response = logged_in(viewer).get(HOME)
    home = response.context["home"]
    rows = {row.area.name: row for row in home.rollup.rows}
    assert rows["Kabupaten Blora"].registered.count == 5 and rows["Kabupaten Blora"].last_registered == "Mei 2026"
    assert not rows["Kabupaten Kudus"].in_use
    page = response.content.decode()
    assert page.count("belum menggunakan Sentra") >= 34  # every other regency of Central Java
    assert home.headlines[0].count == 5


def test_a_user_of_no_office_is_sent_to_the_list(db):
    user = make_user("tanpa_kantor", None)
    assert logged_in(user).get(HOME).url == reverse("registry:business_list")


def test_logging_in_lands_on_the_home_page(users, client):
    from conftest import PASSWORD

    response = client.post(reverse("accounts:login"), {"username": "blora_officer", "password": PASSWORD})
    assert response.url == HOME


def test_the_expired_licences_of_the_last_days(registry, users, today):
    registry["batik"].licences.filter(kind="halal").update(expires_on=today - dt.timedelta(days=3))
    registry["toko"].licences.update(expires_on=today + dt.timedelta(days=100))
    client = logged_in(users["blora_officer"])
    expired = client.get(reverse("dashboards:licences"), {"sudah": "1"}).content.decode()
    assert "Batik Sekar Jati" in expired and "Toko Makmur" not in expired
    soon = client.get(reverse("dashboards:licences")).content.decode()  # 90 days ahead
    assert "Toko Makmur" not in soon and "Batik Sekar Jati" not in soon
    later = client.get(reverse("dashboards:licences"), {"hari": "180"}).content.decode()
    assert later.count("Toko Makmur") == 2 and "2 izin" in later  # the total, to check the home's count by
    assert client.get(reverse("dashboards:licences"), {"hari": "x", "hal": "99"}).status_code == 200


def test_the_home_pages_cost_a_few_queries(work, users, offices, django_assert_max_num_queries):
    viewer = make_user("jateng_viewer", offices["jateng"], Role.VIEWER)
    for user, most in ((users["blora_officer"], 20), (users["blora_admin"], 30), (viewer, 20)):
        client = logged_in(user)
        client.get(HOME)  # counts what the fixtures made stale
        with django_assert_max_num_queries(most):
            assert client.get(HOME).status_code == 200


def test_last_weeks_figures_are_read_back_once_a_day_and_today_stays_live(registry, offices, users, today):
    head, partner = users["blora_admin"], make_user("disperin_viewer", offices["blora_industry"], Role.VIEWER)
    assert [(h.count, h.week_ago) for h in home_for(head).headlines][0] == (5, 5)
    partner_before = home_for(partner).headlines[0].week_ago  # a partner's scope is its own, read apart
    new = make_business("33.16.01.2001", "Sate Pak Kromo", [offices["blora"], offices["blora_industry"]])
    StatusChange.objects.create(business=new, status="active", previous_status="", changed_at=timezone.now())
    assert [(h.count, h.week_ago) for h in home_for(head).headlines][0] == (6, 5)  # a week ago did not move
    assert [(h.count, h.week_ago) for h in home_for(partner).headlines][0] == (3, partner_before)
    # The next day reads it back again (a new key), counting the business registered "yesterday".
    with time_machine.travel(dt.datetime.combine(today + dt.timedelta(days=8), dt.time(9)), tick=False):
        assert [(h.count, h.week_ago) for h in home_for(head).headlines][0] == (6, 6)


def test_the_unverified_count_is_exact_on_home_and_on_the_list_it_opens(work, users, client, settings, monkeypatch):
    """As the Mutu data page counts them: no "lebih dari" where the officer reports a number."""
    monkeypatch.setattr("sentra.dashboards.home.WORK_COUNT_CAP", 2)
    settings.REGISTRY_COUNT_CAP = 2
    item = items(home_for(users["blora_officer"]))["unverified"]
    assert (item.count, item.capped) == (4, False)
    client.force_login(users["blora_officer"])
    page = client.get(item.url).content.decode()
    assert "4 UMKM" in page and "Lebih dari" not in page
