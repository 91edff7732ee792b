"""Merging two registered businesses that are one UMKM, and undoing the merge for a set period.

A merge moves the absorbed business's products, licences, channels, import rows,
agency links and proposals onto the one kept, fills the kept one's blanks from
it, and removes it. `Merge.snapshot` keeps what it was (its fields, owner,
fostering offices and status, stage and size history); `Merge.moved` what moved
where, so that for `LINKAGE_MERGE_UNDO_DAYS` an officer can put it back as it was:
the same id (its old address and change log come back with it), its own
products and licences, history, fostering offices and links.

Edits made to the kept business since are kept: a field filled from the absorbed
business goes blank again only where nobody changed it since, what was added to
the kept business stays there, and what was moved and then edited goes back as
it is now. What would lose data or break a rule is refused, naming it: a later
merge into the kept business not undone first, an NIB another business holds now,
an owner no longer registered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.accounts.models import Office
from sentra.audit.models import ChangeAction
from sentra.audit.services import _jsonable, log_change, snapshot
from sentra.imports.models import ImportRow
from sentra.linkage.models import Candidate, Decision, DuplicatePair, Merge, PairDecision, SourceRecord
from sentra.linkage.services import LinkageRefused
from sentra.registry.models import (
    Business,
    DigitalChannel,
    Licence,
    MaturityChange,
    Person,
    PersonProposal,
    Product,
    SizeClassChange,
    StatusChange,
)
from sentra.registry.owners import refresh_homes
from sentra.registry.selectors import businesses_changeable_by
from sentra.registry.services import record_size_class_changes

DEFAULT_UNDO_DAYS = 30
MOVED_VERSION = 1  # merges recorded before `moved` existed have {} and cannot be undone
# Fields the business that stays takes from the merged one when its own are blank.
FILLABLE = (
    "nib",
    "kbli_id",
    "address",
    "latitude",
    "longitude",
    "start_year",
    "start_month",
    "capital",
    "annual_turnover",
    "status_verified_on",
)
# Every relation pointing at a business, and how a merge carries it over (a test checks none is missed).
MOVED_RELATIONS: dict[str, type[models.Model]] = {
    "products": Product,
    "licences": Licence,
    "import_rows": ImportRow,
    "source_records": SourceRecord,
    "person_proposals": PersonProposal,
}
# The merged record's own status, stage and size history is kept in the merge's snapshot, not moved:
# on the kept business it would read as changes the kept business never went through (a status
# change it never had, a move up from a class it never was in).
SNAPSHOT_HISTORY: dict[str, tuple[type[models.Model], str]] = {
    "status_history": (StatusChange, "status"),
    "maturity_history": (MaturityChange, "stage"),
    "size_history": (SizeClassChange, "size_class"),
}
HANDLED_RELATIONS = {
    *MOVED_RELATIONS,
    *SNAPSHOT_HISTORY,
    "channels",
    "match_candidates",
    "pair_decisions",
    "duplicate_pairs_first",
    "duplicate_pairs_second",
    "merges",
}
PLAIN_LABELS = {"products": "produk", "licences": "izin", "channels": "saluran digital"}


def undo_days() -> int:
    return int(getattr(settings, "LINKAGE_MERGE_UNDO_DAYS", DEFAULT_UNDO_DAYS))


def _row(instance: models.Model) -> dict:
    """A row's concrete fields as JSON, by attribute name (foreign keys as ids), id included."""
    return {f.attname: _jsonable(getattr(instance, f.attname)) for f in instance._meta.concrete_fields}


