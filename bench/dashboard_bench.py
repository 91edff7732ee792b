"""Dashboards on a million UMKM: p50/p95 of the office dashboard and the province roll-up, on SQLite and PostgreSQL.

Uses the databases bench/registry_bench.py seeds (and seeds them the same way
when they are missing). Each database runs in its own subprocess; pages are
requested through Django's test client, logged in as Blora's officer
(`/dasbor/`, ~460,000 UMKM) and Lampung's province viewer (`/dasbor/provinsi/`,
three regencies, ~430,000 UMKM). The baseline is a trivial authenticated page
measured in the same run, so ratios hold on slow and fast machines alike.

The main case makes one real edit through the registry services before every
timed request (the status of a business in the area's largest village, to
and fro), so each request must recount what the edit made stale: figures are
right the moment data changes. The read-only case makes no edit in between.

After timing, the figures a page rendered are compared with plain aggregate
queries over the registry; the bench fails on any difference, and when the
page does not show the registered total.

Run alone: `.venv/bin/python bench/dashboard_bench.py [--businesses N] [--requests N] [--no-postgres]`.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import registry_bench  # noqa: E402 (the bench directory is not a package)
from _harness import ROOT, print_result, run_in_subprocess  # noqa: E402

OFFICER = registry_bench.OFFICER  # blora.petugas
PROVINCE_VIEWER = "lampung.provinsi"
DASHBOARD_TARGET_P95_MS = 300.0
HOME_TARGET_P95_MS = 300.0  # the home page: the officer's work waiting, the head's headline and last week's changes
HEAD = "blora.admin"  # an office head: the work waiting and the headline
ROLLUP_TARGET_P95_MS = 500.0
REQUESTS = 30  # the "p95 of 30 requests"
WARMUP = 3
BASELINE_URL = "/api/regions/provinces"


# ---------------------------------------------------------------------------
# Parent: one subprocess per database
# ---------------------------------------------------------------------------


def main(options: argparse.Namespace) -> bool:
    requests = getattr(options, "dashboard_requests", None) or REQUESTS
    ok = True
    summaries = []
    for label, url in registry_bench.targets(options.businesses, postgres=not options.no_postgres):
        arguments = [f"--businesses={options.businesses}", f"--requests={requests}"]
        result = run_in_subprocess(label, url, __file__, arguments)
        if result is None:
            ok = False
            continue
        summaries.append((label, result))
        ok &= all(case["pass"] for case in result["cases"]) and all(check["ok"] for check in result["checks"])
    if summaries:
        print(
            f"\nSummary (p95 targets: dashboard ≤ {DASHBOARD_TARGET_P95_MS:.0f} ms, "
            f"roll-up ≤ {ROLLUP_TARGET_P95_MS:.0f} ms; {requests} requests per case)"
        )
        for label, result in summaries:
            seed = f"seeded in {result['seed_seconds']:.0f} s" if result["seed_seconds"] else "already seeded"
            print(f"  {label}: {result['businesses']:,} UMKM, {seed}")
            for case in result["cases"]:
                verdict = ("PASS" if case["pass"] else "FAIL") if case["target"] else "baseline"
                print(
                    f"    {case['name']:<40} p50 {case['p50']:7.1f} ms  p95 {case['p95']:7.1f} ms  "
                    f"×{case['p95_ratio']:5.1f} baseline  {verdict}"
                )
            for check in result["checks"]:
                print(f"    figures {check['name']:<32} {'right' if check['ok'] else 'WRONG'}: {check['detail']}")
    return ok and bool(summaries)


# ---------------------------------------------------------------------------
# Worker: one database
# ---------------------------------------------------------------------------


def thousands(number: int) -> str:
    """`460.123`, as the pages write numbers."""
    return f"{number:,}".replace(",", ".")


class StatusFlipper:
    """Before each request: one real edit through the registry services, a business's status to and fro.

    The business lies in the area's largest village, so the recount a request
    pays for is the largest one the area has.
    """

    def __init__(self, area: str, largest_village: str) -> None:
        from sentra.accounts.models import User
        from sentra.registry.models import Business, OperatingStatus

        self.business_id, self.village = (
            Business.objects.filter(village_id=largest_village, status=OperatingStatus.ACTIVE)
            .order_by("pk")
            .values_list("pk", "village_id")
            .first()
        )
        self.original = OperatingStatus.ACTIVE
        # An officer of the business's own regency, as in the office's daily work; else the superuser.
        editor = (
            User.objects.filter(
                office__regency_id=largest_village[:5], office__kind="koperasi_ukm", role="officer", is_active=True
            )
            .order_by("pk")
            .first()
        )
        self.editor = editor or User.objects.filter(is_superuser=True).order_by("pk").first()
        self.edits = 0
        assert area and largest_village.startswith(area + ".")

    def __call__(self) -> None:
        from sentra.registry.models import Business, OperatingStatus
        from sentra.registry.services import verify_business_status

        business = Business.objects.get(pk=self.business_id)
        status = OperatingStatus.DORMANT if business.status == OperatingStatus.ACTIVE else OperatingStatus.ACTIVE
        verify_business_status(actor=self.editor, business=business, status=status)
        self.edits += 1

    def restore(self) -> None:
        from sentra.registry.models import Business
        from sentra.registry.services import verify_business_status

        business = Business.objects.get(pk=self.business_id)
        if business.status != self.original:
            verify_business_status(actor=self.editor, business=business, status=self.original)


def time_requests(client, url: str, requests: int, before: Callable[[], None] | None, expect: str) -> list[float]:
    """Milliseconds per GET of `url` (`before()` runs untimed ahead of each), after a few warm-up requests."""
    timings = []
    for number in range(WARMUP + requests):
        if before is not None:
            before()
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
        if number < WARMUP:
            if expect not in response.content.decode():
                raise RuntimeError(f"GET {url} did not show {expect!r}")
            continue
        timings.append(elapsed)
    return timings


def slowest_query(client, url: str, before: Callable[[], None] | None) -> tuple[float, str, int]:
    """(ms, SQL, number of queries) of one request of `url`, `before()` run first and not counted."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if before is not None:
        before()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    slowest = max(captured.captured_queries, key=lambda query: float(query["time"]))
    return float(slowest["time"]) * 1000, registry_bench.short_sql(slowest["sql"]), len(captured.captured_queries)


