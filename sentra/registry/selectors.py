"""Reads of the registry. Every function takes the acting user so that scope applies."""

import difflib
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from sentra.accounts.models import Office, OfficeKind
from sentra.audit.models import ObjectChange
from sentra.core.formatting import format_rupiah
from sentra.core.pagination import KeysetPage, capped_count, keyset_page
from sentra.core.scope import Action
from sentra.linkage.models import SourceRecord
from sentra.registry.changes import readable_history
from sentra.registry.filters import BusinessFilterSet, shows_archived_filter
from sentra.registry.models import Business, Person, PersonProposal, Product, ProposalStatus
from sentra.registry.owners import keeps, same_person_name
from sentra.registry.quality import QualityCheck, quality_condition
from sentra.registry.sizing import SizeClass, size_class_for

SORTS: dict[str, tuple[str, bool]] = {
    "name": ("name", False),
    "-name": ("name", True),
    "-updated_at": ("updated_at", True),
    "-created_at": ("created_at", True),
}
DEFAULT_SORT = "name"


def businesses_visible_to(user, action: Action = "view") -> QuerySet[Business]:
    return Business.objects.restrict(user, action)


def businesses_changeable_by(actor) -> QuerySet[Business]:
    """The businesses a write done for `actor` may change: all of them for the system's own work (None)."""
    return Business.objects.all() if actor is None else Business.objects.restrict(actor, "change")


def persons_visible_to(user, action: Action = "view") -> QuerySet[Person]:
    return Person.objects.restrict(user, action)


def filtered_businesses(user, params) -> tuple[BusinessFilterSet, QuerySet[Business]]:
    """The filter form bound to `params` and the visible businesses it selects."""
    if params and params.get("archived") == "1" and shows_archived_filter(user):
        base = Business.with_archived.restrict(user, "view").filter(archived_at__isnull=False)
    else:
        base = businesses_visible_to(user)
    filterset = BusinessFilterSet(params or None, queryset=base, user=user)
    if filterset.is_bound and not filterset.is_valid():
        return filterset, filterset.queryset.none()
    return filterset, filterset.qs


def list_sort(params) -> str:
    """The list's sort named in `params`, or the default."""
    sort = params.get("sort", DEFAULT_SORT)
    return sort if sort in SORTS else DEFAULT_SORT


def list_ordering(params) -> tuple[str, str]:
    """The ORDER BY of the list's sort, for what shows the list in its order (the export)."""
    field, descending = SORTS[list_sort(params)]
    return (f"-{field}", "-pk") if descending else (field, "pk")


@dataclass(frozen=True)
class ListCount:
    """The number above the list: exact, or `capped` when counting stopped at REGISTRY_COUNT_CAP."""

    count: int
    capped: bool = False


# The list's address asks for an exact count with this (the officer's "hitung semua").
COUNT_ALL_PARAM, COUNT_ALL = "hitung", "semua"


def business_list_page(
    user, params, *, count: bool = False
) -> tuple[BusinessFilterSet, KeysetPage, ListCount | None, str]:
    """One page of the registry list: (filters, page, how many match when `count`, sort).

    The number comes from the tallies when they cover the chosen filters; otherwise the first page
    counts its matches in its own query (`keyset_page(count_up_to=…)`) and a later page counts apart.
    An officer who needs the exact number of a search asks for it (`hitung=semua`): counted in full.
    """
    filterset, queryset = filtered_businesses(user, params)
    sort = list_sort(params)
    field, descending = SORTS[sort]
    exact = exact_count(user, filterset) if count else None
    joined = ("owner", "village", "district", "regency", "kbli")
    page = keyset_page(
        queryset.select_related(*joined),
        field=field,
        descending=descending,
        after=params.get("after", ""),
        before=params.get("before", ""),
        size=settings.REGISTRY_PAGE_SIZE,
        count_up_to=settings.REGISTRY_COUNT_CAP if count and exact is None else None,
        rows_from=Business.all_objects.select_related(*joined),  # the ids are chosen, in scope
    )
    total = None
    if exact is not None:
        total = exact
    elif count and (_counted_in_full(filterset) or params.get(COUNT_ALL_PARAM) == COUNT_ALL):
        # One data-quality check, as the Mutu data page and the home page count it: the same number.
        total = ListCount(queryset.order_by().count())
    elif page.counted is not None:
        total = ListCount(page.counted[0], capped=page.counted[1])
    elif count:
        total = ListCount(*count_up_to_cap(queryset))
    return filterset, page, total, sort


