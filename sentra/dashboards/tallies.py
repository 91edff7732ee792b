"""Reading the tallies, recounting the villages a write has made stale first.

A region's figures are the stored district tallies of its up-to-date districts,
plus, for a district with a stale village, its other villages' stored tallies
and a fresh count of the stale ones. The fresh counts, and the district sums
they change, are stored when no one else is storing at the moment; when the
database is busy they are still used, only not kept, so an answer is never
held up or wrong.

Licences count while valid, so the first read of each day also marks the villages
whose licences lapsed since the day before (`mark_lapsed_licences`).

Stored tallies keep the definitions they were counted with: a change to what
`figures.count_figures` counts needs a migration that marks every village stale
(`mark_all_stale`).
"""

import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import OperationalError, connection, transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from sentra.core.bulk import with_ids
from sentra.dashboards.figures import Figures, count_figures
from sentra.dashboards.models import LicenceCheck, StaleVillage, Tally, VillageTally
from sentra.regions.models import Village
from sentra.registry.models import Business, Licence

STORE_LOCK = zlib.crc32(b"sentra.dashboards.tallies")
SQLITE_STORE_WAIT_MS = 200  # how long a read waits for SQLite's write lock before answering without storing
RECOUNT_VILLAGES = 500  # villages recounted (and stored) in one go: bounds each statement's parameters


class _Busy(Exception):
    """Someone else is storing tallies: answer without storing."""


def region_prefix(code: str) -> str:
    """The prefix shared by the codes of every village inside the region `code` ("" for the country)."""
    return f"{code}." if code else ""


def _stale_in(prefix: str) -> list[tuple[int, str]]:
    mark_lapsed_licences()
    stale = StaleVillage.objects.all()
    if prefix:
        stale = stale.filter(village_code__startswith=prefix)
    return list(stale.values_list("id", "village_code"))


def _region_rows(prefix: str) -> QuerySet[Tally]:
    rows = Tally.objects.all()
    if len(prefix) == 3:
        return rows.filter(province_code=prefix[:2])
    if len(prefix) == 6:
        return rows.filter(regency_code=prefix[:5])
    if prefix:
        return rows.filter(district_code=prefix[:8])
    return rows


def _stored(prefix: str, skip: set[str]) -> Iterable[tuple[str, str, str, int]]:
    """Stored district tallies inside the region, but those of the districts in `skip`."""
    rows = _region_rows(prefix).values_list("district_code", "dimension", "value", "count")
    return (row for row in rows if row[0] not in skip)


def _district_figures(stale_villages: set[str]) -> tuple[dict[str, Figures], dict[str, Figures]]:
    """(fresh counts per stale village, figures per district holding one): the district's other
    villages as stored, plus the fresh counts."""
    fresh = count_figures(Business.objects.filter(village_id__in=stale_villages), by="village_id")
    districts = {village[:8] for village in stale_villages}
    figures: dict[str, Figures] = {district: Counter() for district in districts}
    kept = VillageTally.objects.filter(village_code__in=_villages_of(districts)).exclude(
        village_code__in=stale_villages
    )
    for village, dimension, value, count in kept.values_list("village_code", "dimension", "value", "count"):
        figures[village[:8]][(dimension, value)] += count
    for village, counts in fresh.items():
        figures[village[:8]].update(counts)
    return fresh, figures


def _villages_of(districts: set[str]) -> list[str]:
    return list(Village.objects.filter(district_id__in=districts).values_list("code", flat=True))


def _write(fresh: dict[str, Figures], stale_villages: set[str], figures: dict[str, Figures], marks: list[int]):
    VillageTally.objects.filter(village_code__in=stale_villages).delete()
    VillageTally.objects.bulk_create(
        [
            VillageTally(village_code=village, dimension=dimension, value=value, count=count)
            for village, counts in fresh.items()
            for (dimension, value), count in counts.items()
            if count
        ],
        batch_size=5000,
    )
    Tally.objects.filter(district_code__in=list(figures)).delete()
    Tally.objects.bulk_create(
        [
            Tally(
                district_code=district,
                regency_code=district[:5],
                province_code=district[:2],
                dimension=dimension,
                value=value,
                count=count,
            )
            for district, counts in figures.items()
            for (dimension, value), count in counts.items()
            if count
        ],
        batch_size=5000,
    )
    StaleVillage.objects.filter(id__in=marks).delete()


def _recount(stale: list[tuple[int, str]]) -> dict[str, Figures]:
    """Figures of every district holding a stale village, a few districts at a time."""
    by_district: dict[str, set[str]] = defaultdict(set)
    for _id, village in stale:
        by_district[village[:8]].add(village)
    figures: dict[str, Figures] = {}
    chunk: set[str] = set()
    for district in sorted(by_district):
        chunk |= by_district[district]
        if len(chunk) >= RECOUNT_VILLAGES:
            figures.update(_recount_villages(chunk))
            chunk = set()
    if chunk:
        figures.update(_recount_villages(chunk))
    return figures


