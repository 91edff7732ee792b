"""Reads of the KBLI table for pickers and filters."""

from django.db.models import QuerySet

from sentra.kbli.models import Kbli, KbliLevel
from sentra.kbli.suggest import ranked_codes


def search_subclasses(query: str, limit: int = 20) -> list[Kbli]:
    """Five-digit KBLI codes for what was typed, best first.

    Words are ranked by meaning against the titles, the examples of their scope notes and the curated
    phrases (`suggest.KbliIndex`): a code needs no typed word but one to be found, and the last word
    may be unfinished. Numbers narrow to codes starting with them; numbers alone list codes in order.
    """
    words = query.split()
    prefixes = [word for word in words if word.isdigit()]
    text = " ".join(word for word in words if not word.isdigit())
    subclasses = Kbli.objects.filter(level=KbliLevel.SUBCLASS)
    for prefix in prefixes:
        subclasses = subclasses.filter(code__startswith=prefix)
    if not text.strip():
        return list(subclasses.order_by("code")[:limit])
    codes = ranked_codes(text, limit=limit if not prefixes else 2000)
    if prefixes:
        codes = [code for code in codes if all(code.startswith(prefix) for prefix in prefixes)][:limit]
    found = subclasses.in_bulk(codes)
    return [found[code] for code in codes if code in found]


def sections() -> QuerySet[Kbli]:
    return Kbli.objects.filter(level=KbliLevel.SECTION).order_by("code")
