"""Loading KBLI 2020 from the CSV shipped in `kbli/data`."""

import csv
from pathlib import Path

from django.db import connection, transaction

KBLI_CSV = Path(__file__).resolve().parent / "data" / "kbli2020.csv"


@transaction.atomic
def load_kbli(path: Path = KBLI_CSV) -> int:
    """Insert or update every KBLI code; safe to run again. Returns the row count."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [
            (r["code"], r["level"], r["parent"] or None, r["section"], r["title"].strip(), r["description"].strip())
            for r in csv.DictReader(handle)
        ]
    sql = (
        "INSERT INTO kbli_kbli (code, level, parent_id, section, title, description) "
        "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (code) DO UPDATE SET level = excluded.level, "
        "parent_id = excluded.parent_id, section = excluded.section, title = excluded.title, "
        "description = excluded.description"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)
