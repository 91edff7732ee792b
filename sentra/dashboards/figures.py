"""Counting businesses along the dashboards' dimensions, from any scoped set of businesses.

`count_figures` is the one definition of every figure. The tallies store its
answer per district; a partner agency's dashboard, which sees only the
businesses its office fosters, asks it directly of that scope.

`changes_after` reads the histories back from today to an earlier day, so a
report on a past period shows the registry as it stood at the period's end.
"""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import CharField, Count, Func, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from sentra.core.bulk import with_ids
from sentra.registry.history import MOVES, local_day_bounds, net_moves
from sentra.registry.licences import is_held, valid_on
from sentra.registry.models import (
    Business,
    Licence,
    Maturity,
    MaturityChange,
    OperatingStatus,
    SizeClassChange,
    StatusChange,
)

Figures = Counter  # (dimension, value) → number of businesses (of status changes, for STATUS_CHANGE)


class Dimension:
    """The dimensions counted; each business counts once in each, except the two flows."""

    TOTAL = "total"  # value "": every business
    STATUS = "status"
    MATURITY = "maturity"
    SECTION = "section"  # KBLI section letter; "" when the business has no KBLI code
    SIZE = "size"
    SEX = "sex"  # the owner's
    FUNNEL = "funnel"  # values OPERATING, INNOVATING (registered is TOTAL)
    OFFICE = "office"  # fostering office id; a business fostered by two offices counts in both
    LICENCE = "licence"  # licence kind; a business counts once per kind it holds valid (registry.licences)
    REGISTERED = "registered"  # "YYYY-MM", the local month it was registered in
    STATUS_CHANGE = "status_change"  # "YYYY-MM:status": businesses whose status changed (not registration) that month
    # Businesses that moved up over a calendar year or quarter (see registry.history.moved_up):
    # "2026:micro>small", "2026Q2:micro>small".
    MOVED_SIZE = "moved_size"
    MOVED_MATURITY = "moved_maturity"


MOVED_DIMENSIONS = {"size": Dimension.MOVED_SIZE, "maturity": Dimension.MOVED_MATURITY}


OPERATING = "operating"
INNOVATING = "innovating"


def is_operating(status: str) -> bool:
    return status == OperatingStatus.ACTIVE


def is_innovating(status: str, maturity: str) -> bool:
    """Still operating, at the digital/innovative stage."""
    return status == OperatingStatus.ACTIVE and maturity == Maturity.DIGITAL


def _fixed_offset_minutes() -> int | None:
    """The current time zone's offset when it has no daylight saving (all of Indonesia's), else None."""
    zone = timezone.get_current_timezone()
    offsets = {dt.datetime(2026, month, 1, tzinfo=zone).utcoffset() for month in (1, 7)}
    return int(offsets.pop().total_seconds() // 60) if len(offsets) == 1 else None


class LocalMonth(Func):
    """ "YYYY-MM" of a datetime in the current time zone, computed by the database itself.

    Django's TruncMonth calls back into Python for every row on SQLite; string
    functions keep a recount of thousands of rows inside the database.
    """

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra):
        (expression,) = self.source_expressions
        sql, params = compiler.compile(expression)
        if connection.vendor == "postgresql":
            return f"to_char({sql} AT TIME ZONE %s, 'YYYY-MM')", [*params, timezone.get_current_timezone_name()]
        offset = _fixed_offset_minutes()
        if connection.vendor == "sqlite" and offset is not None:
            return f"strftime('%%Y-%%m', {sql}, '{offset:+d} minutes')", params
        truncated = TruncMonth(expression, tzinfo=timezone.get_current_timezone())
        return compiler.compile(truncated)


def _month(value) -> str:
    return value if isinstance(value, str) else f"{value:%Y-%m}"


def _periods(moment: dt.datetime) -> tuple[str, str]:
    """The calendar year and quarter a moment falls in, in the office's time zone: "2026", "2026Q2"."""
    local = timezone.localtime(moment)
    return str(local.year), f"{local.year}Q{(local.month - 1) // 3 + 1}"


