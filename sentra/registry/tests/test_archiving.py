"""Deleting a UMKM archives it: who may archive, restore or stop fostering, and where an archived one is gone from."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conftest import make_business, make_user
from sentra.accounts.models import Role
from sentra.audit.models import ChangeAction, ObjectChange
from sentra.registry import selectors, services
from sentra.registry.models import Business
from sentra.registry.search import filter_by_search

pytestmark = pytest.mark.django_db


def registered(users, offices, actor="blora_officer", name="Batik Sekar Jati", village="33.16.01.2001", **fields):
    """A business registered through the service by `actor`'s office, fostered by Blora and its industry office."""
    business = make_business(village, name, **fields)
    business.registered_by_office = users[actor].office
    business.save()
    business.fostering_offices.set([offices["blora"], offices["blora_industry"]])
    return business


def test_archiving_hides_the_business_everywhere_and_logs_it(users, offices):
    business = registered(users, offices)
    officer = users["blora_officer"]
    services.archive_business(actor=officer, business=business, reason="tercatat dua kali")
    assert not Business.objects.filter(pk=business.pk).exists()
    assert Business.with_archived.filter(pk=business.pk, archive_reason="tercatat dua kali").exists()
    assert not selectors.businesses_visible_to(officer).filter(pk=business.pk).exists()
    assert not filter_by_search(Business.objects.all(), "sekar").exists()
    change = ObjectChange.objects.filter(object_id=business.pk, message="UMKM diarsipkan").get()
    assert change.action == ChangeAction.UPDATE
    assert change.prechange_data["archived_at"] is None and change.postchange_data["archived_at"]


def test_the_list_and_the_export_leave_archived_businesses_out(client, users, offices):
    business = registered(users, offices)
    kept = registered(users, offices, name="Parcel Barokah", village="33.16.01.2002")
    services.archive_business(actor=users["blora_officer"], business=business)
    client.force_login(users["blora_officer"])
    page = client.get(reverse("registry:business_list")).content.decode()
    assert "Parcel Barokah" in page and "Batik Sekar Jati" not in page
    export = b"".join(client.get(reverse("registry:business_export") + "?format=csv").streaming_content).decode()
    assert kept.name in export and business.name not in export


def test_a_partner_agency_cannot_archive_but_may_stop_fostering(client, users, offices):
    business = registered(users, offices)
    industry = users["industry_officer"]
    with pytest.raises(PermissionDenied):
        services.archive_business(actor=industry, business=business)
    client.force_login(industry)
    page = client.get(f"/umkm/{business.pk}/hapus/")  # the address deleting had
    assert "Berhenti membina" in page.content.decode() and "Ya, arsipkan" not in page.content.decode()
    client.post(reverse("registry:business_archive", args=[business.pk]), {"action": "archive"})
    business.refresh_from_db()
    assert business.archived_at is None
    response = client.post(reverse("registry:business_archive", args=[business.pk]), {"action": "stop_fostering"})
    assert response.status_code == 302 and response["Location"] == reverse("registry:business_list")
    assert set(business.fostering_offices.all()) == {offices["blora"]}
    assert Business.objects.filter(pk=business.pk).exists()  # still registered, for Blora's office
    assert ObjectChange.objects.filter(object_id=business.pk, message__contains="berhenti membina").exists()


def test_only_the_registering_office_archives(users, offices):
    """Pesawaran cannot reach it; the province office may edit regency data but did not register it."""
    business = registered(users, offices)
    jateng_editor = make_user("jateng_editor", offices["jateng"], Role.OFFICER, may_edit_province=True)
    for actor in (users["pesawaran_officer"], users["blora_viewer"], jateng_editor):
        with pytest.raises(PermissionDenied):
            services.archive_business(actor=actor, business=business)
    assert Business.objects.filter(pk=business.pk).exists()


