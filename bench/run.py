"""Run Sentra's benchmarks: `make bench`, or `python bench/run.py [name ...] [--businesses N]`.

Each bench is a module `bench/<name>_bench.py` with `main(options) -> bool`
(True when every target is met); it prints its own results. Later benches
register in BENCHES below.
"""

import argparse
import importlib
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BENCHES = ["registry", "import", "export", "linkage", "dashboard", "kbli"]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", metavar="name", help=f"benches to run: {', '.join(BENCHES)} (default: all)")
    parser.add_argument("--businesses", type=int, default=1_000_000, help="registry size to measure on")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per case")
    parser.add_argument(
        "--dashboard-requests", type=int, default=30, help="timed requests per dashboard case (the issue's p95 of 30)"
    )
    parser.add_argument("--no-postgres", action="store_true", help="measure on SQLite only")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    options = parse_args(argv)
    unknown = set(options.names) - set(BENCHES)
    if unknown:
        print(f"Unknown bench {', '.join(sorted(unknown))}; choose from {', '.join(BENCHES)}.", file=sys.stderr)
        return 2
    sys.path.insert(0, str(BENCH_DIR))
    results: dict[str, bool] = {}
    for name in options.names or BENCHES:
        module = importlib.import_module(f"{name}_bench")
        print(f"\n=== {name} bench ===", flush=True)
        started = time.perf_counter()
        results[name] = module.main(options)
        print(f"=== {name} bench: {'PASS' if results[name] else 'FAIL'} ({time.perf_counter() - started:.0f} s) ===")
    failed = [name for name, ok in results.items() if not ok]
    summary = f"{len(results) - len(failed)}/{len(results)} benches met their targets"
    print(f"\n{summary}; FAIL: {', '.join(failed)}" if failed else f"\n{summary}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
