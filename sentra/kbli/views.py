"""htmx endpoint behind the KBLI picker."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sentra.kbli.models import Kbli, KbliLevel
from sentra.kbli.selectors import search_subclasses
from sentra.kbli.suggest import suggest_one


@login_required
@require_GET
def options(request: HttpRequest) -> HttpResponse:
    """The picker's options for what was typed in its search box; or, as the officer types the form's
    "jenis usaha" (`<prefix>-activity`), the codes for that activity, a confident suggestion first.

    Nothing is chosen for the officer (a wrong code is worse than none), and a code they already
    chose (`<prefix>-kbli`) stays chosen: typing on in the activity never throws a decision away.
    """
    prefix = request.GET.get("prefix", "")
    name = f"{prefix}-" if prefix else ""
    activity = request.GET.get(f"{name}activity", "").strip()[:200] if prefix else ""
    query = activity or (request.GET.get("q") or request.GET.get("kbli-q", "")).strip()
    codes = search_subclasses(query) if query else []
    chosen = None
    if prefix:
        chosen = Kbli.objects.filter(level=KbliLevel.SUBCLASS, code=request.GET.get(f"{name}kbli", "")[:5]).first()
    suggestion = suggest_one(activity) if activity else None
    first = [kbli for kbli in (chosen,) if kbli is not None]
    if suggestion is not None and (chosen is None or chosen.code != suggestion.code):
        first.append(
            next((kbli for kbli in codes if kbli.code == suggestion.code), None)
            or Kbli.objects.get(code=suggestion.code)
        )
    ahead = {kbli.code for kbli in first}
    context = {
        "codes": [*first, *(kbli for kbli in codes if kbli.code not in ahead)],
        "query": query,
        "from_activity": bool(activity),
        "chosen": chosen.code if chosen else "",
        "suggestion": suggestion,
    }
    return render(request, "kbli/_options.html", context)