def rendered(client, url: str, kind: type) -> tuple[object | None, str]:
    """The object of type `kind` the page's template was given (None if none was), and the page's text.

    Django's test instrumentation records template contexts; it is switched on for this one request only,
    since it slows rendering.
    """
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    try:
        response = client.get(url)
    finally:
        teardown_test_environment()
    found = None
    for context in response.context or []:
        for layer in context.dicts if hasattr(context, "dicts") else [context]:
            for value in layer.values() if isinstance(layer, dict) else []:
                if isinstance(value, kind):
                    found = value
    return found, response.content.decode()


def shows_number(page: str, number: int) -> bool:
    """Whether the page shows `number` with Indonesian thousand separators (or bare, under 1.000)."""
    return re.search(rf"(?<![\d.,]){re.escape(thousands(number))}(?![\d]|[.,]\d)", page) is not None


def differences(name: str, got: dict, expected: dict) -> list[str]:
    keys = set(got) | set(expected)
    return [
        f"{name}[{key!r}]: page {got.get(key, 0)}, plain query {expected.get(key, 0)}"
        for key in sorted(keys, key=str)
        if got.get(key, 0) != expected.get(key, 0)
    ]


def plain_counts(businesses, field: str) -> dict:
    from django.db.models import Count

    return {row[field]: row["n"] for row in businesses.order_by().values(field).annotate(n=Count("id"))}


def check_dashboard(dashboard, regency: str) -> list[str]:
    """Every count of the office dashboard against plain aggregate queries over the regency's businesses."""
    from django.db.models import Count
    from django.utils import timezone

    from sentra.registry.licences import valid_on
    from sentra.registry.models import Business, Licence, Maturity, OperatingStatus

    businesses = Business.objects.filter(regency_id=regency)
    problems = []
    status = plain_counts(businesses, "status")
    funnel = {figure.key: figure.count for figure in dashboard.funnel}
    expected_funnel = {
        "registered": sum(status.values()),
        "operating": status.get(OperatingStatus.ACTIVE, 0),
        "innovating": businesses.filter(status=OperatingStatus.ACTIVE, maturity=Maturity.DIGITAL).count(),
    }
    problems += differences("funnel", funnel, expected_funnel)
    expected = {
        "area": plain_counts(businesses, "district_id"),
        "section": plain_counts(businesses, "kbli_section"),
        "size": plain_counts(businesses, "size_class"),
        "maturity": plain_counts(businesses, "maturity"),
        "status": status,
        "sex": plain_counts(businesses, "owner__sex"),
        "office": {
            str(row["office_id"]): row["n"]
            for row in Business.fostering_offices.through.objects.filter(business__regency_id=regency)
            .values("office_id")
            .annotate(n=Count("business_id"))
        },
        "licence": {
            row["kind"]: row["n"]
            for row in Licence.objects.filter(valid_on(timezone.localdate()), business__regency_id=regency)
            .order_by()
            .values("kind")
            .annotate(n=Count("business_id", distinct=True))
        },
    }
    shown = {breakdown.key: breakdown for breakdown in dashboard.breakdowns}
    for key, counts in expected.items():
        if key not in shown:
            problems.append(f"the dashboard has no {key} breakdown")
            continue
        got = {figure.key: figure.count for figure in shown[key].figures if figure.count}
        problems += differences(key, got, {k: v for k, v in counts.items() if v})
    return problems


