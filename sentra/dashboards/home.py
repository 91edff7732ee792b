"""Reads for the home page: the work waiting for an officer, and for an office head or a province
user the headline figures and what changed since last week; and the list of licences expiring.

Every count links to the list where the work is done. Counts that could run into the
thousands stop at `WORK_COUNT_CAP` (the page says "lebih dari"), so the page costs the same
at a million UMKM; records not verified are counted in full, as the Mutu data page and the
list count them. The headline reads the tallies, and last week's figures are today's with
the week's history taken back out (`figures.changes_after`), once a day: they are kept in the
cache until midnight.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import connection
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.accounts.models import Role
from sentra.core.bulk import with_ids
from sentra.dashboards import selectors
from sentra.dashboards.figures import INNOVATING, OPERATING, Dimension, merged
from sentra.registry.history import SIZE_RANKS, local_day_bounds, net_moves
from sentra.registry.licences import EXPIRING_WITHIN_DAYS, expiring_between
from sentra.registry.models import Business, Licence, Person, SizeClassChange, StatusChange
from sentra.registry.quality import QualityCheck, quality_condition

WORK_COUNT_CAP = 1000
WEEK = 7


@dataclass
class WorkItem:
    """One kind of work waiting: how much (up to the cap), and the list where it is done."""

    key: str
    label: str
    count: int
    capped: bool  # more than `count`
    url: str
    help: str = ""


@dataclass
class Headline:
    """A figure today, as it stood a week ago, and the list behind it."""

    label: str
    count: int
    week_ago: int
    url: str

    @property
    def change(self) -> int:
        return self.count - self.week_ago

    @property
    def change_label(self) -> str:
        """`+1.234`, `−3`, or "" when unchanged."""
        if not self.change:
            return ""
        return ("+" if self.change > 0 else "−") + f"{abs(self.change):,}".replace(",", ".")


@dataclass
class Home:
    area: selectors.Area
    work: list[WorkItem] = field(default_factory=list)
    headlines: list[Headline] = field(default_factory=list)
    this_week: list[WorkItem] = field(default_factory=list)  # what happened over the last seven days
    since: dt.date | None = None  # the day "last week" is read at
    rollup: selectors.Rollup | None = None  # a province (or the country) user's regencies
    scope_note: str = ""


def shows_work(user) -> bool:
    """Whether the user does the registry's everyday work (an officer or admin who may change it)."""
    return user.is_authenticated and user.office_id is not None and user.can_edit_registry


def shows_figures(user) -> bool:
    """Office heads (admins, viewers) and province users see the headline; officers their work."""
    if user.is_superuser:
        return True
    office = user.office
    if office is None:
        return False
    return office.is_province_level or user.role != Role.OFFICER


def _capped(queryset: QuerySet) -> tuple[int, bool]:
    found = queryset.order_by().values("pk")[: WORK_COUNT_CAP + 1].count()
    return min(found, WORK_COUNT_CAP), found > WORK_COUNT_CAP


def _url(name: str, args: tuple = (), **params: str) -> str:
    url = reverse(name, args=args)
    return f"{url}?{urlencode(params)}" if params else url