def count_figures(businesses: QuerySet[Business], by: str | None = None) -> dict[str, Figures]:
    """Every dimension's counts for `businesses`, per value of the business field `by`
    (e.g. "district_id"; None: one group keyed "").

    A few grouped queries whatever the number of businesses.
    """
    groups: dict[str, Figures] = defaultdict(Counter)
    key = [by] if by else []

    def group(row: dict) -> Figures:
        return groups[row[by] if by else ""]

    for row in (
        businesses.order_by().values(*key, "status", "maturity", "kbli_section", "size_class").annotate(n=Count("id"))
    ):
        _add_state(group(row), row["status"], row["maturity"], row["kbli_section"], row["size_class"], row["n"])

    for row in businesses.order_by().values(*key, "owner__sex").annotate(n=Count("id")):
        group(row)[(Dimension.SEX, row["owner__sex"])] += row["n"]

    registered = businesses.order_by().annotate(month=LocalMonth("created_at"))
    for row in registered.values(*key, "month").annotate(n=Count("id")):
        group(row)[(Dimension.REGISTERED, _month(row["month"]))] += row["n"]

    ids = businesses.order_by().values("pk")
    child_key = [f"business__{by}"] if by else []

    def child_group(row: dict) -> Figures:
        return groups[row[f"business__{by}"] if by else ""]

    fostering = Business.fostering_offices.through.objects.filter(business__in=ids)
    for row in fostering.values(*child_key, "office_id").annotate(n=Count("business_id")):
        child_group(row)[(Dimension.OFFICE, str(row["office_id"]))] += row["n"]

    # Held means valid today; the tallies learn of licences lapsing overnight from tallies.mark_lapsed_licences.
    licences = Licence.objects.filter(valid_on(timezone.localdate()), business__in=ids).order_by()
    for row in licences.values(*child_key, "kind").annotate(n=Count("business_id", distinct=True)):
        child_group(row)[(Dimension.LICENCE, row["kind"])] += row["n"]

    changes = StatusChange.objects.filter(business__in=ids).exclude(previous_status="").order_by()
    changes = changes.annotate(month=LocalMonth("changed_at"))
    # Businesses, not changes: the list a figure links to shows each business once.
    for row in changes.values(*child_key, "month", "status").annotate(n=Count("business_id", distinct=True)):
        child_group(row)[(Dimension.STATUS_CHANGE, f"{_month(row['month'])}:{row['status']}")] += row["n"]

    for kind, dimension in MOVED_DIMENSIONS.items():
        for group_key, period, (before, after) in _moves_by_period(ids, kind, by):
            groups[group_key][(dimension, f"{period}:{before}>{after}")] += 1
    return dict(groups)


def _add_state(figures: Figures, status: str, maturity: str, section: str, size: str, n: int) -> None:
    """Count `n` businesses in this state (negative `n` takes them out)."""
    figures[(Dimension.TOTAL, "")] += n
    figures[(Dimension.STATUS, status)] += n
    figures[(Dimension.MATURITY, maturity)] += n
    figures[(Dimension.SECTION, section)] += n
    figures[(Dimension.SIZE, size)] += n
    if is_operating(status):
        figures[(Dimension.FUNNEL, OPERATING)] += n
    if is_innovating(status, maturity):
        figures[(Dimension.FUNNEL, INNOVATING)] += n