def _restored(model: type[models.Model], data: dict, **overrides) -> models.Model:
    """An unsaved row from `_row`'s JSON, each value read back by its field (dates, decimals)."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    values = {name: fields[name].to_python(value) for name, value in data.items() if name in fields}
    return model(**{**values, **overrides})


def _history_of(business: Business, model, name: str) -> list[dict]:
    rows = model.objects.filter(business=business).order_by("changed_at", "id")
    previous = f"previous_{name}"
    return [
        {
            **_row(row),
            # The shape earlier merges kept, read by older pages and tests.
            "changed_at": row.changed_at.isoformat(),
            "previous": getattr(row, previous),
            "value": getattr(row, name),
        }
        for row in rows
    ]


@dataclass
class MergePreview:
    """What a merge would do, shown before the officer confirms it."""

    keep: Business
    merged: Business
    moved: list[str]  # "3 produk", "1 izin"
    offices_added: list[str]
    filled: list[str]  # labels of the kept business's blank fields the merged one fills


def _filled(keep: Business, merged: Business) -> dict[str, object]:
    """The kept business's blank fields that the merged one fills, with the merged one's values."""
    return {name: getattr(merged, name) for name in FILLABLE if not getattr(keep, name) and getattr(merged, name)}


def merge_preview(*, keep: Business, merged: Business) -> MergePreview:
    counts = [
        (merged.products.count(), PLAIN_LABELS["products"]),
        (merged.licences.count(), PLAIN_LABELS["licences"]),
        (merged.channels.count(), PLAIN_LABELS["channels"]),
    ]
    kept_offices = set(keep.fostering_offices.values_list("pk", flat=True))
    return MergePreview(
        keep=keep,
        merged=merged,
        moved=[f"{count} {label}" for count, label in counts if count],
        offices_added=[office.name for office in merged.fostering_offices.exclude(pk__in=kept_offices)],
        filled=[str(Business._meta.get_field(name).verbose_name) for name in _filled(keep, merged)],
    )


def merge_businesses(*, keep: Business, merged: Business, actor) -> Business:
    """Move everything of `merged` onto `keep`, fill `keep`'s blanks from it, and remove it; history kept."""
    if keep.pk == merged.pk:
        raise LinkageRefused(_("Sebuah UMKM tidak dapat digabung dengan dirinya sendiri."))
    user = actor if actor is not None and actor.is_authenticated else None
    changeable = businesses_changeable_by(actor)  # a merge rewrites one and removes the other
    with transaction.atomic():
        try:
            keep = changeable.select_for_update().get(pk=keep.pk)
            merged = changeable.select_for_update().select_related("owner").get(pk=merged.pk)
        except Business.DoesNotExist:
            raise PermissionDenied(_("Anda tidak berwenang mengubah kedua UMKM ini.")) from None
        before = snapshot(keep, ("fostering_offices",))
        record = {
            "business": snapshot(merged, ("fostering_offices",)),
            "created_at": merged.created_at.isoformat(),
            "owner": snapshot(merged.owner),
            "products": list(merged.products.values_list("name", flat=True)),
            **{name: _history_of(merged, model, value) for name, (model, value) in SNAPSHOT_HISTORY.items()},
        }
        moved: dict = {"version": MOVED_VERSION, "relations": {}}
        for name, model in MOVED_RELATIONS.items():
            key = Business._meta.get_field(name).field.name
            rows = model.objects.filter(**{key: merged})
            moved["relations"][name] = list(rows.values_list("pk", flat=True))
            rows.update(**{key: keep})
        moved["channels"], moved["channels_dropped"] = [], []
        for channel in merged.channels.all():
            if keep.channels.filter(kind=channel.kind, name__iexact=channel.name).exists():
                moved["channels_dropped"].append(_row(channel))  # the kept business has it: it goes with `merged`
            else:
                channel.business = keep
                channel.save(update_fields=["business"])
                moved["channels"].append(channel.pk)
        earlier = Merge.objects.filter(keep=merged)
        moved["merges"] = list(earlier.values_list("pk", flat=True))
        earlier.update(keep=keep)  # earlier merges into `merged` follow it
        offices = set(merged.fostering_offices.values_list("pk", flat=True))
        moved["offices_added"] = sorted(offices - set(keep.fostering_offices.values_list("pk", flat=True)))
        keep.fostering_offices.add(*offices)
        for model, name in ((Candidate, "candidates"), (PairDecision, "pair_decisions")):
            # A candidate or decision about `merged` now speaks of `keep`, unless `keep` already has its own.
            key = "record_id" if model is Candidate else "record_key"
            taken = model.objects.filter(business=keep).values(key)
            moving = model.objects.filter(business=merged).exclude(**{f"{key}__in": taken})
            moved[name] = list(moving.values_list("pk", flat=True))
            moving.update(business=keep)
            moved[f"{name}_dropped"] = [_row(row) for row in model.objects.filter(business=merged)]
        DuplicatePair.objects.filter(Q(first=merged) | Q(second=merged)).exclude(
            Q(first=keep) | Q(second=keep)
        ).delete()  # pairs with a third business are found again by the next search
        # The pair itself goes with `merged`; kept so that an undo can put it back in the queue as it was.
        pair = DuplicatePair.objects.filter(first_id=min(keep.pk, merged.pk), second_id=max(keep.pk, merged.pk))
        moved["pair"] = next((_row(row) for row in pair), None)
        filled = _filled(keep, merged)
        moved["filled"] = {name: _jsonable(value) for name, value in filled.items()}
        merged_pk, merged_name = merged.pk, merged.name
        Merge.objects.create(
            keep=keep, merged_id=merged_pk, merged_name=merged_name, snapshot=record, moved=moved, merged_by=user
        )
        merged.delete()
        refresh_homes([merged.owner_id])
        for name, value in filled.items():
            setattr(keep, name, value)
        size_before = keep.size_class
        keep.save()
        record_size_class_changes([(keep.pk, size_before, keep.size_class)], actor=user, when=timezone.now())
        log_change(
            actor=actor,
            action=ChangeAction.DELETE,
            instance=Business(pk=merged_pk, name=merged_name),
            before=record["business"],
            message=_("digabung ke %(name)s (#%(id)s)") % {"name": keep.name, "id": keep.pk},
        )
        log_change(
            actor=actor,
            action=ChangeAction.UPDATE,
            instance=keep,
            # The merge itself is a change even when no field of `keep` changed.
            before={**before, "digabung dari": None},
            after={**snapshot(keep, ("fostering_offices",)), "digabung dari": f"{merged_name} (#{merged_pk})"},
            message=_("digabung dengan %(name)s (#%(id)s)") % {"name": merged_name, "id": merged_pk},
        )
    return keep


