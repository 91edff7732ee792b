"""Exporting the registry list on a million UMKM: seconds, rows and peak memory per format and layout.

Uses the databases bench/registry_bench.py seeds (and seeds them the same way
when they are missing). Each database runs in its own subprocess; the export
is requested through Django's test client as a regency officer, and its body
is read and thrown away as a browser would save it. A thread samples the
process's resident memory, so the peak shows whether memory stays bounded
while hundreds of thousands of rows go through.

Register in bench/run.py with `BENCHES = ["registry", "export"]`, or run alone:
`.venv/bin/python bench/export_bench.py [--businesses N] [--no-postgres]`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import registry_bench  # noqa: E402 (the bench directory is not a package)
from _harness import ROOT, print_result, run_in_subprocess  # noqa: E402

OFFICER = registry_bench.OFFICER
# Peak resident memory the export may add over what the process held before it (MB).
TARGET_PEAK_GROWTH_MB = 150.0
CASES = [("csv", "canonical"), ("xlsx", "canonical"), ("csv", "sidt"), ("xlsx", "sidt")]


# ---------------------------------------------------------------------------
# Parent
# ---------------------------------------------------------------------------


def run(database_label: str, url: str, businesses: int = 1_000_000, cases: list[str] | None = None) -> dict | None:
    """Export on one database (a subprocess with DATABASE_URL set); prints and returns the results."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "sentra.settings", "DEBUG": "0"}
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", f"--businesses={businesses}"]
    # Seeding runs in a process of its own, so that its memory does not hide the export's.
    if subprocess.run([*command, "--prepare"], cwd=ROOT, env=env, check=False).returncode != 0:
        print(f"{database_label}: preparing the database failed.")
        return None
    arguments = [f"--businesses={businesses}", *([f"--cases={','.join(cases)}"] if cases else [])]
    return run_in_subprocess(database_label, url, __file__, arguments)


def main(options: argparse.Namespace) -> bool:
    ok = True
    summaries = []
    for label, url in registry_bench.targets(options.businesses, postgres=not options.no_postgres):
        result = run(label, url, options.businesses, getattr(options, "cases", None))
        if result is None:
            ok = False
            continue
        summaries.append((label, result))
        ok &= all(case["pass"] for case in result["cases"])
    if summaries:
        print(f"\nSummary (peak memory growth target: ≤ {TARGET_PEAK_GROWTH_MB:.0f} MB)")
        for label, result in summaries:
            print(f"  {label}: {result['businesses']:,} UMKM, exporting as {OFFICER}")
            for case in result["cases"]:
                print(f"    {format_case(case)}  {'PASS' if case['pass'] else 'FAIL'}")
    return ok and bool(summaries)


def format_case(case: dict) -> str:
    return (
        f"{case['name']:<16} {case['rows']:>9,} rows  {case['seconds']:7.1f} s  "
        f"{case['rows_per_second']:>8,.0f} rows/s  {case['megabytes']:7.1f} MB file  "
        f"peak RSS {case['peak_rss_mb']:6.0f} MB (+{case['peak_growth_mb']:.0f} MB)"
    )


# ---------------------------------------------------------------------------
# Worker
# ---------------------------------------------------------------------------


def resident_mb() -> float:
    """This process's resident memory now (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class PeakSampler:
    """Samples resident memory every few milliseconds while the block runs."""

    def __init__(self, interval: float = 0.02) -> None:
        self.interval = interval
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, resident_mb())
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakSampler:
        self.peak = resident_mb()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, resident_mb())


def export_case(client, file_format: str, layout: str) -> dict:
    import gc

    from django.urls import reverse

    gc.collect()
    before = resident_mb()
    started = time.perf_counter()
    size = 0
    lines = 0
    with PeakSampler() as sampler:
        response = client.get(reverse("registry:business_export"), {"format": file_format, "layout": layout})
        if response.status_code != 200:
            raise RuntimeError(f"export {file_format}/{layout} answered {response.status_code}")
        for part in response.streaming_content:
            size += len(part)
            if file_format == "csv":
                lines += part.count(b"\n")
    seconds = time.perf_counter() - started
    return {
        "name": f"{file_format}, {layout}",
        "seconds": seconds,
        "megabytes": size / 1e6,
        "peak_rss_mb": sampler.peak,
        "peak_growth_mb": sampler.peak - before,
        "csv_lines": lines,
    }


def prepare(businesses: int) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    registry_bench.prepare_database(businesses)


def worker(cases: list[tuple[str, str]]) -> dict:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from sentra.accounts.models import User
    from sentra.registry import selectors
    from sentra.registry.models import Business

    user = User.objects.get(username=OFFICER)
    _filters, queryset = selectors.filtered_businesses(user, {})
    rows = queryset.count()
    client = Client()
    client.force_login(user)
    print(f"\n{connection.vendor}: exporting {rows:,} UMKM as {OFFICER}", flush=True)
    results = []
    for file_format, layout in cases:
        case = export_case(client, file_format, layout)
        case["rows"] = rows
        case["rows_per_second"] = rows / case["seconds"] if case["seconds"] else 0.0
        if file_format == "csv" and case["csv_lines"] != rows + 1:
            raise RuntimeError(f"{case['name']}: {case['csv_lines']:,} lines for {rows:,} rows")
        case["pass"] = case["peak_growth_mb"] <= TARGET_PEAK_GROWTH_MB
        results.append(case)
        print(f"  {format_case(case)}", flush=True)
    return {"vendor": connection.vendor, "businesses": Business.objects.count(), "cases": results}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true", help="measure the database named by DATABASE_URL")
    parser.add_argument("--businesses", type=int, default=1_000_000)
    parser.add_argument("--prepare", action="store_true", help="with --worker: migrate and seed only")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--cases", default=",".join(f"{f}-{layout}" for f, layout in CASES), help="e.g. csv-sidt")
    arguments = parser.parse_args()
    chosen = [tuple(name.split("-", 1)) for name in arguments.cases.split(",") if name]
    if arguments.worker and arguments.prepare:
        prepare(arguments.businesses)
    elif arguments.worker:
        print_result(worker(chosen))  # type: ignore[arg-type]
    else:
        arguments.cases = [f"{f}-{layout}" for f, layout in chosen]
        sys.exit(0 if main(arguments) else 1)
