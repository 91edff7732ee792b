"""KBLI search for clients."""

from ninja import Router, Schema

from sentra.kbli.selectors import search_subclasses

router = Router(tags=["kbli"])


class KbliOut(Schema):
    code: str
    section: str
    title: str


@router.get("/", response=list[KbliOut])
def search_kbli(request, q: str):
    """Five-digit KBLI 2020 codes whose code starts with, or title contains, what was typed."""
    return search_subclasses(q)
