"""Duplicates inside the registry: found by the engine, decided by an officer, merged with history kept."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from conftest import make_business
from sentra.audit.models import ObjectChange
from sentra.imports.models import ImportBatch, ImportRow
from sentra.linkage.duplicates import decide_pair, duplicate_queue, find_duplicates
from sentra.linkage.merges import HANDLED_RELATIONS, merge_businesses
from sentra.linkage.models import Decision, DuplicatePair, Merge
from sentra.registry.models import Business, Person, SizeClassChange, StatusChange

pytestmark = pytest.mark.django_db


def test_every_relation_of_a_business_is_carried_by_a_merge():
    """A new model pointing at Business must say what a merge does with it."""
    relations = {
        field.get_accessor_name()
        for field in Business._meta.get_fields(include_hidden=True)
        if field.auto_created and not field.concrete and not field.related_model._meta.auto_created
    }  # the fostering offices' own through table is the many-to-many field, merged by name
    relations.discard(None)
    assert relations - HANDLED_RELATIONS == set()


@pytest.fixture
def twins(registry, offices):
    """The registry, plus the same UMKM typed again by someone else (no NIK, other spellings)."""
    again = make_business(
        "33.16.02.2016", "Bakso Pak Slamet", offices=[offices["blora_industry"]], owner_name="Bpk. Slamet Riyanto"
    )
    Person.objects.filter(pk=again.owner_id).update(nik=None, phone="+6281829001124")
    again.products.create(name="bakso urat")
    return registry[12], again  # Bakso Slamet, Tanggel


def test_the_engine_finds_a_business_registered_twice(twins, offices, users):
    original, again = twins
    waiting = find_duplicates(offices["blora"], actor=users["blora_officer"])
    assert waiting >= 1
    pairs = {(pair.first_id, pair.second_id) for pair in duplicate_queue(offices["blora"])}
    assert tuple(sorted((original.pk, again.pk))) in pairs
    # Different owners with different businesses are not offered as duplicates.
    assert len(pairs) <= 3


def test_a_record_typed_again_with_only_the_owners_name_is_proposed(client, registry, offices, users):
    """Same owner's name and village, a reworded name, nothing else typed: the model alone scores it low."""
    original = registry[0]  # UD Sumber Rejeki, Hj. Siti Aminah, keripik tempe, Bangkleyan
    blora = [offices["blora"]]
    again = make_business("33.16.01.2001", "Keripik Tempe Rejeki Baru", offices=blora, owner_name="SITI AMINAH")
    Person.objects.filter(pk=again.owner_id).update(nik=None)
    namesake_elsewhere = make_business("33.16.01.2004", "Keripik Rejeki", offices=blora, owner_name="Siti Aminah")
    Person.objects.filter(pk=namesake_elsewhere.owner_id).update(nik=None)
    # The same name, but another NIK: two people.
    other_person = make_business("33.16.01.2001", "Keripik Tempe Rejeki", offices=blora, owner_name="Siti Aminah")

    find_duplicates(offices["blora"], actor=users["blora_officer"])
    queue = list(duplicate_queue(offices["blora"]))
    pairs = {(pair.first_id, pair.second_id): pair for pair in queue}
    proposed = pairs[tuple(sorted((original.pk, again.pk)))]
    assert proposed.evidence["found_by"] == "namesake" and proposed.probability < 0.5
    assert tuple(sorted((original.pk, namesake_elsewhere.pk))) not in pairs  # another village
    assert tuple(sorted((original.pk, other_person.pk))) not in pairs  # NIKs differ: two people
    assert tuple(sorted((again.pk, other_person.pk))) in pairs  # `again` has no NIK to tell
    client.force_login(users["blora_officer"])
    for url in ("linkage:duplicates", "linkage:duplicate_list"):
        assert "nama pemilik sama di desa/kelurahan yang sama" in client.get(reverse(url)).content.decode()


def test_merging_keeps_everything_and_the_history(twins, offices, users):
    original, again = twins
    batch = ImportBatch.objects.create(office=offices["blora"], file_name="a.xlsx")
    ImportRow.objects.create(batch=batch, sheet="s", number=2, outcome="created", business=again)
    original.address = ""
    original.capital = None
    original.save()
    again.address = "Jl. Pahlawan 12"
    again.capital = 3_000_000_000  # small
    again.save()
    when = timezone.now()
    StatusChange.objects.create(business=again, status="active", previous_status="", changed_at=when)
    StatusChange.objects.create(business=again, status="dormant", previous_status="active", changed_at=when)
    SizeClassChange.objects.create(business=again, size_class="micro", previous_size_class="", changed_at=when)
    SizeClassChange.objects.create(business=again, size_class="small", previous_size_class="micro", changed_at=when)

    kept = merge_businesses(keep=original, merged=again, actor=users["blora_officer"])
    assert not Business.objects.filter(pk=again.pk).exists()
    assert sorted(kept.products.values_list("name", flat=True)) == ["bakso", "bakso urat"]
    assert set(kept.fostering_offices.all()) == {offices["blora"], offices["blora_industry"]}
    assert kept.address == "Jl. Pahlawan 12"  # a blank filled from the merged record
    assert ImportRow.objects.get(batch=batch).business == kept
    merge = Merge.objects.get(keep=kept)
    assert merge.merged_id == again.pk and merge.snapshot["business"]["name"] == "Bakso Pak Slamet"
    assert merge.snapshot["owner"]["full_name"] == "Bpk. Slamet Riyanto"
    # The merged record's own history stays with its snapshot: on the kept business it would read as a
    # status change and a move up the kept business never went through.
    assert [row["value"] for row in merge.snapshot["status_history"]] == ["active", "dormant"]
    assert [row["value"] for row in merge.snapshot["size_history"]] == ["micro", "small"]
    assert not kept.status_history.exists()
    # Its capital filled the kept business's blank: that change of size class is recorded.
    assert kept.size_class == "small"
    assert list(kept.size_history.values_list("previous_size_class", "size_class")) == [("unknown", "small")]
    messages = set(ObjectChange.objects.filter(content_type__model="business").values_list("message", flat=True))
    assert any("digabung ke Bakso Slamet" in message for message in messages)
    assert any("digabung dengan Bakso Pak Slamet" in message for message in messages)


def test_a_decision_on_a_pair(twins, offices, users):
    original, again = twins
    find_duplicates(offices["blora"], actor=users["blora_officer"])
    pair = DuplicatePair.objects.get(first_id=min(original.pk, again.pk), second_id=max(original.pk, again.pk))
    decide_pair(pair, decision=Decision.DIFFERENT, actor=users["blora_officer"])
    pair.refresh_from_db()
    assert pair.decision == Decision.DIFFERENT and pair not in duplicate_queue(offices["blora"])
    find_duplicates(offices["blora"], actor=users["blora_officer"])  # found again, the answer stays
    pair.refresh_from_db()
    assert pair.decision == Decision.DIFFERENT

    with pytest.raises(PermissionDenied):
        decide_pair(pair, decision=Decision.SAME, actor=users["pesawaran_officer"], keep=original)
    decide_pair(pair, decision=Decision.SAME, actor=users["blora_officer"], keep=original)
    assert not Business.objects.filter(pk=again.pk).exists()
