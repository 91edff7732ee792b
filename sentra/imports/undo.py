"""Undoing an import: remove what it created, put back what it changed, in one transaction.

An import whose records were edited afterwards is not undone automatically:
undoing it would silently throw those later edits away, so the officer is told
which records they are.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.audit.models import ChangeAction, ObjectChange
from sentra.audit.services import log_change, snapshot
from sentra.imports.files import ImportRefused
from sentra.imports.models import ImportBatch, ImportRow, ImportStatus, RowOutcome
from sentra.imports.planning import LOOKUP_CHUNK, chunks
from sentra.imports.workflow import _ensure_owner
from sentra.kbli.models import Kbli, KbliLevel
from sentra.registry.models import Business, Person, PersonProposal, ProposalStatus
from sentra.registry.owners import refresh_homes
from sentra.registry.selectors import product_names_by_business
from sentra.registry.services import record_size_class_changes

EXAMPLES = 5


def undo_import(batch: ImportBatch, *, actor) -> dict[str, int]:
    """Undo a finished import; returns how many businesses were removed and restored."""
    _ensure_owner(batch, actor)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportStatus.DONE:
            raise ImportRefused(_("Hanya impor yang sudah selesai yang dapat dibatalkan."))
        rows = ImportRow.objects.filter(batch=batch, business__isnull=False)
        created = dict(rows.filter(outcome=RowOutcome.CREATED).values_list("business_id", "owner_created"))
        updated = dict(rows.filter(outcome=RowOutcome.UPDATED).values_list("business_id", "before"))
        owner_fills = [
            before["owner"]
            for before in rows.filter(before__has_key="owner").values_list("before", flat=True)
            if isinstance(before, dict)
        ]
        proposals = [
            before["proposal"]
            for before in rows.filter(before__has_key="proposal").values_list("before", flat=True)
            if isinstance(before, dict)
        ]
        _refuse_if_edited_since(batch, [*created, *updated])

        owners = {}
        for chunk in chunks(list(created)):
            owners.update(Business.objects.filter(pk__in=chunk).values_list("pk", "owner_id"))
        for chunk in chunks(list(created), LOOKUP_CHUNK):
            Business.objects.filter(pk__in=chunk).delete()
        new_owners = {owners[pk] for pk, owner_created in created.items() if owner_created and pk in owners}
        for chunk in chunks(sorted(new_owners)):
            Person.objects.filter(pk__in=chunk, businesses__isnull=True).delete()
        refresh_homes(set(owners.values()) - new_owners)  # owners kept where a removed business was

        _restore(updated, batch, actor)
        _restore_owners(owner_fills, batch, actor)
        PersonProposal.objects.filter(pk__in=proposals, status=ProposalStatus.PENDING).update(
            status=ProposalStatus.WITHDRAWN
        )

        batch.status = ImportStatus.UNDONE
        batch.undone_at = timezone.now()
        batch.undone_by = actor if actor is not None and actor.is_authenticated else None
        batch.save(update_fields=["status", "undone_at", "undone_by"])
        counts = {"removed": len(owners), "restored": len(updated)}
        log_change(
            actor=actor,
            action=ChangeAction.UPDATE,
            instance=batch,
            before={"status": ImportStatus.DONE},
            after={"status": ImportStatus.UNDONE, **counts},
            message=_("impor #%(id)s dibatalkan") % {"id": batch.pk},
        )
    return counts


def _refuse_if_edited_since(batch: ImportBatch, business_ids: list[int]) -> None:
    """Refuse when any of the import's businesses (or their products, licences…) changed after it."""
    business_type = ContentType.objects.get_for_model(Business)
    edited: set[int] = set()
    for chunk in chunks(sorted(business_ids)):
        edited.update(
            Business.objects.filter(pk__in=chunk, updated_at__gt=batch.finished_at).values_list("pk", flat=True)
        )
        edited.update(
            ObjectChange.objects.filter(
                related_content_type=business_type, related_object_id__in=chunk, time__gt=batch.finished_at
            ).values_list("related_object_id", flat=True)
        )
    if edited:
        names = list(Business.objects.filter(pk__in=sorted(edited)[:EXAMPLES]).values_list("name", flat=True))
        raise ImportRefused(
            _(
                "%(count)s UMKM dari impor ini sudah diubah sesudahnya (mis. %(names)s). Pembatalan otomatis "
                "akan menghapus perubahan itu, jadi tidak dijalankan; ubah atau hapus UMKM tersebut satu per satu."
            )
            % {"count": len(edited), "names": ", ".join(names)}
        )


def _restore(updated: dict[int, dict], batch: ImportBatch, actor) -> None:
    """Put the fields an import changed back to what they were, logged like any edit."""
    if not updated:
        return
    kbli_sections = dict(Kbli.objects.filter(level=KbliLevel.SUBCLASS).values_list("code", "section"))
    now = timezone.now()
    businesses = list(Business.objects.filter(pk__in=list(updated)).select_related("owner"))
    products = product_names_by_business(updated)
    fields: set[str] = set()
    sizes = []
    for business in businesses:
        before = snapshot(business)
        for name, value in updated[business.pk].items():
            if name == "owner":
                continue
            model_field = Business._meta.get_field(name.removesuffix("_id") if name.endswith("_id") else name)
            setattr(business, model_field.attname, model_field.to_python(value) if value is not None else None)
            fields.add(model_field.attname)
        business.refresh_derived_fields(
            product_names=products.get(business.pk, []), kbli_section=kbli_sections.get(business.kbli_id, "")
        )
        sizes.append((business.pk, before["size_class"], business.size_class))
        business.updated_at = now
        log_change(
            actor=actor,
            action=ChangeAction.UPDATE,
            instance=business,
            before=before,
            after=snapshot(business),
            message=_("pembatalan impor #%(id)s") % {"id": batch.pk},
        )
    derived = ["district_id", "regency_id", "province_id", "kbli_section", "size_class", "size_basis"]
    Business.objects.bulk_update(businesses, [*fields, *derived, "search_text", "updated_at"], batch_size=2000)
    record_size_class_changes(sizes, actor=actor, when=now)


def _restore_owners(fills: list[dict], batch: ImportBatch, actor) -> None:
    """Blank again the owner details the import filled in, unless someone changed them since."""
    for fill in fills:
        person = Person.objects.filter(pk=fill["id"]).first()
        if person is None:
            continue
        before = snapshot(person)
        if "fields" in fill:
            restore = {name: old for name, (old, new) in fill["fields"].items() if before.get(name) == new}
        elif person.updated_at <= batch.finished_at:  # recorded before fills kept what they set
            restore = {name: value for name, value in fill.items() if name != "id"}
        else:
            restore = {}
        if not restore:
            continue
        for name, value in restore.items():
            setattr(person, name, Person._meta.get_field(name).to_python(value) if value else value)
        person.save()
        log_change(
            actor=actor,
            action=ChangeAction.UPDATE,
            instance=person,
            before=before,
            after=snapshot(person),
            message=_("pembatalan impor #%(id)s") % {"id": batch.pk},
        )
