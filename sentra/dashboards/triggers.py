"""Database triggers that mark a village's tallies stale whenever its businesses change.

Triggers rather than model signals, because imports, merges and the demo seed
write with COPY, `executemany` and bulk updates that no signal sees. SQLite gets
row triggers that add a village once; PostgreSQL gets statement triggers over
transition tables, so a COPY of a million rows marks each village in one
statement rather than a million times.

SQLite drops a table's triggers when a migration rebuilds the table, so
`ensure_triggers` runs after every `migrate` and puts back what is missing.
"""

from dataclasses import dataclass

STALE = "dashboards_stalevillage"
BUSINESS = "registry_business"
# The business columns a figure depends on; other updates (names, search text) mark nothing.
COUNTED_COLUMNS = (
    "status",
    "maturity",
    "kbli_section",
    "size_class",
    "village_id",
    "owner_id",
    "created_at",
    "archived_at",  # an archived business counts nowhere
)


@dataclass(frozen=True)
class Watched:
    table: str
    # How a row of the table leads to a village: "self" (a business), "business" (via business_id),
    # "owner" (a person: all their businesses).
    via: str
    changed: tuple[str, ...]  # on UPDATE, the columns whose change counts
    only: str = ""  # a condition on the row (written for alias "r") for it to count at all
    events: tuple[str, ...] = ("insert", "update", "delete")


WATCHED = (
    Watched(BUSINESS, "self", COUNTED_COLUMNS),
    Watched("registry_person", "owner", ("sex",), events=("update",)),  # owners with businesses are never deleted
    Watched("registry_business_fostering_offices", "business", ("business_id", "office_id")),
    Watched("registry_licence", "business", ("business_id", "kind", "expires_on")),  # held means valid
    Watched("registry_statuschange", "business", ("business_id", "status", "changed_at"), "r.previous_status <> ''"),
    Watched(
        "registry_sizeclasschange",
        "business",
        ("business_id", "size_class", "previous_size_class", "changed_at"),
        "r.previous_size_class <> ''",
    ),
    Watched(
        "registry_maturitychange",
        "business",
        ("business_id", "stage", "previous_stage", "changed_at"),
        "r.previous_stage <> ''",
    ),
)


def _name(watched: Watched, event: str) -> str:
    return f"dashboards_stale_{watched.table.removeprefix('registry_')}_{event}"


# -- SQLite: row triggers ---------------------------------------------------------


def _sqlite_villages(watched: Watched, row: str) -> str:
    """A SELECT of the village codes that `row` (new/old) of the table belongs to."""
    only = f" AND {watched.only.replace('r.', row + '.')}" if watched.only else ""
    if watched.via == "self":
        return f"SELECT {row}.village_id AS code WHERE 1{only}"
    if watched.via == "business":
        return f"SELECT village_id AS code FROM {BUSINESS} WHERE id = {row}.business_id{only}"
    return f"SELECT DISTINCT village_id AS code FROM {BUSINESS} WHERE owner_id = {row}.id{only}"


def _sqlite_mark(watched: Watched, row: str) -> str:
    return (
        f"INSERT INTO {STALE} (village_code) SELECT code FROM ({_sqlite_villages(watched, row)}) AS d "
        f"WHERE code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {STALE} s WHERE s.village_code = d.code);"
    )


def sqlite_trigger(watched: Watched, event: str) -> str:
    rows = {"insert": ["new"], "delete": ["old"], "update": ["old", "new"]}[event]
    when = ""
    if watched.only and event != "update":  # rows that never count (registrations) skip the body entirely
        when = f" WHEN {watched.only.replace('r.', rows[0] + '.')}"
    if event == "update":
        when = " WHEN " + " OR ".join(f"old.{column} IS NOT new.{column}" for column in watched.changed)
    if event == "update" and watched.via == "self":
        rows = ["new", "old"]  # a move marks both villages
    body = " ".join(_sqlite_mark(watched, row) for row in rows)
    return (
        f"CREATE TRIGGER IF NOT EXISTS {_name(watched, event)} AFTER {event.upper()} ON {watched.table}"
        f"{when} BEGIN {body} END"
    )