# --- undoing ------------------------------------------------------------------------------


@dataclass
class UndoPlan:
    """What undoing a merge would do: why it cannot (`refusals`), and what stays as it is now (`left`)."""

    merge: Merge
    refusals: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    restores: list[str] = field(default_factory=list)
    until: dt.datetime | None = None

    @property
    def possible(self) -> bool:
        return not self.refusals


def may_undo(actor, merge: Merge) -> bool:
    """Whether `actor` may undo merges of this kept business: an editor who may change it."""
    return bool(
        actor is not None
        and actor.is_authenticated
        and actor.can_edit_registry
        and Business.objects.restrict(actor, "change").filter(pk=merge.keep_id).exists()
    )


def merges_visible_to(user):
    """The merges into businesses `user` may see, newest first."""
    return Merge.objects.filter(keep__in=Business.objects.restrict(user, "view")).select_related(
        "keep", "merged_by", "undone_by"
    )


def undo_plan(merge: Merge) -> UndoPlan:
    """Check a merge can be undone now, and say what would come back and what would stay."""
    plan = UndoPlan(merge=merge, until=merge.merged_at + dt.timedelta(days=undo_days()))
    moved, snap = merge.moved or {}, merge.snapshot or {}
    business = snap.get("business", {})
    if merge.undone_at is not None:
        plan.refusals.append(_("Penggabungan ini sudah dibatalkan."))
        return plan
    if moved.get("version") != MOVED_VERSION:
        plan.refusals.append(
            _("Penggabungan ini tercatat sebelum penggabungan dapat dibatalkan, jadi tidak dapat dibatalkan.")
        )
        return plan
    if timezone.now() > plan.until:
        plan.refusals.append(
            _("Masa pembatalan %(days)s hari sudah lewat (sampai %(date)s).")
            % {"days": undo_days(), "date": timezone.localtime(plan.until).strftime("%d/%m/%Y")}
        )
    later = Merge.objects.filter(keep_id=merge.keep_id, undone_at__isnull=True, merged_at__gt=merge.merged_at)
    for name in later.exclude(pk=merge.pk).values_list("merged_name", flat=True):
        plan.refusals.append(_("Batalkan dulu penggabungan %(name)s yang lebih baru ke UMKM ini.") % {"name": name})
    if Business.all_objects.filter(pk=merge.merged_id).exists():
        plan.refusals.append(_("Nomor UMKM #%(id)s sudah dipakai lagi.") % {"id": merge.merged_id})
    if not Person.objects.filter(pk=business.get("owner")).exists():
        owner = (snap.get("owner") or {}).get("full_name", "")
        plan.refusals.append(_("Pemilik %(name)s sudah tidak terdaftar.") % {"name": owner})
    nib = business.get("nib") or ""
    keep = merge.keep
    if nib:
        holders = Business.all_objects.filter(nib=nib)
        if moved.get("filled", {}).get("nib") == nib:
            holders = holders.exclude(pk=keep.pk)  # the kept business's copy of it goes blank again
        for name in holders.values_list("name", flat=True):
            plan.refusals.append(_("NIB %(nib)s sekarang dipakai %(name)s.") % {"nib": nib, "name": name})
    for name, value in moved.get("filled", {}).items():
        if _jsonable(getattr(keep, name)) != value:
            label = Business._meta.get_field(name.removesuffix("_id")).verbose_name
            plan.left.append(
                _("%(field)s %(keep)s diubah sesudah penggabungan; nilainya sekarang tetap.")
                % {"field": label, "keep": keep.name}
            )
    for name, model in (("products", Product), ("licences", Licence)):
        ids = moved["relations"].get(name, [])
        present = set(model.objects.filter(pk__in=ids, business=keep).values_list("pk", flat=True))
        if len(present) < len(ids):
            plan.left.append(
                _("%(count)s %(kind)s yang dipindahkan sudah dihapus atau dipindah sesudahnya dan tidak kembali.")
                % {"count": len(ids) - len(present), "kind": PLAIN_LABELS[name]}
            )
        if present:
            plan.restores.append(
                _("%(count)s %(kind)s kembali ke %(name)s.")
                % {"count": len(present), "kind": PLAIN_LABELS[name], "name": merge.merged_name}
            )
    links = SourceRecord.objects.filter(pk__in=moved["relations"].get("source_records", []), business=keep).count()
    if links:
        plan.restores.append(_("%(count)s tautan daftar instansi kembali.") % {"count": links})
    return plan


