"""The one gate (`core/scope.py`): office-owned records, and the writes to a business that check it."""

import pytest
from django.core.exceptions import PermissionDenied

from conftest import make_business
from sentra.core.scope import may
from sentra.imports.models import ImportBatch, ImportRow, ImportTemplate
from sentra.linkage.merges import merge_businesses
from sentra.linkage.models import Source
from sentra.linkage.services import unlink
from sentra.registry.models import Business

pytestmark = pytest.mark.django_db

# Who sees, and who changes, what the Blora cooperative office owns.
SEES = {"blora_admin", "blora_officer", "blora_viewer", "superuser"}
CHANGES = {"blora_admin", "blora_officer", "superuser"}


@pytest.fixture
def blora_batch(offices):
    batch = ImportBatch.objects.create(office=offices["blora"], file_name="umkm.xlsx")
    ImportRow.objects.create(batch=batch, sheet="umkm", number=2, outcome="rejected")
    return batch


@pytest.mark.parametrize(
    "username",
    [
        "blora_admin",
        "blora_officer",
        "blora_viewer",
        "pesawaran_officer",
        "jateng_officer",
        "industry_officer",
        "superuser",
    ],
)
def test_an_office_owned_record_is_its_offices(users, blora_batch, username):
    user = users[username]
    assert ImportBatch.objects.restrict(user, "view").filter(pk=blora_batch.pk).exists() == (username in SEES)
    assert ImportBatch.objects.restrict(user, "change").filter(pk=blora_batch.pk).exists() == (username in CHANGES)
    # Through a path: the batch's rows go with it.
    assert ImportRow.objects.restrict(user).filter(batch=blora_batch).exists() == (username in SEES)
    assert may(user, "view", blora_batch.office_id) == (username in SEES)
    assert may(user, "change", blora_batch.office_id) == (username in CHANGES)


def test_nobody_signed_out_or_inactive_sees_anything(users, blora_batch, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not ImportBatch.objects.restrict(AnonymousUser()).exists()
    assert not ImportBatch.objects.restrict(None).exists()
    officer = users["blora_officer"]
    officer.is_active = False
    assert not ImportBatch.objects.restrict(officer).exists()
    assert not may(officer, "view", blora_batch.office_id)


def test_a_shipped_template_is_everyones_to_read_and_nobodys_to_change(users, offices):
    shipped = ImportTemplate.objects.create(name="SIDT (uji)", office=None, mapping={})
    own = ImportTemplate.objects.create(name="Milik Blora", office=offices["blora"], mapping={})
    pesawaran = users["pesawaran_officer"]
    assert set(ImportTemplate.objects.restrict(pesawaran).filter(pk__in=[shipped.pk, own.pk])) == {shipped}
    assert not ImportTemplate.objects.restrict(pesawaran, "change").filter(pk=shipped.pk).exists()


def test_a_merge_checks_that_the_actor_may_change_both(users, offices, businesses):
    industry = users["industry_officer"]  # fosters blora_fostered only
    with pytest.raises(PermissionDenied):
        merge_businesses(keep=businesses["blora_fostered"], merged=businesses["blora_plain"], actor=industry)
    assert Business.objects.filter(pk=businesses["blora_plain"].pk).exists()
    other = make_business("33.16.01.2002", "Parcel Barokah Dua", offices=[offices["blora_industry"]])
    merge_businesses(keep=businesses["blora_fostered"], merged=other, actor=industry)
    assert not Business.objects.filter(pk=other.pk).exists()


def test_an_unlink_checks_that_the_actor_may_change_the_business(users, offices, businesses):
    source = Source.objects.create(
        office=offices["pesawaran"], agency=offices["blora_industry"], name="Daftar", file_name="daftar.xlsx"
    )
    record = source.records.create(row_number=2, data={}, business=businesses["blora_plain"])
    with pytest.raises(PermissionDenied):
        unlink(record, actor=users["pesawaran_officer"])
    record.refresh_from_db()
    assert record.business_id == businesses["blora_plain"].pk


def test_deciding_same_checks_that_the_actor_may_change_the_business(users, offices, businesses):
    from sentra.linkage.models import Candidate
    from sentra.linkage.services import decide

    source = Source.objects.create(office=offices["pesawaran"], name="Daftar", file_name="daftar.xlsx")
    record = source.records.create(row_number=2, data={})
    candidate = Candidate.objects.create(record=record, business=businesses["blora_plain"], probability=0.9)
    with pytest.raises(PermissionDenied):
        decide(candidate, decision="same", actor=users["pesawaran_officer"])
    record.refresh_from_db()
    assert record.business_id is None


def test_an_editor_is_who_may_change_what_their_own_office_owns(users):
    from django.contrib.auth.models import AnonymousUser

    from sentra.core.scope import is_editor

    editors = {name for name, user in users.items() if is_editor(user)}
    # A province office's officer edits only when an admin granted it (`may_edit_province`).
    assert editors == {"blora_admin", "blora_officer", "pesawaran_officer", "industry_officer", "superuser"}
    assert not is_editor(AnonymousUser()) and not is_editor(None)
