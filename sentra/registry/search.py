"""Full-text search over business, owner and product names.

Each business keeps `search_text` (its name, its owner's name and its
products' names, folded to lower-case ASCII). SQLite indexes it with FTS5;
PostgreSQL keeps a stored, generated `search_vector` column
(`to_tsvector('simple', search_text)`) with a GIN index. Both match every
typed word as a word prefix.
"""

import json
import re
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from django.conf import settings
from django.db import connections
from django.db.models import BooleanField, Expression, QuerySet

WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case ASCII words: `Kripik Pisang "Bu Siti"` → `kripik pisang bu siti`."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return " ".join(WORD.findall(ascii_text.lower()))


def search_text_for(business_name: str, owner_name: str, product_names: list[str]) -> str:
    return fold(" ".join([business_name, owner_name, *product_names]))


SQLITE_RARE_MATCH = "{table}.id IN (SELECT rowid FROM registry_business_fts WHERE registry_business_fts MATCH %s)"
SQLITE_FREQUENT_MATCH = "+" + SQLITE_RARE_MATCH
POSTGRES_MATCH = "{table}.search_vector @@ to_tsquery('simple', %s)"


class OwnTableSQL(Expression):
    """A raw condition on the queryset's own table, written `{table}.column`.

    Unlike RawSQL it follows the table's alias, so the condition still holds when
    the searched queryset becomes a subquery (`business__in=…`, as the "moved up"
    filter makes it), where Django renames the table U0.
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, sql: str, params: list, alias: str | None = None) -> None:
        super().__init__()
        self.sql, self.params, self.alias = sql, params, alias

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        clone = self.copy()
        clone.alias = query.get_initial_alias()
        return clone

    def relabeled_clone(self, change_map):
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def as_sql(self, compiler, connection):
        return self.sql.format(table=compiler.quote_name_unless_alias(self.alias)), self.params


# How long a word's frequency is trusted. It only chooses the plan, never the answer, and a word's
# frequency moves slowly, as a table's statistics do; counting it costs a few ms per search at 1M UMKM.
FREQUENCY_SECONDS = 600.0
_frequency: dict[tuple[str, int, str], tuple[float, bool]] = {}


def _is_frequent_on_sqlite(match: str, using: str) -> bool:
    """Whether an FTS match is common enough that walking the list's own index wins.

    SQLite otherwise starts from the matches: for a word like "batik" that is
    tens of thousands of rows fetched, joined and sorted for one page of 25.
    """
    threshold = settings.REGISTRY_SEARCH_FREQUENT_MATCHES
    key = (str(connections[using].settings_dict["NAME"]), threshold, match)
    now = time.monotonic()
    known = _frequency.get(key)
    if known is not None and now - known[0] < FREQUENCY_SECONDS:
        return known[1]
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT rowid FROM registry_business_fts "
            "WHERE registry_business_fts MATCH %s LIMIT %s)",
            [match, threshold],
        )
        frequent = cursor.fetchone()[0] >= threshold
    if len(_frequency) >= 1000:
        _frequency.clear()  # a bound, not an LRU: the common words come back at once
    _frequency[key] = (now, frequent)
    return frequent


def filter_by_search(queryset: QuerySet, query: str) -> QuerySet:
    """Businesses whose search text has a word starting with each word of `query`."""
    words = fold(query).split()[:8]
    if not words:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        condition = OwnTableSQL(POSTGRES_MATCH, [" & ".join(f"{word}:*" for word in words)])
    else:
        match = " ".join(f'"{word}"*' for word in words)
        # A unary + keeps SQLite from driving the query by the id lookup (see above).
        sql = SQLITE_FREQUENT_MATCH if _is_frequent_on_sqlite(match, queryset.db) else SQLITE_RARE_MATCH
        condition = OwnTableSQL(sql, [match])  # constant SQL, bound parameter
    return queryset.filter(condition)


SQLITE_FTS_SQL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS registry_business_fts USING fts5("
    "search_text, content='registry_business', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER IF NOT EXISTS registry_business_fts_ai AFTER INSERT ON registry_business BEGIN "
    "INSERT INTO registry_business_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS registry_business_fts_ad AFTER DELETE ON registry_business BEGIN "
    "INSERT INTO registry_business_fts(registry_business_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS registry_business_fts_au AFTER UPDATE OF search_text ON registry_business BEGIN "
    "INSERT INTO registry_business_fts(registry_business_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO registry_business_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
]
SQLITE_FTS_DROP_SQL = [
    "DROP TRIGGER IF EXISTS registry_business_fts_ai",
    "DROP TRIGGER IF EXISTS registry_business_fts_ad",
    "DROP TRIGGER IF EXISTS registry_business_fts_au",
    "DROP TABLE IF EXISTS registry_business_fts",
]
# A stored column rather than an expression index: checking a row then reads the
# vector instead of recomputing it, which matters when the planner walks the list index.
POSTGRES_FTS_SQL = [
    "ALTER TABLE registry_business ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED",
    "CREATE INDEX IF NOT EXISTS registry_business_search_vector_gin ON registry_business USING gin (search_vector)",
]
POSTGRES_FTS_DROP_SQL = [
    "DROP INDEX IF EXISTS registry_business_search_vector_gin",
    "ALTER TABLE registry_business DROP COLUMN IF EXISTS search_vector",
]

# A search walks the regency's name index until a page (and the count's cap) of matches is found; for a
# common word that is tens of thousands of rows. Carrying the vector and the list's other conditions in
# the index lets PostgreSQL check each row there (an index-only scan) instead of fetching it from the table.
POSTGRES_LIST_SEARCH_SQL = (
    "CREATE INDEX IF NOT EXISTS business_regency_name_search ON registry_business (regency_id, name, id) "
    "INCLUDE (archived_at, bulk_write_id, search_vector)"
)
POSTGRES_LIST_SEARCH_DROP_SQL = "DROP INDEX IF EXISTS business_regency_name_search"


def install_search_index(schema_editor) -> None:
    statements = POSTGRES_FTS_SQL if schema_editor.connection.vendor == "postgresql" else SQLITE_FTS_SQL
    for statement in statements:
        schema_editor.execute(statement)


def remove_search_index(schema_editor) -> None:
    statements = POSTGRES_FTS_DROP_SQL if schema_editor.connection.vendor == "postgresql" else SQLITE_FTS_DROP_SQL
    for statement in statements:
        schema_editor.execute(statement)


@contextmanager
def deferred_search_index(using: str = "default") -> Iterator[Callable[[Sequence[int]], None]]:
    """Index many inserted businesses at once instead of row by row; use inside a transaction.

    On SQLite the per-row insert trigger costs about 100 µs a row, while one
    INSERT … SELECT into the FTS table costs about 1 µs. So the trigger is dropped
    for the block (the drop is part of the transaction: other connections never
    see the table without it) and the caller hands over the ids it inserted.
    PostgreSQL keeps its generated column and GIN index as they are.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield lambda ids: None
        return
    pending: list[int] = []
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS registry_business_fts_ai")
    yield pending.extend
    with connection.cursor() as cursor:
        for start in range(0, len(pending), 20_000):
            chunk = pending[start : start + 20_000]
            low, high = min(chunk), max(chunk)
            # A range scan on the primary key, narrowed to the ids given.
            cursor.execute(
                "INSERT INTO registry_business_fts(rowid, search_text) SELECT id, search_text "
                "FROM registry_business WHERE id BETWEEN %s AND %s AND id IN (SELECT value FROM json_each(%s))",
                [low, high, json.dumps(chunk)],
            )
        cursor.execute(SQLITE_FTS_SQL[1])


# Migrations that add a NOT NULL column or a check constraint to the business table: SQLite does it by
# rebuilding the table, which refuses while a trigger elsewhere names it (the dashboards' tally triggers,
# put back after every migrate by sentra.dashboards.receivers) and drops the FTS triggers with it.
# Such a migration runs `drop_sqlite_business_triggers` first and `reinstall_search_triggers` last.
def drop_sqlite_business_triggers(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%registry_business%'")
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')


def reinstall_search_triggers(apps, schema_editor) -> None:
    install_search_index(schema_editor)