def _chosen_filters(filterset: BusinessFilterSet) -> dict:
    """The filters given a value, of a filterset unbound or valid."""
    cleaned = filterset.form.cleaned_data if filterset.is_bound else {}
    return {key: value for key, value in cleaned.items() if value not in (None, "", [])}


def _counted_in_full(filterset: BusinessFilterSet) -> bool:
    """A list narrowed by one data-quality check (and regions) only: worth an exact count."""
    if filterset.is_bound and not filterset.is_valid():
        return False
    chosen = set(_chosen_filters(filterset))
    return "quality" in chosen and chosen <= {"quality", "province", "regency", "district"}


def count_up_to_cap(queryset: QuerySet[Business]) -> tuple[int, bool]:
    """How many businesses match, counting no further than REGISTRY_COUNT_CAP."""
    return capped_count(queryset, settings.REGISTRY_COUNT_CAP)


# An exact counter takes the acting user and the list's valid filters (the form's cleaned data, empty
# values left out) and returns the exact number of businesses, or None when it cannot know it. The
# dashboards register theirs, which reads the tallies (the registry never imports the dashboards).
ExactCounter = Callable[[object, dict], int | None]
_exact_counters: list[ExactCounter] = []


def register_exact_counter(counter: ExactCounter) -> None:
    if counter not in _exact_counters:
        _exact_counters.append(counter)


def exact_count(user, filterset: BusinessFilterSet) -> ListCount | None:
    """The list's number when it is known without counting: 0 for invalid filters, else what a
    registered counter reads from the tallies for the chosen filters (None when none covers them)."""
    if filterset.is_bound and not filterset.is_valid():
        return ListCount(0)
    chosen = _chosen_filters(filterset)
    for counter in _exact_counters:
        exact = counter(user, chosen)
        if exact is not None:
            return ListCount(exact)
    return None


def business_detail(user, pk: int) -> Business:
    """One visible business with what its page shows, archived or not; raises Business.DoesNotExist."""
    return (
        Business.with_archived.restrict(user, "view")
        .select_related(
            "owner__village",
            "village",
            "district",
            "regency",
            "province",
            "kbli",
            "status_verified_by",
            "archived_by",
        )
        .prefetch_related(
            "products",
            "licences",
            "channels",
            Prefetch("fostering_offices"),
            Prefetch("source_records", queryset=SourceRecord.objects.select_related("source__agency")),
        )
        .get(pk=pk)
    )


def business_history(user, business: Business) -> list[ObjectChange]:
    """Changes to the business, the records shown under it, and its owner, newest first.

    An owner's changes show on every business of theirs, so each office sees what
    happened to a person it shares; the values of the owner's private fields only
    where the user's office keeps the record.
    """
    business_type = ContentType.objects.get_for_model(Business)
    person_type = ContentType.objects.get_for_model(Person)
    changes = list(
        ObjectChange.objects.filter(
            Q(content_type=business_type, object_id=business.pk)
            | Q(related_content_type=business_type, related_object_id=business.pk)
            | Q(content_type=person_type, object_id=business.owner_id)
            | Q(related_content_type=person_type, related_object_id=business.owner_id)
        )
        .select_related("content_type", "actor")
        .order_by("-time", "-id")[:200]
    )
    if not keeps(user, business.owner):
        for change in changes:
            if change.content_type_id == person_type.pk:
                change.hide_fields(Person.PRIVATE_FIELDS)
    return readable_history(changes)


