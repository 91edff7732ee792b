"""Reads of the KBLI table for pickers and filters."""

from django.db.models import Q, QuerySet

from sentra.kbli.models import Kbli, KbliLevel


def search_subclasses(query: str, limit: int = 20) -> QuerySet[Kbli]:
    """Five-digit KBLI codes whose code starts with, or title contains, every word typed."""
    result = Kbli.objects.filter(level=KbliLevel.SUBCLASS)
    words = query.split()
    for word in words:
        if word.isdigit():
            result = result.filter(code__startswith=word)
        else:
            result = result.filter(Q(title__icontains=word) | Q(description__icontains=word))
    return result.order_by("code")[:limit]


def sections() -> QuerySet[Kbli]:
    return Kbli.objects.filter(level=KbliLevel.SECTION).order_by("code")