def work_waiting(user) -> list[WorkItem]:
    """Records not verified in 12 months, duplicate pairs, licences expiring, imports to confirm and
    agency lists with rows to review: each a count and the list that does it."""
    from sentra.imports.models import ImportStatus
    from sentra.imports.workflow import batches_for
    from sentra.linkage.duplicates import duplicate_queue
    from sentra.linkage.models import DuplicatePair
    from sentra.linkage.selectors import sources_to_review

    today = timezone.localdate()
    changeable = Business.objects.restrict(user, "change")
    # Exact, as the Mutu data page and the list it opens count it: the number an officer reports.
    unverified = changeable.filter(quality_condition(QualityCheck.UNVERIFIED, today)).order_by().count()
    pairs, pairs_capped = _capped(duplicate_queue(user.office))
    expiring = len(_licence_ids(user, today, today + dt.timedelta(days=EXPIRING_WITHIN_DAYS)))
    imports = batches_for(user).filter(status=ImportStatus.CHECKED).count()
    sources = list(sources_to_review(user)[:2])
    source_count = sources_to_review(user).count() if len(sources) > 1 else len(sources)
    lists_url = (
        reverse("linkage:review", args=(sources[0].pk,))
        if len(sources) == 1
        else _url("linkage:source_list", tinjau="1")
    )
    return [
        WorkItem(
            "unverified",
            _("UMKM belum diverifikasi 12 bulan"),
            unverified,
            False,
            _url("registry:business_list", quality=QualityCheck.UNVERIFIED),
            _("Kunjungi atau hubungi, lalu tandai statusnya terverifikasi."),
        ),
        WorkItem(
            "duplicates",
            _("Dugaan duplikat untuk diputuskan"),
            pairs,
            pairs_capped,
            reverse("linkage:duplicates"),
            # No pair ever, decided or not: most likely nobody has searched yet, so 0 says nothing.
            ""
            if pairs or DuplicatePair.objects.filter(office=user.office).exists()
            else _("Belum pernah dicari: buka halamannya dan pilih “Cari duplikat”."),
        ),
        WorkItem(
            "licences",
            _("Izin kedaluwarsa dalam %(days)s hari") % {"days": EXPIRING_WITHIN_DAYS},
            expiring,
            False,
            reverse("dashboards:licences"),
            _("Ingatkan pemiliknya untuk memperpanjang."),
        ),
        WorkItem(
            "imports",
            _("Impor siap dikonfirmasi"),
            imports,
            False,
            _url("imports:batch_list", status=ImportStatus.CHECKED),
        ),
        WorkItem("sources", _("Daftar instansi dengan baris untuk ditinjau"), source_count, False, lists_url),
    ]


def headlines(user, area: selectors.Area, since: dt.date) -> tuple[list[Headline], selectors.Rollup | None]:
    """Registered, operating and innovating today and at the end of `since`; with the roll-up of
    the area's regencies (provinces) for a province-level area."""
    rollup = None
    keys = [(Dimension.TOTAL, ""), (Dimension.FUNNEL, OPERATING), (Dimension.FUNNEL, INNOVATING)]
    key = _week_ago_key(user, area, since)
    cached = then = cache.get(key)
    if area.child_level in ("regency", "province"):
        by_child = selectors.area_figures(user, area, by=area.child_level)
        rollup = selectors.province_rollup(user, area.code or None, figures=by_child)
        now = merged(by_child.values())
        if then is None:
            then = merged(selectors.area_figures_on(user, area, since, area.child_level, by_child).values())
    else:
        now = selectors.area_figures(user, area).get("", Counter())
        if then is None:
            then = selectors.area_figures_on(user, area, since, current={"": now}).get("", Counter())
    if cached is None:
        cache.set(key, Counter({k: then[k] for k in keys}), _seconds_to_midnight())
    funnel = selectors.funnel(now, area)
    return [
        Headline(figure.label, figure.count, then[key], figure.url) for figure, key in zip(funnel, keys, strict=True)
    ], rollup


def _week_ago_key(user, area: selectors.Area, since: dt.date) -> str:
    """The cache key of an area's headline at the end of `since`, for a user's scope.

    How the registry stood at the end of a past day does not change as it is edited today (every
    change adds a history row after that day), so it is read back once a day, not per request.
    """
    scope = f"office-{user.office_id}" if selectors.partner_scope(user) else "all"
    database = connection.settings_dict["NAME"]
    return f"home-week-ago:{database}:{scope}:{area.code or 'id'}:{since.isoformat()}"


def _seconds_to_midnight() -> int:
    now = timezone.localtime()
    tomorrow = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), tzinfo=now.tzinfo)
    return max(60, int((tomorrow - now).total_seconds()))


