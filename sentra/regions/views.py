"""htmx endpoints behind the cascading region pickers."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sentra.regions.selectors import LEVELS, region_options, search_villages

PARENT_LEVEL = {"regency": "province", "district": "regency", "village": "district"}


@login_required
@require_GET
def options(request: HttpRequest, level: str) -> HttpResponse:
    """`<option>`s of one level under the parent the picker sent (`parent` or `pick-<level>`)."""
    if level not in LEVELS:
        raise Http404
    parent = request.GET.get("parent") or request.GET.get(f"pick-{PARENT_LEVEL.get(level, '')}", "")
    query = request.GET.get("q", "").strip()
    if level == "village" and query:
        # Typed search looks through the chosen district, else the whole chosen regency.
        within = request.GET.get("pick-district") or request.GET.get("pick-regency", "")
        villages = search_villages(query, within) if within else []
        return render(request, "regions/_village_matches.html", {"villages": villages, "query": query})
    regions = region_options(level, parent, query)
    return render(request, "regions/_options.html", {"regions": regions, "selected": request.GET.get("selected", "")})