def _moves_by_period(ids: QuerySet, kind: str, by: str | None) -> Iterable[tuple[str, str, tuple[str, str]]]:
    """(group, period, (from, to)) for every business that moved up over a calendar year or quarter."""
    model, field, previous_field, ranks = MOVES[kind]
    group_field = [f"business__{by}"] if by else []
    rows = (
        model.objects.filter(business__in=ids)
        .exclude(**{previous_field: ""})
        .order_by("business_id", "changed_at", "id")
        .values_list(*group_field, "business_id", "changed_at", previous_field, field)
    )
    group_of: dict[int, str] = {}
    changes = []
    for row in rows:  # a plain fetch: PostgreSQL plans server-side cursors for first rows, 10× slower here
        group, (business_id, moment, previous, stage) = (row[0], row[1:]) if by else ("", row)
        group_of[business_id] = group
        for period in _periods(moment):
            changes.append(((business_id, period), previous, stage))
    for (business_id, period), step in net_moves(changes, ranks).items():
        yield group_of[business_id], period, step


def merged(parts: Iterable[Figures]) -> Figures:
    total: Figures = Counter()
    for part in parts:
        total.update(part)
    return total


# -- The registry on an earlier day ------------------------------------------------------------

# The figures that describe a state (as opposed to the flows: status changes and moves by period).
STOCK_DIMENSIONS = frozenset(
    {
        Dimension.TOTAL,
        Dimension.STATUS,
        Dimension.MATURITY,
        Dimension.SECTION,
        Dimension.SIZE,
        Dimension.SEX,
        Dimension.FUNNEL,
        Dimension.OFFICE,
        Dimension.LICENCE,
        Dimension.REGISTERED,
    }
)
ID_CHUNK = 5000  # ids per statement: within every database's limit on parameters
HISTORIES = (
    ("status", StatusChange, "previous_status"),
    ("maturity", MaturityChange, "previous_stage"),
    ("size_class", SizeClassChange, "previous_size_class"),
)


@dataclass
class _Touched:
    """A business something happened to after the day asked for: its state now, and what it was then."""

    group: str
    now: dict[str, str]  # status, maturity, size_class, kbli_section, sex, month (registered)
    then: dict[str, str] = field(default_factory=dict)  # the history's values the day before the first change
    offices: list[str] = field(default_factory=list)
    licences: list[tuple[str, dt.date | None, dt.date | None]] = field(default_factory=list)
    existed: bool = True
    counted_now: bool = True  # False for one archived since: today's figures leave it out


def _contribution(touched: _Touched, state: dict[str, str], kinds: set[str]) -> Figures:
    figures: Figures = Counter()
    _add_state(figures, state["status"], state["maturity"], state["kbli_section"], state["size_class"], 1)
    figures[(Dimension.SEX, state["sex"])] += 1
    figures[(Dimension.REGISTERED, state["month"])] += 1
    for office in touched.offices:
        figures[(Dimension.OFFICE, office)] += 1
    for kind in kinds:
        figures[(Dimension.LICENCE, kind)] += 1
    return figures


