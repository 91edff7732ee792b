"""KBLI search and suggestions on real activity descriptions: precision@1 and @3.

The descriptions are `sentra/kbli/data/activities.csv`: what officers type in
a "jenis usaha" column or the KBLI picker, each with the code a classifier
would give it (and, where the text cannot tell, the other codes that are as
right). The worker runs on its own SQLite database with the KBLI table loaded,
through the same functions the picker, the API and the import preview call.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import DATA_DIR, ROOT, print_result, run_in_subprocess  # noqa: E402

ACTIVITIES = ROOT / "sentra" / "kbli" / "data" / "activities.csv"
# Floors for the whole set; below them the bench fails.
TARGETS = {"search_p1": 0.85, "search_p3": 0.95, "suggest_p1": 0.8}


def load_activities(path: Path = ACTIVITIES) -> list[dict]:
    """Each description with the set of codes that count as right (the first is the expected one)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [{"text": row["text"], "right": [row["code"], *row["also"].split()]} for row in csv.DictReader(handle)]


def main(options: argparse.Namespace) -> bool:
    url = f"sqlite:///{DATA_DIR / 'kbli.sqlite3'}"
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    result = run_in_subprocess("SQLite", url, __file__, [])
    if result is None:
        return False
    print("\nSummary (targets: " + ", ".join(f"{key} ≥ {value:.2f}" for key, value in TARGETS.items()) + ")")
    ok = True
    for subset, figures in result["subsets"].items():
        print(f"  {subset:<28} n={figures['n']:3d}", end="")
        for key in ("search_p1", "search_p3", "suggest_p1", "suggest_given", "suggest_precision"):
            print(f"  {key} {figures[key]:.3f}", end="")
        print()
    for key, floor in TARGETS.items():
        ok &= result["subsets"]["all"][key] >= floor
    return ok


def worker() -> dict:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from sentra.kbli.selectors import search_subclasses
    from sentra.kbli.suggest import KEYWORDS, normalise, suggest_kbli

    call_command("migrate", verbosity=0)
    call_command("load_kbli", verbosity=0)
    activities = load_activities()
    curated = {normalise(phrase) for phrases in KEYWORDS.values() for phrase in phrases}
    started = time.perf_counter()
    searched = {row["text"]: [kbli.code for kbli in search_subclasses(row["text"], 3)] for row in activities}
    search_ms = (time.perf_counter() - started) * 1000 / len(activities)
    started = time.perf_counter()
    suggested = suggest_kbli(row["text"] for row in activities)
    suggest_ms = (time.perf_counter() - started) * 1000
    misses = []
    for row in activities:
        row["search"] = searched[row["text"]]
        suggestion = suggested[row["text"]]
        row["suggest"] = suggestion.code if suggestion else None
        row["curated"] = normalise(row["text"]) in curated
        if row["search"][:1] != row["right"][:1] and not set(row["search"][:1]) & set(row["right"]):
            misses.append(row)
    subsets = {
        "all": activities,
        "not a curated phrase": [row for row in activities if not row["curated"]],
    }
    figures = {name: _figures(rows) for name, rows in subsets.items()}
    print(f"{len(activities)} descriptions; search {search_ms:.1f} ms each, suggestions {suggest_ms:.0f} ms for all")
    print(f"Search misses at rank 1 ({len(misses)}):")
    for row in misses:
        print(f"  {row['text']!r}: expected {'/'.join(row['right'])}, got {row['search']}, suggested {row['suggest']}")
    return {"subsets": figures, "search_ms": search_ms, "suggest_ms": suggest_ms}


def _figures(rows: list[dict]) -> dict:
    n = len(rows) or 1
    given = [row for row in rows if row["suggest"]]
    return {
        "n": len(rows),
        "search_p1": sum(bool(set(row["search"][:1]) & set(row["right"])) for row in rows) / n,
        "search_p3": sum(bool(set(row["search"][:3]) & set(row["right"])) for row in rows) / n,
        "suggest_p1": sum(row["suggest"] in row["right"] for row in rows) / n,
        "suggest_given": len(given) / n,
        "suggest_precision": sum(row["suggest"] in row["right"] for row in given) / (len(given) or 1),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    arguments, _unknown = parser.parse_known_args()
    if arguments.worker:
        print_result(worker())
    else:
        sys.exit(0 if main(arguments) else 1)
