"""Dashboard pages: parse the area, period and year asked for, call one selector, render.

Charts are drawn in the browser by static/sentra/dashboards.js from a small
spec per chart (labels, and per dataset the counts and the list address behind
each bar), handed over with `json_script`; every chart's numbers are also in a
table beside it.
"""

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sentra.dashboards import home, selectors
from sentra.dashboards.selectors import Breakdown, Comparison, Dashboard, Figure
from sentra.registry.history import EARLIEST_DATE, LATEST_DATE
from sentra.registry.licences import EXPIRING_WITHIN_DAYS

LICENCES_PER_PAGE = 50
EXPIRY_SPANS = (30, 90, 180)  # the days ahead (or back) the expiring licences page offers

# The figures the comparison puts side by side, besides the funnel.
COMPARED_BREAKDOWNS = ("size", "maturity", "sex")
COMPARED_SLOTS = 3  # area pickers shown on the comparison page (the selector compares up to 4)


def _date_param(request: HttpRequest, name: str) -> dt.date | None:
    """The date in `name`, or None when it is missing, malformed or outside any registry's life."""
    try:
        value = dt.date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return None
    return value if EARLIEST_DATE <= value <= LATEST_DATE else None


def _year_param(request: HttpRequest) -> int | None:
    value = request.GET.get("tahun", "")
    return int(value) if value.isdigit() and EARLIEST_DATE.year < int(value) <= LATEST_DATE.year else None


def _chart(
    chart_id: str,
    title: str,
    labels: list[str],
    datasets: list[tuple[str, list[Figure]]],
    horizontal: bool = True,
    stacked: bool = False,
) -> dict[str, Any]:
    """What dashboards.js draws: one dataset per (name, figures), each bar linking to its figure's list."""
    return {
        "id": chart_id,
        "title": title,
        "horizontal": horizontal,
        "stacked": stacked,
        "labels": labels,
        "datasets": [
            {"label": name, "counts": [f.count for f in figures], "urls": [f.url for f in figures]}
            for name, figures in datasets
        ],
    }


def _breakdown_chart(breakdown: Breakdown) -> dict[str, Any]:
    return _chart(
        f"chart-{breakdown.key}",
        breakdown.title,
        [
            f.label if f.in_use else _("%(area)s (belum menggunakan Sentra)") % {"area": f.label}
            for f in breakdown.figures
        ],
        [(breakdown.title, breakdown.figures)],
    )


@login_required
@require_GET
def office_dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    start, end = _date_param(request, "dari"), _date_param(request, "sampai")
    if start or end:
        start = start or today.replace(month=1, day=1)
        end = end or today
        if end < start:
            start, end = end, start
    dashboard = selectors.office_dashboard(request.user, request.GET.get("wilayah") or None, start, end)
    flow = dashboard.flow
    status_changes = [(flow.status_labels[status], figures) for status, figures in flow.status_changes.items()]
    context = {
        "dashboard": dashboard,
        "area": dashboard.area,
        "breakdowns": [(b, _breakdown_chart(b)) for b in dashboard.breakdowns],
        "registrations_chart": _chart(
            "chart-registrations",
            _("Pendaftaran baru per bulan"),
            flow.labels,
            [(_("Pendaftaran baru"), flow.registrations)],
            horizontal=False,
        ),
        "status_chart": _chart(
            "chart-status-changes",
            _("Perubahan status per bulan"),
            flow.labels,
            status_changes,
            horizontal=False,
            stacked=True,
        ),
        # One row per month: its label, its registrations, its status changes in status order.
        "flow_rows": list(
            zip(flow.labels, flow.registrations, zip(*flow.status_changes.values(), strict=True), strict=True)
        ),
        "status_labels": [flow.status_labels[status] for status in flow.status_changes],
    }
    return render(request, "dashboards/office.html", context)


@login_required
@require_GET
def province_rollup(request: HttpRequest) -> HttpResponse:
    rollup = selectors.province_rollup(request.user, request.GET.get("wilayah") or None, _year_param(request))
    chart = _chart(
        "chart-rollup",
        _("UMKM terdaftar per wilayah"),
        [row.area.name for row in rollup.rows],
        [(_("Terdaftar"), [row.registered for row in rollup.rows])],
    )
    context = {
        "rollup": rollup,
        "area": rollup.area,
        "chart": chart,
        "size_labels": [figure.label for figure in rollup.total.sizes],
        "this_year": timezone.localdate().year,
    }
    return render(request, "dashboards/rollup.html", context)


