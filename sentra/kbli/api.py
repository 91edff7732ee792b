"""KBLI search for clients."""

from django.http import HttpRequest
from ninja import Router, Schema

from sentra.accounts.api import access
from sentra.accounts.models import TokenScope
from sentra.core.api import Text, responses
from sentra.kbli.selectors import search_subclasses

router = Router(tags=["kbli"], auth=access(TokenScope.KBLI_READ))


class KbliOut(Schema):
    code: str
    section: str
    title: str


@router.get("/", response=responses(list[KbliOut]))
def search_kbli(request: HttpRequest, q: Text):
    """Five-digit KBLI 2020 codes whose code starts with, or title contains, what was typed."""
    return search_subclasses(q)