# -- PostgreSQL: statement triggers over transition tables ----------------------------


def _postgres_villages(watched: Watched, rows: str) -> str:
    only = f" WHERE {watched.only}" if watched.only else ""
    if watched.via == "self":
        return f"SELECT r.village_id FROM {rows} r{only}"
    if watched.via == "business":
        return f"SELECT b.village_id FROM {rows} r JOIN {BUSINESS} b ON b.id = r.business_id{only}"
    return f"SELECT b.village_id FROM {rows} r JOIN {BUSINESS} b ON b.owner_id = r.id{only}"


def _postgres_changed(watched: Watched) -> str:
    """Old and new rows of an UPDATE whose watched columns differ, as `changed_old`/`changed_new`."""
    old = ", ".join(f"o.{column}" for column in watched.changed)
    new = ", ".join(f"n.{column}" for column in watched.changed)
    return (
        f"changed AS (SELECT o.id FROM old_rows o JOIN new_rows n ON n.id = o.id "
        f"WHERE ({old}) IS DISTINCT FROM ({new})), "
        "changed_old AS (SELECT o.* FROM old_rows o JOIN changed USING (id)), "
        "changed_new AS (SELECT n.* FROM new_rows n JOIN changed USING (id))"
    )


def postgres_trigger(watched: Watched, event: str) -> list[str]:
    name = _name(watched, event)
    if event == "update":
        source = (
            f"WITH {_postgres_changed(watched)} "
            f"{_postgres_villages(watched, 'changed_old')} UNION {_postgres_villages(watched, 'changed_new')}"
        )
        referencing = "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
    elif event == "insert":
        source, referencing = _postgres_villages(watched, "new_rows"), "REFERENCING NEW TABLE AS new_rows"
    else:
        source, referencing = _postgres_villages(watched, "old_rows"), "REFERENCING OLD TABLE AS old_rows"
    return [
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"INSERT INTO {STALE} (village_code) SELECT DISTINCT d.code FROM ({source}) AS d(code) "
        f"WHERE d.code IS NOT NULL; RETURN NULL; END $$",
        f"CREATE OR REPLACE TRIGGER {name} AFTER {event.upper()} ON {watched.table} {referencing} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
    ]


# -- Installing -----------------------------------------------------------------------


def trigger_names() -> list[str]:
    return [_name(watched, event) for watched in WATCHED for event in watched.events]


def existing_triggers(connection) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE %s", ["dashboards_stale_%"])
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", ["dashboards_stale_%"]
            )
        return {row[0] for row in cursor.fetchall()}


def ensure_triggers(connection) -> list[str]:
    """Create the triggers that are missing; returns their names (empty when all were there)."""
    missing = [name for name in trigger_names() if name not in existing_triggers(connection)]
    if not missing:
        return []
    with connection.cursor() as cursor:
        for watched in WATCHED:
            for event in watched.events:
                if _name(watched, event) not in missing:
                    continue
                if connection.vendor == "postgresql":
                    for statement in postgres_trigger(watched, event):
                        cursor.execute(statement)
                else:
                    cursor.execute(sqlite_trigger(watched, event))
    return missing


def drop_triggers(connection) -> None:
    with connection.cursor() as cursor:
        for watched in WATCHED:
            for event in ("insert", "update", "delete"):
                name = _name(watched, event)
                if connection.vendor == "postgresql":
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {watched.table}")
                    cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
                else:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def drop_insert_triggers(connection) -> None:
    """SQLite, inside a transaction: the insert triggers, for a bulk insert that marks its villages itself."""
    with connection.cursor() as cursor:
        for watched in WATCHED:
            if "insert" in watched.events:
                cursor.execute(f"DROP TRIGGER IF EXISTS {_name(watched, 'insert')}")
