"""Subject access requests, the record of processing, and the change log's retention."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from sentra.audit.models import ExportLog, NikReveal, ObjectChange
from sentra.audit.services import log_nik_reveal
from sentra.imports.models import ImportBatch, ImportRow
from sentra.registry import services
from sentra.registry.models import Product

pytestmark = pytest.mark.django_db


def test_a_subject_gets_everything_held_about_their_nik_across_offices(client, users, offices, businesses):
    owner = businesses["blora_plain"].owner
    Product.objects.create(business=businesses["blora_plain"], name="Parcel lebaran")
    owner.phone = "+6281234500000"
    services.save_person(actor=users["blora_officer"], person=owner)
    log_nik_reveal(actor=users["blora_admin"], person=owner)
    batch = ImportBatch.objects.create(office=offices["pesawaran"], file_name="lampung.xlsx")
    ImportRow.objects.create(batch=batch, sheet="S", number=4, outcome="rejected", cells=["Siti", owner.nik, "x"])
    client.force_login(users["superuser"])
    response = client.post(reverse("privacy:index"), {"nik": owner.nik})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["owner"]["full_name"] == owner.full_name
    assert [b["name"] for b in data["businesses"]] == ["Parcel Barokah"]
    assert data["businesses"][0]["products"][0]["name"] == "Parcel lebaran"
    assert data["import_rows"][0]["office"] == offices["pesawaran"].name  # another office's file
    assert any(change["after"] and change["after"].get("phone") == "+6281234500000" for change in data["change_log"])
    assert data["nik_shown_to"][0]["user"] == "blora_admin"
    log = ExportLog.objects.get(kind="subject")
    assert log.actor == users["superuser"] and log.full_nik and owner.nik not in log.description


@pytest.mark.parametrize("username", ["blora_admin", "blora_officer"])
def test_only_superusers_reach_the_privacy_pages(client, users, username):
    client.force_login(users[username])
    assert client.get(reverse("privacy:index")).status_code == 403
    assert client.post(reverse("privacy:index"), {"nik": "3316015205850001"}).status_code == 403


def test_the_record_of_processing_is_shown(client, users, settings):
    settings.CHANGE_LOG_RETENTION_DAYS = 365
    client.force_login(users["superuser"])
    page = client.get(reverse("privacy:index")).content.decode()
    assert "Catatan kegiatan pemrosesan data pribadi" in page
    assert "Pendataan UMKM" in page and "dihapus setelah 365 hari" in page


def test_a_bad_nik_gets_a_reason(client, users):
    client.force_login(users["superuser"])
    response = client.post(reverse("privacy:index"), {"nik": "12345"})
    assert response.status_code == 200
    assert "NIK harus 16 angka" in response.content.decode()


def test_old_log_entries_are_pruned_after_the_retention_period(users, businesses, settings):
    owner = businesses["blora_plain"].owner
    services.save_person(actor=users["blora_officer"], person=owner)  # logs nothing new: no change
    owner.phone = "+6281200000001"
    services.save_person(actor=users["blora_officer"], person=owner)
    log_nik_reveal(actor=users["blora_admin"], person=owner)
    old = timezone.now() - dt.timedelta(days=400)
    ObjectChange.objects.update(time=old)
    NikReveal.objects.update(time=old)
    owner.phone = "+6281200000002"
    services.save_person(actor=users["blora_officer"], person=owner)
    settings.CHANGE_LOG_RETENTION_DAYS = 365
    call_command("prune_change_log", verbosity=0)
    assert ObjectChange.objects.count() == 1 and not NikReveal.objects.exists()
    settings.CHANGE_LOG_RETENTION_DAYS = 0
    ObjectChange.objects.update(time=old)
    call_command("prune_change_log", verbosity=0)
    assert ObjectChange.objects.count() == 1