def changes_after(
    businesses: QuerySet[Business],
    history: Q | QuerySet[Business],
    day: dt.date,
    by: str | None = None,
    archived: QuerySet[Business] | None = None,
) -> dict[str, Figures]:
    """How the stock figures of `businesses` moved after the end of `day`: per value of `by`, the
    figures today minus the figures as they stood at the end of `day` (subtract it from today's).

    `history` narrows the history rows to the same businesses (a condition on their `business__…`
    fields, or the queryset itself). Read back from today: a business registered later did not
    exist, one whose status, stage or size changed later had the value its first later change
    found, and a licence counts when issued by then (or undated) and valid on `day`. The KBLI
    section, the owner's sex and the fostering offices are today's: no history keeps them.
    `archived`, the same businesses archived ones included, brings back those archived after the
    day: today's figures leave them out, the day's count them. Costs what happened since, not the
    registry's size.
    """
    today = timezone.localdate()
    if day >= today:
        return {}
    after = local_day_bounds(day, day)[1]
    which = history if isinstance(history, Q) else Q(business__in=history.values("pk"))
    earliest: dict[int, dict[str, str]] = defaultdict(dict)
    for name, model, previous_field in HISTORIES:
        # In time order (the first row of a business is its first change): ordered by business, SQLite
        # walks the region's businesses instead of the few rows since the day.
        rows = (
            model.objects.filter(which, changed_at__gte=after)
            .order_by("changed_at", "id")
            .values_list("business_id", previous_field)
        )
        for business_id, previous in rows:
            earliest[business_id].setdefault(name, previous)
    # Unordered, so that both date indexes answer the OR (the model's ordering scans every licence).
    lapsed = (
        Licence.objects.filter(which)
        .filter(Q(expires_on__gte=day, expires_on__lt=today) | Q(issued_on__gt=day))
        .order_by()
    )
    gone: dict[int, _Touched] = {}  # archived since the day: in the day's figures, not in today's
    if archived is not None:
        # The few archived since, found by the archive index first; `_touched` narrows them to the scope.
        since = Business.with_archived.filter(archived_at__gte=after, created_at__lt=after).order_by()
        candidates = set(since.values_list("pk", flat=True))
        gone = _touched(archived, candidates, by, after) if candidates else {}
        for item in gone.values():
            item.counted_now = False
    touched_ids = (set(earliest) | set(lapsed.values_list("business_id", flat=True))) - set(gone)
    if not touched_ids and not gone:
        return {}
    touched = {**_touched(businesses, touched_ids, by, after), **gone}
    for business_id, previous in earliest.items():
        if business_id in touched:
            item = touched[business_id]
            item.then = previous
            item.existed = item.existed and "" not in previous.values()  # a registration row after the day
    changes: dict[str, Figures] = defaultdict(Counter)
    for item in touched.values():
        difference = changes[item.group]
        if item.counted_now:
            valid_now = {kind for kind, _issued, expires in item.licences if is_held(None, expires, today)}
            difference.update(_contribution(item, item.now, valid_now))
        if item.existed:
            then = {**item.now, **item.then}
            held = {kind for kind, issued, expires in item.licences if is_held(issued, expires, day)}
            difference.subtract(_contribution(item, then, held))
    return {group: Counter({key: n for key, n in figures.items() if n}) for group, figures in changes.items()}


def _touched(businesses: QuerySet[Business], ids: set[int], by: str | None, after: dt.datetime) -> dict[int, _Touched]:
    """The touched businesses still in `businesses`, with their state now, offices and licences."""
    chosen = with_ids(businesses.order_by(), ids).annotate(month=LocalMonth("created_at"))
    columns = ["pk", "status", "maturity", "size_class", "kbli_section", "owner__sex", "month", "created_at"]
    touched: dict[int, _Touched] = {}
    for row in chosen.values(*columns, *([by] if by else [])):
        now = {name: row[name] for name in ("status", "maturity", "size_class", "kbli_section")}
        now |= {"sex": row["owner__sex"], "month": _month(row["month"])}
        touched[row["pk"]] = _Touched(row[by] if by else "", now, existed=row["created_at"] < after)
    found = sorted(touched)
    for start in range(0, len(found), ID_CHUNK):
        chunk = found[start : start + ID_CHUNK]
        through = Business.fostering_offices.through.objects.filter(business_id__in=chunk)
        for business_id, office_id in through.values_list("business_id", "office_id"):
            touched[business_id].offices.append(str(office_id))
        licences = Licence.objects.filter(business_id__in=chunk).values_list(
            "business_id", "kind", "issued_on", "expires_on"
        )
        for business_id, kind, issued, expires in licences:
            touched[business_id].licences.append((kind, issued, expires))
    return touched


def figures_before(current: dict[str, Figures], changes: dict[str, Figures]) -> dict[str, Figures]:
    """Today's stock figures per group with `changes_after` taken back out (flows dropped)."""
    result: dict[str, Figures] = {}
    for group in set(current) | set(changes):
        figures = Counter({key: n for key, n in current.get(group, Counter()).items() if key[0] in STOCK_DIMENSIONS})
        figures.subtract(changes.get(group, Counter()))
        result[group] = Counter({key: n for key, n in figures.items() if n > 0})
    return result
