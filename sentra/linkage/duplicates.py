"""Duplicates inside the registry itself: found by the same engine, reviewed, and merged with history kept.

Merging is never automatic: it removes a record, so an officer decides every
pair. The merged business's data, products and history move to the one that
stays; a `Merge` keeps a snapshot of what was merged, and both show in the
change log.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.accounts.models import Office
from sentra.accounts.scope import ensure_office_editor
from sentra.audit.models import ChangeAction
from sentra.audit.services import log_change, snapshot
from sentra.imports.models import ImportRow
from sentra.linkage.models import Candidate, Decision, DuplicatePair, Merge, PairDecision, SourceRecord
from sentra.linkage.services import ASSIGNABLE_ROLES, LinkageRefused, engine_refusals, evidence_of, registry_rows
from sentra.registry.models import (
    Business,
    Licence,
    MaturityChange,
    PersonProposal,
    Product,
    SizeClassChange,
    StatusChange,
)
from sentra.registry.owners import refresh_homes
from sentra.registry.services import record_size_class_changes

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
MOVED_RELATIONS = {
    "products": Product,
    "licences": Licence,
    "import_rows": ImportRow,
    "source_records": SourceRecord,
    "person_proposals": PersonProposal,
}
# The merged record's own status, stage and size history is kept in the merge's snapshot, not moved:
# on the kept business it would read as changes the kept business never went through (a status
# change it never had, a move up from a class it never was in).
SNAPSHOT_HISTORY = {
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


def _check(actor, office: Office) -> None:
    ensure_office_editor(actor, office.pk, _("Anda hanya boleh mengelola data UMKM kantor Anda sendiri."))


def find_duplicates(office: Office, *, actor=None) -> int:
    """Pairs of registered businesses in the office's area that may be one UMKM; returns how many await review."""
    from sentra.linkage.engine import Spec, dedupe

    _check(actor, office)
    rows = registry_rows(office, actor)
    if len(rows) < 2:
        return 0
    spec = Spec(id_column="id", roles={role: role for role in ASSIGNABLE_ROLES})
    with engine_refusals(f"the duplicate search of office {office.pk}"):
        result = dedupe(rows, spec, min_probability=settings.LINKAGE_REVIEW_FLOOR)
    with transaction.atomic():
        existing = {(pair.first_id, pair.second_id): pair for pair in DuplicatePair.objects.filter(office=office)}
        for found in result.pairs.itertuples(index=False):
            first, second = sorted((int(found.left_id), int(found.right_id)))
            pair = existing.get((first, second)) or DuplicatePair(office=office, first_id=first, second_id=second)
            pair.probability = float(found.probability)
            pair.evidence = evidence_of(found, result.roles)
            pair.save()
    return DuplicatePair.objects.filter(office=office, decision=Decision.PENDING).count()


def search_key(office: Office) -> str:
    return f"sentra:duplicate-search:{office.pk}"


def queue_duplicate_search(office: Office, *, actor) -> None:
    """Search the office's registry for duplicates on the worker; the page says while it runs."""
    from django.core.cache import cache

    from sentra.linkage.tasks import find_office_duplicates

    _check(actor, office)
    if cache.add(search_key(office), True, timeout=3600):  # one search at a time per office
        transaction.on_commit(lambda: find_office_duplicates.enqueue(office.pk, actor.pk if actor else None))


def duplicate_queue(office: Office):
    return (
        DuplicatePair.objects.filter(office=office, decision__in=[Decision.PENDING, Decision.UNSURE])
        .select_related("first__owner", "first__village", "second__owner", "second__village")
        .order_by("-probability", "id")
    )


def decide_pair(pair: DuplicatePair, *, decision: str, actor, keep: Business | None = None) -> Business | None:
    """`same` merges the pair into `keep` (one of the two); `different` and `unsure` are remembered."""
    _check(actor, pair.office)
    if decision == Decision.SAME:
        if keep is None or keep.pk not in (pair.first_id, pair.second_id):
            raise LinkageRefused(_("Pilih UMKM mana yang dipertahankan."))
        merged = pair.second if keep.pk == pair.first_id else pair.first
        return merge_businesses(keep=keep, merged=merged, actor=actor)
    if decision not in (Decision.DIFFERENT, Decision.UNSURE):
        raise LinkageRefused(_("Keputusan tidak dikenal."))
    pair.decision, pair.decided_by, pair.decided_at = decision, actor, timezone.now()
    pair.save(update_fields=["decision", "decided_by", "decided_at"])
    return None


def _history_of(business: Business, model, field: str) -> list[dict]:
    rows = model.objects.filter(business=business).order_by("changed_at", "id")
    previous = f"previous_{field}"
    return [
        {"changed_at": row.changed_at.isoformat(), "previous": getattr(row, previous), "value": getattr(row, field)}
        for row in rows
    ]


def merge_businesses(*, keep: Business, merged: Business, actor) -> Business:
    """Move everything of `merged` onto `keep`, fill `keep`'s blanks from it, and remove it; history kept."""
    if keep.pk == merged.pk:
        raise LinkageRefused(_("Sebuah UMKM tidak dapat digabung dengan dirinya sendiri."))
    user = actor if actor is not None and actor.is_authenticated else None
    with transaction.atomic():
        keep = Business.objects.select_for_update().get(pk=keep.pk)
        merged = Business.objects.select_for_update().select_related("owner").get(pk=merged.pk)
        before = snapshot(keep, ("fostering_offices",))
        record = {
            "business": snapshot(merged, ("fostering_offices",)),
            "owner": snapshot(merged.owner),
            "products": list(merged.products.values_list("name", flat=True)),
            **{name: _history_of(merged, model, field) for name, (model, field) in SNAPSHOT_HISTORY.items()},
        }
        for name, model in MOVED_RELATIONS.items():
            field = Business._meta.get_field(name).field.name
            model.objects.filter(**{field: merged}).update(**{field: keep})
        for channel in merged.channels.all():
            if not keep.channels.filter(kind=channel.kind, name__iexact=channel.name).exists():
                channel.business = keep
                channel.save(update_fields=["business"])
        Merge.objects.filter(keep=merged).update(keep=keep)  # earlier merges into `merged` follow it
        keep.fostering_offices.add(*merged.fostering_offices.all())
        for model in (Candidate, PairDecision):
            # A candidate or decision about `merged` now speaks of `keep`, unless `keep` already has its own.
            taken = model.objects.filter(business=keep)
            key = "record_id" if model is Candidate else "record_key"
            model.objects.filter(business=merged).exclude(**{f"{key}__in": taken.values(key)}).update(business=keep)
        DuplicatePair.objects.filter(Q(first=merged) | Q(second=merged)).exclude(
            Q(first=keep) | Q(second=keep)
        ).delete()  # pairs with a third business are found again by the next search
        filled = {name: getattr(merged, name) for name in FILLABLE if not getattr(keep, name) and getattr(merged, name)}
        Merge.objects.create(keep=keep, merged_id=merged.pk, merged_name=merged.name, snapshot=record, merged_by=user)
        merged_pk, merged_name = merged.pk, merged.name
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