def _aligned(columns: list[Dashboard], key: str) -> tuple[str, list[tuple[str, list[Figure | None]]]]:
    """One breakdown of every compared area as rows: (label, one figure per area or None)."""
    title, rows = "", {}
    for index, dashboard in enumerate(columns):
        breakdown = next((b for b in dashboard.breakdowns if b.key == key), None)
        if breakdown is None:
            continue
        title = breakdown.title
        for figure in breakdown.figures:
            rows.setdefault(figure.key, (figure.label, [None] * len(columns)))[1][index] = figure
    return title, list(rows.values())


def _side_by_side(result: Comparison) -> list[tuple[str, list[tuple[str, list[Figure | None]]]]]:
    """The funnel, then the compared breakdowns, each as rows of one figure per area."""
    funnel_rows = [(stage[0].label, list(stage)) for stage in zip(*(c.funnel for c in result.columns), strict=True)]
    return [(_("Corong UMKM"), funnel_rows)] + [_aligned(result.columns, key) for key in COMPARED_BREAKDOWNS]


def _years_chart(result: Comparison, index: int) -> dict[str, Any]:
    """The `index`th area's registrations by month, this year's bar beside last year's."""
    return _chart(
        f"chart-compare-{index}",
        result.areas[index].name,
        result.labels,
        [(str(result.year), result.this_year[index]), (str(result.year - 1), result.last_year[index])],
        horizontal=False,
    )


@login_required
@require_GET
def comparison(request: HttpRequest) -> HttpResponse:
    user = request.user
    picked = request.GET.getlist("wilayah")
    # The first picker has no "none": empty there is the user's own area (the country for superusers).
    codes = picked[:1] + [code for code in picked[1:] if code]
    result = selectors.compare(user, codes, _year_param(request))
    home = selectors.home_area(user)
    slots = [area.code for area in result.areas]
    slots += [None] * max(0, COMPARED_SLOTS - len(slots))
    years = list(zip(result.this_year, result.last_year, strict=True))  # per area: registrations by month
    context = {
        "comparison": result,
        "choices": [home, *selectors.child_areas(home)],
        "slots": slots,
        "sections": _side_by_side(result),
        "charts": [(area, _years_chart(result, index)) for index, area in enumerate(result.areas)],
        # Per month: per area, (this year's figure, last year's).
        "month_rows": [
            (label, [(now[month], before[month]) for now, before in years]) for month, label in enumerate(result.labels)
        ],
        # Per area: per kind of move, (this year's, last year's).
        "move_rows": [
            (area, list(zip(now, before, strict=True)))
            for area, now, before in zip(result.areas, result.moves_this_year, result.moves_last_year, strict=True)
        ],
        "this_label": str(result.year),
        "last_label": str(result.year - 1),
        "this_year": timezone.localdate().year,
    }
    return render(request, "dashboards/compare.html", context)


@login_required
@require_GET
def data_quality(request: HttpRequest) -> HttpResponse:
    panel = selectors.data_quality(request.user, request.GET.get("wilayah") or None)
    return render(request, "dashboards/quality.html", {"panel": panel, "area": panel.area})


@login_required
@require_GET
def home_page(request: HttpRequest) -> HttpResponse:
    """What needs doing today (an officer), or the headline and last week's changes (a head, a province)."""
    user = request.user
    if not user.is_superuser and user.office_id is None:
        return redirect("registry:business_list")
    context: dict[str, Any] = {"home": home.home_for(user)}
    context["area"] = context["home"].area
    if context["home"].rollup is not None:
        context["rollup"] = context["home"].rollup
        context["size_labels"] = [figure.label for figure in context["rollup"].total.sizes]
    return render(request, "dashboards/home.html", context)


@login_required
@require_GET
def licences_expiring(request: HttpRequest) -> HttpResponse:
    """Licences expiring soon (or expired lately) of the UMKM the user may change, to remind their owners."""
    days = int(request.GET["hari"]) if request.GET.get("hari", "").isdigit() else EXPIRING_WITHIN_DAYS
    days = days if days in EXPIRY_SPANS else EXPIRING_WITHIN_DAYS
    expired = request.GET.get("sudah") == "1"
    page = Paginator(home.licences_expiring(request.user, days=days, expired=expired), LICENCES_PER_PAGE).get_page(
        request.GET.get("hal")
    )
    context = {
        "page": page,
        "rows": home.with_owners(request.user, list(page)),
        "days": days,
        "spans": EXPIRY_SPANS,
        "expired": expired,
    }
    return render(request, "dashboards/licences.html", context)