def check_rollup(rollup, province: str) -> list[str]:
    """Each regency row (and the total) of the province roll-up against plain aggregate queries."""
    from django.db.models import Count, Q

    from sentra.registry.models import Business, Maturity, OperatingStatus, Sex
    from sentra.registry.sizing import SizeClass

    aggregates = {
        "registered": Count("id"),
        "operating": Count("id", filter=Q(status=OperatingStatus.ACTIVE)),
        "innovating": Count("id", filter=Q(status=OperatingStatus.ACTIVE, maturity=Maturity.DIGITAL)),
        "women": Count("id", filter=Q(owner__sex=Sex.FEMALE)),
        **{f"size:{size}": Count("id", filter=Q(size_class=size)) for size in SizeClass.values},
    }
    rows = Business.objects.filter(province_id=province).order_by().values("regency_id").annotate(**aggregates)
    expected = {row.pop("regency_id"): row for row in rows}
    expected["total"] = dict(sum((Counter(row) for row in expected.values()), Counter()))

    def shown(row) -> dict:
        values = {
            "registered": row.registered.count,
            "operating": row.operating.count,
            "innovating": row.innovating.count,
            "women": row.women.count,
        }
        values.update({f"size:{figure.key}": figure.count for figure in row.sizes})
        return values

    got = {row.area.code: shown(row) for row in rollup.rows if row.registered.count}
    got["total"] = shown(rollup.total)
    problems = []
    for code in sorted(set(got) | set(expected)):
        problems += differences(code, got.get(code, {}), expected.get(code, {}))
    return problems


def case_result(name: str, url: str, timings: list[float], target: float | None, baseline: tuple[float, float]):
    p50, p95 = registry_bench.percentile(timings, 0.5), registry_bench.percentile(timings, 0.95)
    return {
        "name": name,
        "url": url,
        "p50": p50,
        "p95": p95,
        "mean": statistics.fmean(timings),
        "p50_ratio": p50 / baseline[0] if baseline[0] else 0.0,
        "p95_ratio": p95 / baseline[1] if baseline[1] else 0.0,
        "target": target,
        "pass": p95 <= target if target else True,
    }


