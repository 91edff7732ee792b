"""The add form checks the registry for the business being registered: NIK, and normalised name in the village."""

import pytest
from django.urls import reverse

from conftest import make_business
from sentra.registry import selectors
from sentra.registry.models import Business
from sentra.registry.tests.test_views import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def terasi(offices):
    """Registered: "UD. Terasi Bu Sri" in 33.16.01.2001, owner NIK 3316015205850001."""
    business = make_business("33.16.01.2001", "UD. Terasi Bu Sri", offices=[offices["blora"]], owner_name="Sri Wahyuni")
    business.owner.nik = "3316015205850001"
    business.owner.save()
    return business


def test_the_same_name_in_the_same_village_holds_the_save(client, users, terasi):
    client.force_login(users["blora_officer"])
    data = form_data(**{"owner-nik": "3316 0152 0585 0002", "business-name": "Terasi Sri"})  # another NIK
    response = client.post(reverse("registry:business_create"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Belum tersimpan: UMKM ini mungkin sudah terdaftar" in page
    assert reverse("registry:business_detail", args=[terasi.pk]) in page
    assert "Tetap simpan sebagai UMKM baru" in page
    assert Business.objects.count() == 1

    response = client.post(reverse("registry:business_create"), {**data, "confirm_new": "1"})
    assert response.status_code == 302
    assert Business.objects.filter(name="Terasi Sri").exists()


def test_the_same_nik_shows_the_owners_businesses_and_the_same_name_holds(users, terasi):
    officer = users["blora_officer"]
    same = selectors.possible_duplicates(officer, nik="3316015205850001", name="Terasi  BU SRI", village_code="")
    assert [b.pk for b in same.same] == [terasi.pk] and same.blocking
    other = selectors.possible_duplicates(officer, nik="3316015205850001", name="Kerupuk Udang", village_code="")
    assert [b.pk for b in other.owners] == [terasi.pk] and other.same == [] and not other.blocking


def test_another_village_or_name_is_no_duplicate(users, terasi):
    officer = users["blora_officer"]
    assert not selectors.possible_duplicates(officer, name="Terasi Bu Sri", village_code="33.16.01.2002").any
    assert not selectors.possible_duplicates(officer, name="Terasi Udang Rebon", village_code="33.16.01.2001").any


def test_what_scope_hides_is_counted_not_shown(client, users, offices, terasi):
    """The industry office fosters neither: it learns that a like business exists, not which."""
    client.force_login(users["industry_officer"])
    params = {"business-name": "Terasi Bu Sri", "business-village": "33.16.01.2001", "owner-nik": ""}
    page = client.get(reverse("registry:business_duplicates"), params).content.decode()
    assert "1 UMKM serupa lainnya terdaftar di luar wilayah atau binaan kantor Anda" in page
    assert "UD. Terasi Bu Sri" not in page
    assert "Tetap simpan sebagai UMKM baru" in page


def test_the_check_while_typing_lists_what_the_officer_may_open(client, users, terasi):
    client.force_login(users["blora_officer"])
    params = {"business-name": "terasi bu sri", "business-village": "33.16.01.2001", "owner-nik": "3316"}
    page = client.get(reverse("registry:business_duplicates"), params).content.decode()
    assert "UD. Terasi Bu Sri" in page and "Mungkin sudah terdaftar" in page
    assert client.get(reverse("registry:business_duplicates"), {"business-name": "Batik"}).content.strip() == b""
    client.force_login(users["blora_viewer"])
    assert client.get(reverse("registry:business_duplicates"), params).status_code == 403


def test_a_new_business_of_a_registered_owner_saves_at_once(client, users, terasi):
    client.force_login(users["blora_officer"])
    data = form_data(**{"business-name": "Kerupuk Udang Bu Sri"})  # terasi's owner's NIK
    response = client.post(reverse("registry:business_create"), data)
    assert response.status_code == 302
    assert Business.objects.get(name="Kerupuk Udang Bu Sri").owner_id == terasi.owner_id


def test_archived_businesses_are_not_duplicates(users, terasi):
    from sentra.registry import services

    services.archive_business(actor=users["blora_officer"], business=terasi)
    assert not selectors.possible_duplicates(
        users["blora_officer"], name="Terasi Bu Sri", village_code="33.16.01.2001"
    ).any


def test_a_reworded_name_or_the_same_owner_in_the_village_holds_the_save(users, terasi):
    """Typed again without the NIK: the name reworded, or only the owner's name and a word in common."""
    officer = users["blora_officer"]
    reworded = selectors.possible_duplicates(officer, name="Terasi Sri Udang", village_code="33.16.01.2001")
    assert reworded.same == [] and not reworded.any  # 2 of 3 words: another terasi maker, maybe
    near = selectors.possible_duplicates(officer, name="Trasi Bu Sri", village_code="33.16.01.2001")
    assert [b.pk for b in near.same] == [terasi.pk]  # a slip of one word: `trasi`/`terasi`
    by_owner = selectors.possible_duplicates(
        officer, name="Terasi Rebon Jaya", owner_name="SRI WAHYUNI", village_code="33.16.01.2001"
    )
    assert [b.pk for b in by_owner.same] == [terasi.pk] and by_owner.blocking
    other = selectors.possible_duplicates(
        officer, name="Kerupuk Udang Bu Sri", owner_name="Sri Wahyuni", village_code="33.16.01.2001"
    )
    assert [b.pk for b in other.owners] == [terasi.pk] and not other.blocking  # the owner's other business
    namesake_elsewhere = selectors.possible_duplicates(
        officer, name="Terasi Rebon Jaya", owner_name="Sri Wahyuni", village_code="33.16.01.2002"
    )
    assert not namesake_elsewhere.any
    stranger = selectors.possible_duplicates(
        officer, name="Terasi Rebon Jaya", owner_name="Budi Santoso", village_code="33.16.01.2001"
    )
    assert not stranger.any


def test_the_check_while_typing_reads_the_owners_name(client, users, terasi):
    client.force_login(users["blora_officer"])
    params = {"business-name": "Terasi Rebon", "business-village": "33.16.01.2001", "owner-full_name": "Sri Wahyuni"}
    page = client.get(reverse("registry:business_duplicates"), params).content.decode()
    assert "UD. Terasi Bu Sri" in page and "Tetap simpan sebagai UMKM baru" in page