@dataclass
class PossibleDuplicates:
    """What the registry already holds like a business being registered (the add form's check).

    `same`: in the same village, the same business name as the linkage engine normalises it, a
    name nearly so, or the same owner's name with a business word in common; or, under the same
    owner's NIK, the same name. `owners`: the owner's other businesses (same NIK, or the same
    owner's name in the village). Only what the user may see is listed; `hidden` counts the rest.
    """

    same: list[Business]
    owners: list[Business]
    hidden: int = 0
    hidden_same: int = 0  # of `hidden`, those like `same`

    @property
    def any(self) -> bool:
        return bool(self.same or self.owners or self.hidden)

    @property
    def blocking(self) -> bool:
        """Saving needs the officer to say it is a new UMKM."""
        return bool(self.same) or self.hidden_same > 0


# Of the longer name's words, the share the other must have (spelt alike) to be "nearly the same".
NEAR_NAME_SHARE = 0.75


def _name_key(name: str) -> frozenset[str]:
    from sentra.linkage.normalize import business_name_words

    return frozenset(business_name_words(name))


def _alike(word: str, other: str) -> bool:
    """One word, or a slip of it (`singkong`/`singkon`); short words must be equal."""
    if word == other:
        return True
    return min(len(word), len(other)) >= 4 and difflib.SequenceMatcher(None, word, other).ratio() >= 0.85


def _shared(words: Iterable[str], other: frozenset[str]) -> int:
    return sum(1 for word in words if any(_alike(word, theirs) for theirs in other))


def near_names(key: frozenset[str], other: frozenset[str]) -> bool:
    """`Keripik Singkong Bu Sri` and `Kripik Singkong Sri Rejeki`; not `Terasi Bu Sri` and `Terasi Udang Rebon`."""
    if not key or not other:
        return False
    shared = _shared(key, other)
    return shared >= 2 and shared >= NEAR_NAME_SHARE * max(len(key), len(other))


def _likeness(key: frozenset[str], owner: str, other_name: str, other_owner: str) -> bool | None:
    """True: maybe this very business; False: the owner's other business; None: unlike."""
    from sentra.linkage.normalize import person_name_words

    other = _name_key(other_name)
    if key and (other == key or near_names(key, other)):
        return True
    if not owner or not same_person_name(owner, other_owner):
        return None
    # The owner's name in the business name ("Sate Pak Arif") says nothing about the business.
    owner_words = set(person_name_words(owner)) | set(person_name_words(other_owner))
    own, theirs = key - owner_words, frozenset(other - owner_words)
    return _shared(own, theirs) > 0 or not (own or theirs)


def possible_duplicates(
    user,
    *,
    nik: str = "",
    name: str = "",
    village_code: str = "",
    owner_name: str = "",
    exclude_pk: int | None = None,
) -> PossibleDuplicates:
    """Registered businesses like the one typed: by NIK, and by name and owner's name in the village."""
    key = _name_key(name) if name else frozenset()
    owner_name = owner_name.strip()
    candidates: dict[int, bool] = {}  # id → maybe the same business (else: another business of the owner)
    if (key or owner_name) and village_code:
        rows = Business.objects.filter(village_id=village_code).values_list("pk", "name", "owner__full_name")
        for pk, other, other_owner in rows.iterator():
            like = _likeness(key, owner_name, other, other_owner)
            if like is not None:
                candidates[pk] = like
    if nik:
        for pk, other in Business.objects.filter(owner__nik=nik).values_list("pk", "name"):
            candidates[pk] = candidates.get(pk, False) or (bool(key) and _name_key(other) == key)
    candidates.pop(exclude_pk, None)
    if not candidates:
        return PossibleDuplicates(same=[], owners=[])
    visible = {
        business.pk: business
        for business in businesses_visible_to(user)
        .filter(pk__in=list(candidates))
        .select_related("owner", "village", "district")
        .order_by("name", "pk")
    }
    hidden = [pk for pk in candidates if pk not in visible]
    return PossibleDuplicates(
        same=[b for pk, b in visible.items() if candidates[pk]],
        owners=[b for pk, b in visible.items() if not candidates[pk]],
        hidden=len(hidden),
        hidden_same=sum(1 for pk in hidden if candidates[pk]),
    )