def worker(businesses: int, requests: int) -> dict:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from sentra.accounts.models import User
    from sentra.dashboards.models import StaleVillage
    from sentra.dashboards.selectors import Dashboard, Rollup, office_dashboard, province_rollup
    from sentra.registry.models import Business

    seed_seconds = registry_bench.prepare_database(businesses)
    total = Business.objects.count()
    officer = User.objects.get(username=OFFICER)
    viewer = User.objects.get(username=PROVINCE_VIEWER)
    regency, province = officer.office.regency_id, viewer.office.province_id

    def largest_village(**area: str) -> str:
        rows = Business.objects.filter(**area).order_by().values("village_id").annotate(n=Count("id"))
        return rows.order_by("-n").first()["village_id"]

    blora_edit = StatusFlipper(regency, largest_village(regency_id=regency))
    lampung_edit = StatusFlipper(province, largest_village(province_id=province))
    officer_client, viewer_client, head_client = Client(), Client(), Client()
    officer_client.force_login(officer)
    viewer_client.force_login(viewer)
    head_client.force_login(User.objects.get(username=HEAD))
    home_url = reverse("home")
    dashboard_url, rollup_url = reverse("dashboards:office"), reverse("dashboards:rollup")

    # A first edit must leave its village stale, or the main case would measure no recount.
    blora_edit()
    if not StaleVillage.objects.filter(village_code=blora_edit.village).exists():
        raise RuntimeError("an edit through the services did not mark its village stale")

    cases = [
        # name, client, url, edit before each request, target, text the page must show
        ("baseline: " + BASELINE_URL, officer_client, BASELINE_URL, None, None, "Jawa Tengah"),
        (
            "dashboard, an edit before each request",
            officer_client,
            dashboard_url,
            blora_edit,
            DASHBOARD_TARGET_P95_MS,
            "Blora",
        ),
        ("dashboard, read only", officer_client, dashboard_url, None, DASHBOARD_TARGET_P95_MS, "Blora"),
        (
            "roll-up, an edit before each request",
            viewer_client,
            rollup_url,
            lampung_edit,
            ROLLUP_TARGET_P95_MS,
            "Lampung",
        ),
        ("roll-up, read only", viewer_client, rollup_url, None, ROLLUP_TARGET_P95_MS, "Lampung"),
        ("home, officer: work waiting", officer_client, home_url, None, HOME_TARGET_P95_MS, "Yang perlu dikerjakan"),
        (
            "home, head: work and headline, an edit",
            head_client,
            home_url,
            blora_edit,
            HOME_TARGET_P95_MS,
            "Angka utama",
        ),
        ("home, province: headline and roll-up", viewer_client, home_url, None, HOME_TARGET_P95_MS, "Per kabupaten"),
    ]
    print(
        f"\n{connection.vendor}: {total:,} UMKM; {requests} requests per case "
        f"({OFFICER}: regency {regency}, edits in {blora_edit.village}; "
        f"{PROVINCE_VIEWER}: province {province}, edits in {lampung_edit.village})",
        flush=True,
    )
    results = []
    baseline = (0.0, 0.0)
    for name, client, url, before, target, expect in cases:
        timings = time_requests(client, url, requests, before, expect)
        case = case_result(name, url, timings, target, baseline)
        if target is None:
            baseline = (case["p50"], case["p95"])
            case = case_result(name, url, timings, target, baseline)
        ms, sql, queries = slowest_query(client, url, before)
        case.update(slowest_query_ms=ms, slowest_query=sql, queries=queries)
        results.append(case)
        verdict = ("PASS" if case["pass"] else "FAIL") if target else ""
        print(
            f"  {name:<40} p50 {case['p50']:7.1f} ms  p95 {case['p95']:7.1f} ms  "
            f"×{case['p50_ratio']:5.1f} / ×{case['p95_ratio']:5.1f} baseline  {verdict}",
            flush=True,
        )
        print(f"      {queries} queries; slowest {ms:6.1f} ms: {sql[:240]}{'…' if len(sql) > 240 else ''}", flush=True)

    # The figures the pages render, after one more edit each, against plain aggregate queries.
    checks = []
    for name, client, url, edit, kind, select, check, user, area in (
        ("dashboard " + regency, officer_client, dashboard_url, blora_edit, Dashboard, office_dashboard,
         check_dashboard, officer, regency),
        ("roll-up " + province, viewer_client, rollup_url, lampung_edit, Rollup, province_rollup,
         check_rollup, viewer, province),
    ):  # fmt: skip
        edit()
        figures, page = rendered(client, url, kind)
        source = "as rendered"
        if figures is None:
            figures, source = select(user), "from the selector (the page's context holds none)"
        problems = check(figures, area)
        registered = Business.objects.filter(**{f"{'regency' if len(area) == 5 else 'province'}_id": area}).count()
        if not shows_number(page, registered):
            problems.append(f"the page does not show the registered total {thousands(registered)}")
        detail = "; ".join(problems[:5]) if problems else f"{thousands(registered)} UMKM, every count {source}"
        checks.append({"name": name, "ok": not problems, "detail": detail, "problems": problems})
        print(f"  figures {name:<32} {'right' if not problems else 'WRONG'}: {detail}", flush=True)
    blora_edit.restore()
    lampung_edit.restore()
    return {
        "vendor": connection.vendor,
        "businesses": total,
        "seed_seconds": seed_seconds,
        "cases": results,
        "checks": checks,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true", help="measure the database named by DATABASE_URL")
    parser.add_argument("--businesses", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--no-postgres", action="store_true")
    arguments = parser.parse_args()
    if arguments.worker:
        print_result(worker(arguments.businesses, arguments.requests))
    else:
        arguments.dashboard_requests = arguments.requests
        sys.exit(0 if main(arguments) else 1)
