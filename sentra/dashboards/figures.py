"""Counting businesses along the dashboards' dimensions, from any scoped set of businesses.

`count_figures` is the one definition of every figure. The tallies store its
answer per district; a partner agency's dashboard, which sees only the
businesses its office fosters, asks it directly of that scope.
"""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db.models import CharField, Count, Func, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from sentra.registry.history import MOVES, net_moves
from sentra.registry.models import Business, Licence, Maturity, OperatingStatus, StatusChange

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
    LICENCE = "licence"  # licence kind; a business counts once per kind it holds
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
        figures, n = group(row), row["n"]
        figures[(Dimension.TOTAL, "")] += n
        figures[(Dimension.STATUS, row["status"])] += n
        figures[(Dimension.MATURITY, row["maturity"])] += n
        figures[(Dimension.SECTION, row["kbli_section"])] += n
        figures[(Dimension.SIZE, row["size_class"])] += n
        if is_operating(row["status"]):
            figures[(Dimension.FUNNEL, OPERATING)] += n
        if is_innovating(row["status"], row["maturity"]):
            figures[(Dimension.FUNNEL, INNOVATING)] += n

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

    licences = Licence.objects.filter(business__in=ids).order_by()
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
