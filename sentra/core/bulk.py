"""Writing many rows at once, faster than `bulk_create`, for imports of a million rows.

`bulk_create` prepares every field of every model instance in Python, which
costs more than the database's own work at this size. Here the caller gives
plain tuples of database-ready values (str, int, date, datetime, None, JSON as
text) for named fields; PostgreSQL takes them through COPY, SQLite through one
prepared `executemany`. Ids are reserved beforehand, so related rows can be
written in the same pass without reading anything back.
"""

import json
from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Model, QuerySet
from django.db.models.expressions import RawSQL


def columns_of(model: type[Model], field_names: Sequence[str]) -> list[str]:
    return [model._meta.get_field(name).column for name in field_names]


def _quoted(model: type[Model], field_names: Sequence[str]) -> tuple[str, str]:
    """`model`'s table and the columns of `field_names`, quoted for SQL."""
    columns = ", ".join(connection.ops.quote_name(c) for c in columns_of(model, field_names))
    return connection.ops.quote_name(model._meta.db_table), columns


def insert_rows(model: type[Model], field_names: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Insert `rows` (one value per name in `field_names`) into `model`'s table."""
    table, columns = _quoted(model, field_names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # noqa: S608 - names from _meta
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(field_names))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608


def insert_selected(model: type[Model], field_names: Sequence[str], select: str, params: Sequence[object]) -> None:
    """Insert into `model`'s table the rows `select` (an SQL SELECT of one column per name) finds: rows
    made from rows the database holds, without their values passing through Python."""
    table, columns = _quoted(model, field_names)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {select}", params)  # noqa: S608 - names from _meta


_sequences: dict[tuple[str, str, str], str] = {}


def _sequence(cursor, table: str, column: str) -> str:
    """The PostgreSQL sequence numbering `table.column`, looked up once: named as a constant, nextval
    costs a fifth of what it does when the name is worked out per number."""
    key = (str(connection.settings_dict["NAME"]), table, column)
    if key not in _sequences:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        _sequences[key] = cursor.fetchone()[0]
    return _sequences[key]


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """`count` fresh primary keys for `model`; call inside the writing transaction.

    PostgreSQL hands them out from the table's sequence (other sessions may take
    numbers in between, so they need not be consecutive). SQLite has one writer at
    a time (our transactions start IMMEDIATE), so the ids after the highest in use
    are free.
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    pk_column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Distinct numbers spanning exactly `count` are every number of the span: one row to read, not
            # thousands. Another session taking numbers meanwhile leaves gaps; then the numbers come as a list.
            cursor.execute(
                "SELECT min(id), max(id), CASE WHEN max(id) - min(id) + 1 = count(*) THEN NULL ELSE array_agg(id) END "
                "FROM (SELECT nextval(%s::regclass) AS id FROM generate_series(1, %s)) AS taken",
                [_sequence(cursor, table, pk_column), count],
            )
            low, high, scattered = cursor.fetchone()
            return list(range(low, high + 1)) if scattered is None else sorted(scattered)
        cursor.execute(f'SELECT MAX("{pk_column}") FROM "{table}"')  # noqa: S608 - names from _meta
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
        highest = max(highest, found[0] if found else 0)
        return list(range(highest + 1, highest + 1 + count))


def ids_where_in(table: str, column: str, values: Iterable[object], *, join: str = "") -> list[int]:
    """Ids of `table` rows whose `column` is one of `values`, in one statement whatever their number.

    One JSON list parameter replaces thousands of `IN (%s, …)` placeholders, so a million values need no
    chunking; `values` are text (NIKs, NIBs). On PostgreSQL the list becomes an array the index is
    searched with: a lookup of 2,000 NIKs takes under half the time of one given a Python list to adapt.
    """
    values = list(values)
    if not values:
        return []
    if connection.vendor == "postgresql":
        condition = f"{column} = ANY(ARRAY(SELECT jsonb_array_elements_text(%s::jsonb)))"
    else:
        condition = f"{column} IN (SELECT value FROM json_each(%s))"
    parameter = json.dumps(values)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {table}.id FROM {table} {join} WHERE {condition}", [parameter])  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def with_ids(queryset: QuerySet, ids: Iterable[int]) -> QuerySet:
    """`queryset` narrowed to `ids`, passed as one parameter whatever their number (as in `ids_where_in`)."""
    ids = sorted(ids)
    if connection.vendor == "postgresql":
        return queryset.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [ids]))
    return queryset.filter(pk__in=RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)]))
