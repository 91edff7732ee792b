"""Full-text search over business, owner and product names.

Each business keeps `search_text` (its name, its owner's name and its
products' names, folded to lower-case ASCII). SQLite indexes it with FTS5,
PostgreSQL with a GIN index on `to_tsvector('simple', search_text)`; both
match every typed word as a word prefix.
"""

import re
import unicodedata

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case ASCII words: `Kripik Pisang "Bu Siti"` → `kripik pisang bu siti`."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return " ".join(WORD.findall(ascii_text.lower()))


def search_text_for(business_name: str, owner_name: str, product_names: list[str]) -> str:
    return fold(" ".join([business_name, owner_name, *product_names]))


def filter_by_search(queryset: QuerySet, query: str) -> QuerySet:
    """Businesses whose search text has a word starting with each word of `query`."""
    words = fold(query).split()[:8]
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"{word}:*" for word in words)
        condition = RawSQL(
            "to_tsvector('simple', registry_business.search_text) @@ to_tsquery('simple', %s)",
            [tsquery],
            output_field=BooleanField(),
        )
    else:
        match = " ".join(f'"{word}"*' for word in words)
        condition = RawSQL(
            "registry_business.id IN (SELECT rowid FROM registry_business_fts WHERE registry_business_fts MATCH %s)",
            [match],
            output_field=BooleanField(),
        )
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
POSTGRES_FTS_SQL = [
    "CREATE INDEX IF NOT EXISTS registry_business_search_gin "
    "ON registry_business USING gin (to_tsvector('simple', search_text))",
]
POSTGRES_FTS_DROP_SQL = ["DROP INDEX IF EXISTS registry_business_search_gin"]


def install_search_index(schema_editor) -> None:
    statements = POSTGRES_FTS_SQL if schema_editor.connection.vendor == "postgresql" else SQLITE_FTS_SQL
    for statement in statements:
        schema_editor.execute(statement)


def remove_search_index(schema_editor) -> None:
    statements = POSTGRES_FTS_DROP_SQL if schema_editor.connection.vendor == "postgresql" else SQLITE_FTS_DROP_SQL
    for statement in statements:
        schema_editor.execute(statement)