def test_what_a_partner_agency_registered_is_held_by_the_regencys_cooperative_office(users, offices):
    business = registered(users, offices, actor="industry_officer")
    with pytest.raises(PermissionDenied):
        services.archive_business(actor=users["industry_officer"], business=business)
    services.archive_business(actor=users["blora_officer"], business=business)
    assert not Business.objects.filter(pk=business.pk).exists()


def test_an_office_admin_restores_and_a_plain_officer_cannot(client, users, offices):
    business = registered(users, offices)
    services.archive_business(actor=users["blora_officer"], business=business)
    client.force_login(users["blora_officer"])
    page = client.get(reverse("registry:business_detail", args=[business.pk])).content.decode()
    assert "UMKM ini diarsipkan" in page and "Pulihkan" not in page
    # Its badge says archived, not the operating status it had ("status terakhir" keeps that).
    sub = page.split('<p class="sub">', 1)[1].split("</p>", 1)[0]
    assert '<span class="badge archived">Diarsipkan</span>' in sub and "status terakhir Aktif" in sub
    assert "badge active" not in sub
    response = client.post(reverse("registry:business_restore", args=[business.pk]))
    assert response.status_code == 403
    assert not Business.objects.filter(pk=business.pk).exists()

    client.force_login(users["blora_admin"])
    page = client.get(reverse("registry:business_detail", args=[business.pk])).content.decode()
    assert "Pulihkan" in page
    client.post(reverse("registry:business_restore", args=[business.pk]))
    assert Business.objects.filter(pk=business.pk).exists()
    assert ObjectChange.objects.filter(object_id=business.pk, message="UMKM dipulihkan dari arsip").exists()


def test_an_archived_page_is_hidden_from_those_who_could_not_see_it(client, users, offices):
    business = registered(users, offices)
    services.archive_business(actor=users["blora_officer"], business=business)
    client.force_login(users["pesawaran_officer"])
    assert client.get(reverse("registry:business_detail", args=[business.pk])).status_code == 404
    client.force_login(users["blora_officer"])
    assert client.get(reverse("registry:business_edit", args=[business.pk])).status_code == 403


def test_an_archived_business_gives_its_nib_up_and_restoring_checks_it(users, offices):
    business = registered(users, offices, nib="9120001234567")
    services.archive_business(actor=users["blora_officer"], business=business)
    registered(users, offices, name="Batik Sekar Jati Baru", nib="9120001234567")  # registered again
    with pytest.raises(ValidationError, match="NIB 9120001234567 kini dipakai"):
        services.restore_business(actor=users["blora_admin"], business=business)


def test_the_archive_page_asks_first(client, users, offices):
    business = registered(users, offices)
    client.force_login(users["blora_officer"])
    page = client.get(reverse("registry:business_archive", args=[business.pk])).content.decode()
    assert "Ya, arsipkan" in page and "admin kantor Anda dapat memulihkannya" in page
    assert Business.objects.filter(pk=business.pk).exists()
    response = client.post(reverse("registry:business_archive", args=[business.pk]), {"reason": "tutup"})
    assert response.status_code == 302
    assert Business.with_archived.get(pk=business.pk).archive_reason == "tutup"


def test_an_office_admin_finds_the_archived_in_the_list_and_an_officer_does_not(client, users, offices):
    business = registered(users, offices)
    registered(users, offices, name="Parcel Barokah", village="33.16.01.2002")
    services.archive_business(actor=users["blora_officer"], business=business, reason="tutup")
    client.force_login(users["blora_admin"])
    page = client.get(reverse("registry:business_list")).content.decode()
    assert 'name="archived"' in page and "Batik Sekar Jati" not in page
    page = client.get(reverse("registry:business_list") + "?archived=1").content.decode()
    assert "Batik Sekar Jati" in page and "Parcel Barokah" not in page and "diarsipkan" in page
    assert "1 UMKM" in page  # counted, not read from the tallies of live ones
    client.force_login(users["blora_officer"])
    page = client.get(reverse("registry:business_list") + "?archived=1").content.decode()
    assert 'name="archived"' not in page and "Batik Sekar Jati" not in page and "Parcel Barokah" in page