@dataclass(frozen=True)
class QualityFlag:
    """A data quality check the business fails, and where on its pages the officer clears it."""

    check: str
    label: str
    remedy: str  # "edit" (a field of the form, `anchor`), "verify" (this page), "duplicates" (the review)
    anchor: str = ""
    detail: str = ""  # what is wrong, when the label alone does not say it


QUALITY_REMEDIES = {
    QualityCheck.NO_NIK: ("edit", "id_owner-nik"),
    QualityCheck.NO_KBLI: ("edit", "id_business-kbli"),
    QualityCheck.NO_OWNER_VILLAGE: ("edit", "id_owner-village"),
    QualityCheck.UNVERIFIED: ("verify", "verifikasi"),
    QualityCheck.DUPLICATE: ("duplicates", ""),
    QualityCheck.SIZE_CONFLICT: ("edit", "id_business-capital"),
}


def quality_flags(business: Business) -> list[QualityFlag]:
    """The data quality checks (`registry.quality`) the business fails, in one query, as the list filters them."""
    from django.db.models import Count
    from django.utils import timezone

    today = timezone.localdate()
    counts = Business.with_archived.filter(pk=business.pk).aggregate(
        **{check.value: Count("pk", filter=quality_condition(check, today)) for check in QualityCheck}
    )
    return [
        QualityFlag(check.value, str(check.label), *QUALITY_REMEDIES[check], detail=_flag_detail(check, business))
        for check in QualityCheck
        if counts[check]
    ]


def _flag_detail(check: QualityCheck, business: Business) -> str:
    """The size conflict in figures: which class the capital and the turnover each point to."""
    if check != QualityCheck.SIZE_CONFLICT:
        return ""
    by_capital = SizeClass(size_class_for(business.capital, None)[0]).label
    by_turnover = SizeClass(size_class_for(None, business.annual_turnover)[0]).label
    return _(
        "modal %(capital)s berarti %(by_capital)s, omzet %(turnover)s per tahun berarti %(by_turnover)s; "
        "skala dihitung dari modal (PP 7/2021)."
    ) % {
        "capital": format_rupiah(business.capital),
        "by_capital": str(by_capital).lower(),
        "turnover": format_rupiah(business.annual_turnover),
        "by_turnover": str(by_turnover).lower(),
    }


def business_permissions(user, business: Business) -> dict:
    """What `user` may do on the business's page: change it, archive or restore it, stop fostering it."""
    archived = business.archived_at is not None
    may_archive = Business.with_archived.restrict(user, "archive").filter(pk=business.pk).exists()
    fosters = (
        not archived
        and user.office_id is not None
        and user.can_edit_registry
        and any(office.pk == user.office_id for office in business.fostering_offices.all())
    )
    return {
        "can_change": not archived and businesses_visible_to(user, "change").filter(pk=business.pk).exists(),
        "can_archive": not archived and may_archive,
        "can_restore": archived and may_archive and user.is_office_admin,
        "can_stop_fostering": fosters,
    }


def owner_panel(user, business: Business) -> dict:
    """What the owner card of a business page may show `user`, by the owner rule (docs/owners.md)."""
    owner = business.owner
    kept = keeps(user, owner)
    pending = PersonProposal.objects.filter(person=owner, status=ProposalStatus.PENDING).select_related(
        "office", "proposed_by"
    )
    keeper = None
    if not kept and owner.home_regency_id:
        keeper = (
            Office.objects.filter(regency_id=owner.home_regency_id, kind=OfficeKind.KOPERASI_UKM).first()
            or owner.home_regency
        )
    return {
        "owner_kept": kept,
        "owner_keeper": keeper,
        "proposals_to_decide": list(pending) if keeps(user, owner, "change") else [],
        "own_proposals": [] if kept else [p for p in pending if p.office_id and p.office_id == user.office_id],
    }


