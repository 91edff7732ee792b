"""Reads for the linkage pages, each taking the acting user so that scope applies.

Owners shared across regencies (docs/owners.md): a registered business's owner
details (NIK, phone) show only to those who keep the owner's record.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.core.formatting import mask_niks
from sentra.imports.values import RegionMatcher, proper_case
from sentra.linkage import normalize
from sentra.linkage.models import Candidate, Decision, DuplicatePair, Merge, Source, SourceRecord
from sentra.linkage.roles import ASSIGNABLE_ROLES, ROLE_LABELS
from sentra.regions.names import region_key
from sentra.registry.models import Business, Licence, Person
from sentra.registry.search import filter_by_search, fold

PICK_RESULTS = 20
PICK_POOL = 200  # businesses read per search word, before ranking
PICK_LIKENESS = 0.6  # what a loose search finds is offered only when this alike (difflib ratio)
PICK_WEIGHTS = {"name": 0.45, "owner": 0.25, "village": 0.3, "every_word": 0.1}
SAMPLE_VALUES = 3


def sources_to_review(user):
    """The user's agency lists with rows whose candidates await an officer's word, newest first."""
    from django.db.models import Exists, OuterRef

    from sentra.linkage.models import Candidate, Decision

    waiting = Candidate.objects.filter(
        record__source=OuterRef("pk"),
        record__business__isnull=True,
        decision__in=[Decision.PENDING, Decision.UNSURE],
    )
    return sources_for(user).filter(Exists(waiting))


def kept_owner_ids(user, owner_ids) -> set[int]:
    """Of these owners, the ones whose record `user` reads in full (their home office's scope)."""
    return set(Person.objects.restrict(user, "view").filter(pk__in=set(owner_ids)).values_list("pk", flat=True))


@dataclass
class Pick:
    """A registered UMKM offered for a hand link, with what the officer may see of its owner."""

    business: Business
    owner_kept: bool
    in_rows_village: bool = False


def record_for(user, pk: int) -> SourceRecord:
    """One row of a source the user may see (raises SourceRecord.DoesNotExist)."""
    return sources_records(user).select_related("source__office", "source__agency", "business").get(pk=pk)


def businesses_to_link(user, query: str, record: SourceRecord | None = None) -> list[Pick]:
    """Registered UMKM the user may link a row to (those they may change), the likeliest first.

    Every typed word must start a word of the business (the registry's search); when that
    finds few, any one word will do, and the businesses of the row's village join in, so a
    typo in the agency's spelling still finds the business. Ranked by how alike the names are
    (business, and owner against the row's owner), those in the row's village first among equals.
    """
    words = " ".join(query.split())
    if not words:
        return []
    businesses = Business.objects.restrict(user, "change").select_related("owner", "village", "district")
    strict = {b.pk: b for b in filter_by_search(businesses, words).order_by("name", "id")[:PICK_POOL]}
    found = dict(strict)
    villages = _villages_of(record) if record is not None else set()
    if len(strict) < PICK_RESULTS:
        for word in sorted(set(fold(words).split())):
            if len(word) >= 3:
                for business in filter_by_search(businesses, word).order_by("id")[:PICK_POOL]:
                    found.setdefault(business.pk, business)
        if villages:
            for business in businesses.filter(village_id__in=villages).order_by("id")[:PICK_POOL]:
                found.setdefault(business.pk, business)
    owner = normalize.person_name(record.person_name) if record is not None else None
    typed = normalize.business_name(words) or fold(words)
    scored = []
    for business in found.values():
        name, owner_likeness = _likeness(typed, owner, business)
        if business.pk not in strict and max(name, owner_likeness) < PICK_LIKENESS:
            continue
        # The agency's village is mostly right, and names repeat across a regency: it weighs as much as the owner.
        score = (
            PICK_WEIGHTS["name"] * name
            + PICK_WEIGHTS["owner"] * owner_likeness
            + PICK_WEIGHTS["village"] * (business.village_id in villages)
            + PICK_WEIGHTS["every_word"] * (business.pk in strict)
        )
        scored.append((-score, business.name, business.pk, business))
    ranked = [business for *_key, business in sorted(scored)[:PICK_RESULTS]]
    kept = kept_owner_ids(user, [business.owner_id for business in ranked])
    return [
        Pick(business=business, owner_kept=business.owner_id in kept, in_rows_village=business.village_id in villages)
        for business in ranked
    ]


def _likeness(typed: str, owner: str | None, business: Business) -> tuple[float, float]:
    """How alike the typed words (normalised) are to the business's name, and the row's owner (else the typed
    words) to its owner."""
    import difflib

    def ratio(one: str | None, other: str | None) -> float:
        return difflib.SequenceMatcher(None, one, other).ratio() if one and other else 0.0

    owner_name = normalize.person_name(business.owner.full_name)
    return ratio(typed, normalize.business_name(business.name)), ratio(owner or typed, owner_name)


def _villages_of(record: SourceRecord) -> set[str]:
    """The codes of the villages of the office's regency named as the row's area (several may share a name)."""
    regency = record.source.office.regency_id
    if not regency or not normalize.area(record.area):
        return set()
    return {village.code for village in RegionMatcher(regency).villages.get(region_key(record.area), [])}


def with_waiting(records):
    """A list's rows, each `waiting` when it has candidates awaiting an officer's word."""
    from django.db.models import Exists, OuterRef

    pending = Candidate.objects.filter(record=OuterRef("pk"), decision__in=[Decision.PENDING, Decision.UNSURE])
    return records.annotate(waiting=Exists(pending))


def note_same_business_rows(source: Source, records) -> None:
    """Give each row `same_business_rows`: the other rows of its list linked to its business (the agency
    listed it twice, or one link is wrong)."""
    rows_of: dict[int, list[int]] = {}
    linked = {record.business_id for record in records if record.business_id}
    for business_id, row in source.records.filter(business_id__in=linked).values_list("business_id", "row_number"):
        rows_of.setdefault(business_id, []).append(row)
    for record in records:
        record.same_business_rows = [row for row in rows_of.get(record.business_id, []) if row != record.row_number]


def suggested_query(record: SourceRecord) -> str:
    """What to search for first: the row's business name, else its owner's name, without legal forms or titles.

    Spelled as the row has it: the registry's search matches word prefixes of what was typed there.
    """
    skip = normalize.LEGAL_FORMS | normalize.HONORIFICS
    for text in (record.business_name, record.person_name):
        words = [word for word in fold(text).split() if len(word) > 1 and word not in skip]
        if words:
            return " ".join(words)
    return ""


def column_choices(source: Source) -> list[dict]:
    """Each column of the list, the role it plays now, and a few of its values, for the roles form."""
    role_of = {label: role for role, label in source.roles.items()}
    samples: dict[str, list[str]] = {}
    for data in source.records.values_list("data", flat=True)[:50]:
        for label, value in data.items():
            values = samples.setdefault(label, [])
            value = mask_niks(value)  # a page shows a NIK in full only through a logged reveal
            if value and value not in values and len(values) < SAMPLE_VALUES:
                values.append(value)
    return [
        {"index": index, "label": label, "role": role_of.get(label, ""), "samples": samples.get(label, [])}
        for index, label in enumerate(source.column_labels())
    ]


def shown_row(record: SourceRecord) -> dict[str, object]:
    """A row of an agency's list as a page shows it: every cell, NIKs masked."""
    return mask_niks(record.data)


def role_choices() -> list[tuple[str, str]]:
    return [(role, str(ROLE_LABELS[role])) for role in ASSIGNABLE_ROLES]


def _typed(value: str) -> str:
    return "" if normalize.is_placeholder(value) else " ".join(value.split())


def new_business_initial(user, record_id: object) -> dict[str, dict] | None:
    """The registry's add form filled from an agency's row ("register it as a new UMKM"), or None.

    `{"owner": …, "business": …}` as the forms' initial values: what the row says, normalised
    (NIK, phone, birth date), its village found by name in the office's regency. Only a row the
    user may see and that is not linked yet.
    """
    record = unlinked_record(user, record_id)
    if record is None:
        return None
    born = normalize.birth_date(record.birth_date)
    from_nik = normalize.nik_birth_date_and_sex(record.nik)  # a NIK says both
    owner = {
        "full_name": proper_case(_typed(record.person_name)),  # `SUKARNO` → `Sukarno`, as the registry writes names
        "nik": normalize.nik(record.nik) or "",
        "phone": normalize.phone(record.phone) or "",  # what is not a phone is left for the officer to type
        "birth_date": dt.date.fromisoformat(born) if born else from_nik[0] if from_nik else None,
        "sex": from_nik[1] if from_nik else "",
    }
    source = record.source
    offices = [office for office in (source.office, source.agency) if office is not None]
    name = _typed(record.business_name) or _typed(record.person_name)
    business = {"name": proper_case(name), "address": proper_case(_typed(record.address))}
    business["fostering_offices"] = offices
    if normalize.area(record.area) and source.office.regency_id:
        with contextlib.suppress(ValidationError):  # not one village of the regency by that name: the officer picks
            business["village"] = RegionMatcher(source.office.regency_id).village(record.area).code
    return {"owner": {k: v for k, v in owner.items() if v}, "business": {k: v for k, v in business.items() if v}}


@dataclass
class Card:
    """One business of a duplicate pair, with what an officer compares before deciding."""

    business: Business
    owner_kept: bool
    products: list[str]
    licences: list[Licence]
    today: dt.date


def duplicate_cards(user, pair: DuplicatePair) -> list[Card]:
    """Both businesses of a pair, with status, KBLI, products, licences, size and who registered them."""
    businesses = (
        Business.objects.restrict(user, "view")
        .filter(pk__in=[pair.first_id, pair.second_id])
        .select_related("owner", "village", "district", "kbli", "created_by")
        .prefetch_related("products", "licences", "fostering_offices")
        .order_by("pk")
    )
    businesses = list(businesses)
    kept = kept_owner_ids(user, [business.owner_id for business in businesses])
    today = timezone.localdate()
    return [
        Card(
            business=business,
            owner_kept=business.owner_id in kept,
            products=[product.name for product in business.products.all()],
            licences=list(business.licences.all()),
            today=today,
        )
        for business in businesses
    ]


def duplicate_list(office, *, page: str | None, per_page: int = 50, only: list[int] | None = None):
    """The office's pairs awaiting a decision (or those of `only`), as a page, each with its percent and notes."""
    from django.core.paginator import Paginator

    from sentra.linkage.duplicates import duplicate_queue, found_by_label, held_labels

    queue = duplicate_queue(office)
    if only is not None:
        queue = queue.filter(pk__in=only)
    paginated = Paginator(queue, per_page).get_page(page)
    for pair in paginated:
        pair.percent = shown_percent(pair.probability)
        pair.held_labels = held_labels(pair) + [label for label in [found_by_label(pair)] if label]
    return paginated


def kept_instead_of(user, business_id: int) -> int | None:
    """The business that absorbed `business_id` in a merge not undone, when the user may see it.

    None while `business_id` itself exists (or for no such merge): its address then shows it.
    """
    if Business.all_objects.filter(pk=business_id).exists():
        return None
    merge = (
        Merge.objects.filter(
            merged_id=business_id, undone_at__isnull=True, keep__in=Business.objects.restrict(user, "view")
        )
        .order_by("-merged_at")
        .first()
    )
    return merge.keep_id if merge else None


def merges_into(user, business: Business) -> list[Merge]:
    """The merges into a business the user sees, newest first (for its history tab)."""
    from sentra.linkage.merges import merges_visible_to

    return list(merges_visible_to(user).filter(keep=business).order_by("-merged_at", "-id"))


# -- Agency lists: who sees which, their rows, columns, counts and review queue ---------------------


def sources_for(user):
    """The sources a user may see: their own office's (all for a superuser)."""
    return Source.objects.restrict(user, "view").select_related("office", "agency", "created_by")


def sources_records(user):
    """The rows of the sources a user may see."""
    return SourceRecord.objects.filter(source__in=sources_for(user))


def unlinked_record(user, record_id: object) -> SourceRecord | None:
    """A row not linked yet, of a source the user may see, by an id from a page's address (else None)."""
    try:
        return (
            sources_records(user)
            .select_related("source__office", "source__agency")
            .get(pk=int(str(record_id)), business__isnull=True)
        )
    except (ValueError, SourceRecord.DoesNotExist):
        return None


def source_counts(source: Source) -> dict[str, int]:
    records = source.records.all()
    linked = records.filter(business__isnull=False).count()
    waiting = review_queue(source).values("record_id").distinct().count()
    return {"records": source.record_count, "linked": linked, "waiting": waiting}


PERSONAL_ROLES = ("identifier", "phone", "birth_date")
EVIDENCE_STRENGTH = (  # Bayes factor from → how the evidence reads
    (100.0, gettext_lazy("sangat mendukung")),
    (2.0, gettext_lazy("mendukung")),
    (0.5, gettext_lazy("netral")),
    (0.0, gettext_lazy("melawan")),
)


def evidence_rows(candidate, *, personal: bool = True) -> list[dict]:
    """A candidate's (or duplicate pair's) evidence per compared role, in words an officer reads.

    Values that differ (a comparison's last level) always read "melawan": how often an owner's
    other businesses differ in them is no reason to call a difference neutral. With
    `personal=False` (an owner kept by another regency, docs/owners.md) the owner's NIK, phone
    and birth date are not said to agree or differ.
    """
    rows = []
    for role, found in candidate.evidence.items():
        if not isinstance(found, dict):
            continue  # "held": the reasons a pair is held for review
        level, factor = found.get("level"), found.get("bayes_factor")
        if not personal and role in PERSONAL_ROLES:
            strength, factor = _("tidak ditampilkan: data pemilik dikelola kantor lain"), None
        elif level == -1 or factor is None:
            strength = _("tidak ada data")
        elif level == 0:
            strength = str(EVIDENCE_STRENGTH[-1][1])
        elif role == "business_name" and "business_name" in candidate.evidence.get("held", []):
            strength = _("hanya satu kata sama")  # why the pair is held, whatever the model made of it
        else:
            strength = next(str(label) for floor, label in EVIDENCE_STRENGTH if factor >= floor)
        rows.append({"role": role, "label": ROLE_LABELS.get(role, role), "strength": strength, "factor": factor})
    return rows


def shown_percent(probability: float) -> int:
    """A probability as the percent a page shows: never 100, the model is never certain of a pair."""
    return min(99, round(probability * 100))


def review_counts(queue) -> dict[str, int]:
    """How many rows of a review queue wait for a decision, and in how many pairs (a row may have several)."""
    return {"rows": queue.order_by().values("record").distinct().count(), "pairs": queue.count()}


def review_queue(source: Source):
    """Pairs awaiting a decision, most probable first, each with its record and business."""
    return (
        Candidate.objects.filter(record__source=source, decision__in=[Decision.PENDING, Decision.UNSURE])
        .filter(record__business__isnull=True)
        .select_related("record", "business__owner", "business__village")
        .order_by("-probability", "id")
    )
