"""What every bench shares: its databases, and running its measurements in a subprocess.

Settings read DATABASE_URL once, at import, so each database is measured in a
subprocess of its own. The subprocess prints progress lines, and its results
as one line starting with RESULT_PREFIX followed by JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "bench" / ".data"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
RESULT_PREFIX = "RESULT "


def ensure_postgres_database(name: str) -> bool:
    """Create the database if it is missing; False when PostgreSQL is not reachable."""
    try:
        import psycopg
    except ImportError:
        return False
    try:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error:
        return False
    return True


def databases(sqlite_file: str, pg_database: str, postgres: bool) -> list[tuple[str, str]]:
    """(label, DATABASE_URL) of each database to measure on."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    found = [("SQLite", f"sqlite:///{DATA_DIR / sqlite_file}")]
    if postgres:
        if ensure_postgres_database(pg_database):
            found.append(("PostgreSQL", f"{PG_SERVER}/{pg_database}"))
        else:
            print("PostgreSQL is not reachable at 127.0.0.1:5432 as postgres: measuring SQLite only.")
    return found


def run_in_subprocess(label: str, url: str, script: str, arguments: list[str]) -> dict | None:
    """Run `script --worker ARGUMENTS` against `url`, echoing its output; its RESULT, or None if it failed."""
    print(f"\n--- {label}: {url}", flush=True)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "sentra.settings", "DEBUG": "0"}
    command = [sys.executable, str(Path(script).resolve()), "--worker", *arguments]
    result = None
    with subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith(RESULT_PREFIX):
                result = json.loads(line[len(RESULT_PREFIX) :])
            else:
                print(line, end="", flush=True)
    if process.returncode != 0:
        print(f"{label}: the bench worker failed (exit {process.returncode}).")
        return None
    return result


def print_result(result: dict) -> None:
    """What a worker prints last: its results, for the parent to read."""
    print(RESULT_PREFIX + json.dumps(result), flush=True)