def proposals_to_decide(user) -> QuerySet[PersonProposal]:
    """Pending proposals about owners `user` keeps and may change."""
    return PersonProposal.objects.restrict(user, "change").filter(status=ProposalStatus.PENDING)


def product_names_by_business(business_ids: Iterable[int], chunk: int = 2000) -> dict[int, list[str]]:
    """Each business's product names (for its search text), a few queries whatever the number of ids."""
    ids = list(business_ids)
    names: dict[int, list[str]] = {}
    for start in range(0, len(ids), chunk):
        rows = Product.objects.filter(business_id__in=ids[start : start + chunk]).values_list("business_id", "name")
        for business_id, name in rows:
            names.setdefault(business_id, []).append(name)
    return names


@dataclass(frozen=True)
class Bounds:
    """A box of the map, in degrees: what the officer's screen shows."""

    south: float
    west: float
    north: float
    east: float

    def cells(self, across: int) -> list["Bounds"]:
        """The box cut into `across` × `across` equal boxes."""
        height = (self.north - self.south) / across
        width = (self.east - self.west) / across
        return [
            Bounds(
                self.south + row * height,
                self.west + column * width,
                self.south + (row + 1) * height,
                self.west + (column + 1) * width,
            )
            for row in range(across)
            for column in range(across)
        ]


@dataclass(frozen=True)
class MapPoint:
    id: int
    latitude: float
    longitude: float
    name: str


@dataclass
class MapPoints:
    """The located businesses a map shows; `truncated` when the area holds more than `limit`."""

    points: list[MapPoint]
    truncated: bool
    limit: int


# A box holding more points than the map carries is cut into this many cells a side, each giving its
# share, so that the sample covers the whole box instead of one band of it (an index's order).
MAP_SAMPLE_CELLS = 4


def _points(queryset: QuerySet[Business], limit: int) -> list[MapPoint]:
    rows = queryset.values_list("pk", "latitude", "longitude", "name")[:limit]
    return [MapPoint(pk, float(latitude), float(longitude), name) for pk, latitude, longitude, name in rows]


def _within(queryset: QuerySet[Business], bounds: Bounds) -> QuerySet[Business]:
    return queryset.filter(
        latitude__gte=bounds.south, latitude__lte=bounds.north, longitude__gte=bounds.west, longitude__lte=bounds.east
    )


def map_points(
    user, params, bounds: Bounds | None = None, limit: int | None = None
) -> tuple[BusinessFilterSet, MapPoints]:
    """The visible businesses with coordinates that the list's filters in `params` select, inside `bounds`.

    At most `limit` (MAP_POINT_LIMIT) points. When there are more: without bounds, the first by name (a
    sample spread over the whole area, as names know nothing of place, read through the list's own
    index); within bounds, an even share from each cell of the box.
    """
    limit = limit or settings.MAP_POINT_LIMIT
    filterset, queryset = filtered_businesses(user, params)
    located = queryset.filter(latitude__isnull=False, longitude__isnull=False)
    if bounds is not None:
        located = _within(located, bounds)
    points = _points(located, limit + 1)
    if len(points) <= limit:
        return filterset, MapPoints(points, truncated=False, limit=limit)
    if bounds is None:
        return filterset, MapPoints(_points(located.order_by("name", "pk"), limit), truncated=True, limit=limit)
    across = max(1, min(MAP_SAMPLE_CELLS, math.isqrt(limit)))
    share = limit // across**2
    sample: dict[int, MapPoint] = {}  # a point on a cell's edge is in two cells
    for cell in bounds.cells(across):
        sample.update((point.id, point) for point in _points(_within(located, cell), share))
    return filterset, MapPoints(list(sample.values()), truncated=True, limit=limit)