def _recount_villages(villages: set[str]) -> dict[str, Figures]:
    """Their districts' figures, stored when the database lets us at once."""
    try:
        with _store_lock(), transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [STORE_LOCK])
                    if not cursor.fetchone()[0]:
                        raise _Busy
            # Read the marks again under the lock: only marks seen before counting are deleted,
            # so a write that lands during the count leaves its mark for the next read.
            marks = list(StaleVillage.objects.filter(village_code__in=villages).values_list("id", "village_code"))
            villages = villages | {code for _id, code in marks}
            fresh, figures = _district_figures(villages)
            _write(fresh, villages, figures, [mark for mark, _code in marks])
            return figures
    except (_Busy, OperationalError):  # someone else storing, or SQLite's write lock taken
        return _district_figures(villages)[1]


class _store_lock:
    """SQLite: wait only briefly for the write lock (IMMEDIATE transactions take it at once)."""

    def __enter__(self):
        self.previous = None
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA busy_timeout")
                self.previous = cursor.fetchone()[0]
                cursor.execute(f"PRAGMA busy_timeout = {SQLITE_STORE_WAIT_MS}")
        return self

    def __exit__(self, *exc):
        if self.previous is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA busy_timeout = {int(self.previous)}")
        return False


def tallied_figures(region_code: str = "", by: str | None = None) -> dict[str, Figures]:
    """The figures of every business in region `region_code` (a province, regency or district
    code; "" for the whole country), grouped by "district", "regency" or "province" code,
    or not at all (None, under "").
    """
    prefix = region_prefix(region_code)
    stale = _stale_in(prefix)
    fresh = _recount(stale) if stale else {}
    width = {"district": 8, "regency": 5, "province": 2, None: 0}[by]
    groups: dict[str, Figures] = defaultdict(Counter)
    for district, dimension, value, count in _stored(prefix, set(fresh)):
        groups[district[:width]][(dimension, value)] += count
    for district, figures in fresh.items():
        groups[district[:width]].update(figures)
    return dict(groups)


def tallied_count(region_code: str, dimension: str, value: str) -> int:
    """One figure of a region (a province, regency or district), reading only that figure's rows.

    Stale villages are recounted first, as for `tallied_figures`, so the count is exact.
    """
    prefix = region_prefix(region_code)
    stale = _stale_in(prefix)
    fresh = _recount(stale) if stale else {}
    rows = _region_rows(prefix).filter(dimension=dimension, value=value).exclude(district_code__in=list(fresh))
    stored = rows.aggregate(total=Sum("count"))["total"] or 0
    return stored + sum(figures[(dimension, value)] for figures in fresh.values())


def refresh_tallies(region_code: str = "") -> int:
    """Recount every stale village of the region now; returns how many there were."""
    stale = _stale_in(region_prefix(region_code))
    if stale:
        _recount(stale)
    return len({code for _id, code in stale})


def mark_stale(village_codes: Iterable[str]) -> None:
    StaleVillage.objects.bulk_create([StaleVillage(village_code=code) for code in sorted(set(village_codes))])


def mark_all_stale() -> None:
    """Mark every village that has businesses or tallies, e.g. after a load that bypassed the triggers."""
    codes = set(Business.objects.order_by().values_list("village_id", flat=True).distinct())
    codes |= set(VillageTally.objects.order_by().values_list("village_code", flat=True).distinct())
    mark_stale(codes)


def mark_villages_of(business_ids: list[int]) -> None:
    """Mark the villages of these businesses, a few statements whatever their number."""
    for start in range(0, len(business_ids), 20_000):
        chunk = business_ids[start : start + 20_000]
        villages = with_ids(Business.objects.order_by(), chunk).values_list("village_id", flat=True)
        mark_stale(villages.distinct())


_checked_on: list = [None]  # the day this process last saw the check done: one query a day, not one a read


def mark_lapsed_licences() -> int:
    """Mark the villages of businesses whose licences lapsed since the last check (once a day);
    returns how many licences lapsed. The tallies count licences valid on the day they count."""
    today = timezone.localdate()
    if _checked_on[0] == today:
        return 0
    check = LicenceCheck.objects.order_by("pk").first()
    if check is None:
        LicenceCheck.objects.create(checked_on=today)
        return 0
    if check.checked_on >= today:
        _checked_on[0] = today
        return 0
    with transaction.atomic():
        # Only the reader that moves the date marks: the others find it moved.
        if not LicenceCheck.objects.filter(pk=check.pk, checked_on=check.checked_on).update(checked_on=today):
            return 0
        lapsed = Licence.objects.filter(expires_on__gte=check.checked_on, expires_on__lt=today)
        villages = Business.objects.filter(pk__in=lapsed.values("business_id")).order_by().values_list("village_id")
        mark_stale(code for (code,) in villages.distinct())
        count = lapsed.count()
    _checked_on[0] = today
    return count
