"""htmx endpoint behind the KBLI picker."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sentra.kbli.selectors import search_subclasses


@login_required
@require_GET
def options(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or request.GET.get("kbli-q", "")).strip()
    codes = search_subclasses(query) if query else []
    return render(request, "kbli/_options.html", {"codes": codes, "query": query})