def _pair_after_undo(keep: Business, restored: Business, row: dict | None, *, office_id, actor, again: bool) -> None:
    """Record the pair of an undone merge: different (the officer's undo says they are two UMKM, so the next
    search does not offer them again), or pending as it was before the merge, with its evidence."""
    first, second = sorted((keep.pk, restored.pk))
    kept = row or {}
    values = {
        "office_id": kept.get("office_id") or office_id,
        "probability": kept.get("probability", 0.0),
        "evidence": kept.get("evidence") or {},
        "decision": Decision.PENDING if again else Decision.DIFFERENT,
        "decided_by": None if again else actor,
        "decided_at": None if again else timezone.now(),
    }
    DuplicatePair.objects.update_or_create(first_id=first, second_id=second, defaults=values)


def undo_merge(merge: Merge, *, actor, review_again: bool = False) -> Business:
    """Put the absorbed business back as it was merged; returns it. LinkageRefused says why not, with names.

    The two are then recorded as different, or with `review_again` go back to the office's duplicate
    queue undecided (a merge undone because it was hasty, not wrong)."""
    if not may_undo(actor, merge):
        raise PermissionDenied(_("Anda tidak berwenang membatalkan penggabungan UMKM ini."))
    user = actor if actor is not None and actor.is_authenticated else None
    with transaction.atomic():
        merge = Merge.objects.select_for_update().select_related("keep").get(pk=merge.pk)
        keep = Business.objects.select_for_update().get(pk=merge.keep_id)
        merge.keep = keep
        plan = undo_plan(merge)
        if not plan.possible:
            raise LinkageRefused(" ".join(plan.refusals))
        moved, snap = merge.moved, merge.snapshot
        keep_before = snapshot(keep, ("fostering_offices",))

        # The kept business first: blanks it took from the absorbed one, where nobody changed them since.
        size_before = keep.size_class
        for name, value in moved.get("filled", {}).items():
            if _jsonable(getattr(keep, name)) == value:
                blank = Business._meta.get_field(name.removesuffix("_id"))
                setattr(keep, name, "" if blank.empty_strings_allowed and not blank.null else None)
        keep.save()

        restored = _restored(Business, _business_values(snap["business"]), id=merge.merged_id)
        restored.save(force_insert=True)
        restored.created_at = dt.datetime.fromisoformat(snap["created_at"])  # not the moment it came back
        Business.all_objects.filter(pk=restored.pk).update(created_at=restored.created_at)
        restored.fostering_offices.set(snap["business"].get("fostering_offices", []))
        for name, model in MOVED_RELATIONS.items():
            key = Business._meta.get_field(name).field.name
            model.objects.filter(pk__in=moved["relations"].get(name, []), **{key: keep}).update(**{key: restored})
        DigitalChannel.objects.filter(pk__in=moved.get("channels", []), business=keep).update(business=restored)
        DigitalChannel.objects.bulk_create(
            [
                _restored(DigitalChannel, row, id=None, business_id=restored.pk)
                for row in moved.get("channels_dropped", [])
            ]
        )
        for name, (model, _value) in SNAPSHOT_HISTORY.items():
            model.objects.bulk_create(
                [_restored(model, row, id=None, business_id=restored.pk) for row in snap.get(name, []) if "id" in row]
            )
        Merge.objects.filter(pk__in=moved.get("merges", []), keep=keep).update(keep=restored)
        for model, name in ((Candidate, "candidates"), (PairDecision, "pair_decisions")):
            model.objects.filter(pk__in=moved.get(name, []), business=keep).update(business=restored)
            key = "record_id" if model is Candidate else "record_key"
            for row in moved.get(f"{name}_dropped", []):
                if not model.objects.filter(business=restored, **{key: row[key]}).exists():
                    _restored(model, row, id=None, business_id=restored.pk).save()
        # The agencies the merge brought to the kept business leave it, unless one of their rows links to it.
        linked = SourceRecord.objects.filter(business=keep).values("source__agency_id")
        leaving = Office.objects.filter(pk__in=moved.get("offices_added", [])).exclude(pk__in=linked)
        keep.fostering_offices.remove(*leaving)
        if user is not None and user.office_id:
            pair = moved.get("pair")
            _pair_after_undo(keep, restored, pair, office_id=user.office_id, actor=user, again=review_again)
        restored.save()  # search text with its products back
        keep.save()
        record_size_class_changes([(keep.pk, size_before, keep.size_class)], actor=user, when=timezone.now())
        refresh_homes([restored.owner_id])
        merge.undone_at, merge.undone_by = timezone.now(), user
        merge.save(update_fields=["undone_at", "undone_by"])
        log_change(
            actor=actor,
            action=ChangeAction.CREATE,
            instance=restored,
            after=snapshot(restored, ("fostering_offices",)),
            message=_("dipulihkan: penggabungan ke %(name)s (#%(id)s) dibatalkan") % {"name": keep.name, "id": keep.pk},
        )
        log_change(
            actor=actor,
            action=ChangeAction.UPDATE,
            instance=keep,
            before={**keep_before, "digabung dari": f"{restored.name} (#{restored.pk})"},
            after={**snapshot(keep, ("fostering_offices",)), "digabung dari": None},
            message=_("penggabungan dengan %(name)s (#%(id)s) dibatalkan") % {"name": restored.name, "id": restored.pk},
        )
    return restored


def _business_values(data: dict) -> dict:
    """The snapshot's fields (by name, foreign keys as ids) as attribute names; derived ones are recomputed."""
    values = {}
    for model_field in Business._meta.concrete_fields:
        if model_field.name in data and not model_field.primary_key:
            values[model_field.attname] = data[model_field.name]
    return values