def this_week(user, area: selectors.Area, since: dt.date) -> list[WorkItem]:
    """New registrations, status changes and moves up a size class since the end of `since`,
    read from the history rows of those days only."""
    today = timezone.localdate()
    after = local_day_bounds(since, since)[1]
    scope = selectors.history_scope(user, area)  # moves as registry.history.moved_up reads them
    which = scope if isinstance(scope, Q) else Q(business__in=scope.values("pk"))
    # The few rows since the day, in time order: the changed_at index, not the region's businesses.
    statuses = StatusChange.objects.filter(which, changed_at__gte=after).order_by("changed_at", "id")
    rows = list(statuses.values_list("business_id", "previous_status"))
    registered = len({business_id for business_id, previous in rows if not previous})
    changed = len({business_id for business_id, previous in rows if previous})
    sizes = SizeClassChange.objects.filter(which, changed_at__gte=after).exclude(previous_size_class="")
    moves = net_moves(
        sizes.order_by("changed_at", "id").values_list("business_id", "previous_size_class", "size_class"), SIZE_RANKS
    )
    moves_url = selectors.list_url(
        area, moved_up="size", moved_from=(since + dt.timedelta(days=1)).isoformat(), moved_to=today.isoformat()
    )
    return [
        WorkItem(
            "registered",
            _("Pendaftaran baru"),
            registered,
            False,
            selectors.list_url(area, sort="-created_at", registered_after=since.isoformat()),
        ),
        WorkItem(
            "status",
            _("Perubahan status usaha"),
            changed,
            False,
            selectors.list_url(area, status_changed_after=since.isoformat()),
        ),
        WorkItem("moved", _("Naik skala usaha"), len(moves), False, moves_url),
    ]


def home_for(user) -> Home:
    """What the user's home page shows (PermissionDenied for a user of no office)."""
    area = selectors.home_area(user)
    home = Home(area=area, scope_note=selectors.scope_note(user))
    if shows_work(user):
        home.work = work_waiting(user)
    if shows_figures(user):
        home.since = timezone.localdate() - dt.timedelta(days=WEEK)
        home.headlines, home.rollup = headlines(user, area, home.since)
        home.this_week = this_week(user, area, home.since)
    return home


@dataclass
class ExpiringLicence:
    licence: Licence
    owner_kept: bool  # whether the user may see the owner's phone (docs/owners.md)


def _licence_ids(user, start: dt.date, end: dt.date) -> list[int]:
    """The licences expiring in [start, end] of businesses the user may change.

    The licences of the span first, then which of their businesses are in scope: the other way
    round (every business of the scope, then its licences) takes seconds at a million UMKM.
    """
    rows = list(Licence.objects.filter(expiring_between(start, end)).order_by().values_list("pk", "business_id"))
    changeable = Business.objects.restrict(user, "change").order_by()
    kept = set(with_ids(changeable, {business_id for _pk, business_id in rows}).values_list("pk", flat=True))
    return [pk for pk, business_id in rows if business_id in kept]


def licences_expiring(user, *, days: int = EXPIRING_WITHIN_DAYS, expired: bool = False) -> QuerySet[Licence]:
    """The licences of businesses the user may change that expire within `days` from today, soonest
    first; with `expired`, those that expired in the last `days` instead, most recent first."""
    today = timezone.localdate()
    span = dt.timedelta(days=days)
    start, end = (today - span, today - dt.timedelta(days=1)) if expired else (today, today + span)
    licences = with_ids(
        Licence.objects.select_related("business__owner", "business__village"), _licence_ids(user, start, end)
    )
    if expired:
        return licences.order_by("-expires_on", "business__name", "pk")
    return licences.order_by("expires_on", "business__name", "pk")


def with_owners(user, licences: list[Licence]) -> list[ExpiringLicence]:
    """The page's licences, each saying whether its owner's contact may be shown."""
    owners = {licence.business.owner_id for licence in licences}
    kept = set(Person.objects.restrict(user, "view").filter(pk__in=owners).values_list("pk", flat=True))
    return [ExpiringLicence(licence, licence.business.owner_id in kept) for licence in licences]
