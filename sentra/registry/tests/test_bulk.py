"""Bulk writes: rows written in committed chunks stay out of every read until published, and a write
that fails or whose writer dies is removed, rows and all."""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sentra.dashboards.tallies import refresh_tallies, tallied_figures
from sentra.registry import bulk
from sentra.registry.models import BulkWrite, Business, Person, Product, StatusChange

pytestmark = pytest.mark.django_db


def _write_one(write: BulkWrite, name: str) -> Business:
    """One business of the write, as an importer writes it (tagged, in its own committed chunk)."""
    with transaction.atomic():
        owner = Person.objects.create(full_name="Pemilik Massal", sex="L", bulk_write=write, home_regency_id="33.16")
        business = Business(name=name, owner=owner, village_id="33.16.01.2001", bulk_write=write)
        business.save()
        Product.objects.create(business=business, name="produk massal")
        StatusChange.objects.create(business=business, status="active", changed_at=timezone.now())
    return business


def test_unpublished_rows_are_in_no_read(client, users, businesses):
    write = bulk.start("impor uji")
    hidden = _write_one(write, "Usaha Tersembunyi")
    assert not Business.objects.filter(pk=hidden.pk).exists()
    assert Business.all_objects.filter(pk=hidden.pk).exists()
    assert hidden.pk not in Business.objects.restrict(users["superuser"]).values_list("pk", flat=True)
    client.force_login(users["blora_officer"])
    assert "Usaha Tersembunyi" not in client.get(reverse("registry:business_list")).content.decode()
    assert client.get(reverse("registry:business_detail", args=[hidden.pk])).status_code == 404
    assert "Usaha Tersembunyi" not in client.get("/api/businesses/").content.decode()
    refresh_tallies("33.16")
    total = tallied_figures("33.16")[""][("total", "")]
    assert total == 2  # the two Blora businesses of the fixture, not the hidden one

    with transaction.atomic():
        bulk.publish(write)
    assert Business.objects.filter(pk=hidden.pk).exists()
    assert "Usaha Tersembunyi" in client.get(reverse("registry:business_list")).content.decode()
    assert tallied_figures("33.16")[""][("total", "")] == 3  # publishing marks its villages for a recount


def test_a_failed_write_is_removed_with_everything_under_it(businesses):
    with pytest.raises(RuntimeError), bulk.bulk_write("impor gagal") as write:
        business = _write_one(write, "Usaha Gagal")
        raise RuntimeError("the importer failed")
    assert not Business.all_objects.filter(pk=business.pk).exists()
    assert not Product.objects.filter(business_id=business.pk).exists()
    assert not Person.objects.filter(full_name="Pemilik Massal").exists()
    assert not BulkWrite.objects.exists()


def test_an_owner_someone_linked_meanwhile_stays(users, businesses):
    write = bulk.start("impor")
    pending = _write_one(write, "Usaha Massal")
    kept = Business.objects.create(name="Usaha Lewat Formulir", owner=pending.owner, village_id="33.16.01.2002")
    bulk.remove(write)
    assert Person.objects.filter(pk=pending.owner_id).exists()
    assert Business.objects.filter(pk=kept.pk).exists()


def test_a_write_whose_writer_stopped_is_removed(businesses, settings):
    alive, dead = bulk.start("hidup"), bulk.start("mati")
    _write_one(alive, "Usaha Hidup")
    _write_one(dead, "Usaha Mati")
    BulkWrite.objects.filter(pk=dead.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    assert bulk.remove_abandoned() == 1
    assert Business.all_objects.filter(name="Usaha Hidup").exists()
    assert not Business.all_objects.filter(name="Usaha Mati").exists()


def test_a_published_write_cannot_be_removed(businesses):
    write = bulk.start("impor")
    _write_one(write, "Usaha Terbit")
    with transaction.atomic():
        bulk.publish(write)
    with pytest.raises(ValueError):
        bulk.remove(write)
