"""The registry over JSON. Scope applies through the same selectors as the pages."""

import datetime as dt

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from sentra.core.formatting import mask_nik
from sentra.registry import selectors
from sentra.registry.models import Business

router = Router(tags=["umkm"])


class BusinessOut(Schema):
    id: int
    name: str
    nib: str
    owner_name: str = Field(alias="owner.full_name")
    owner_nik_masked: str
    kbli: str | None = Field(alias="kbli_id")
    kbli_section: str
    village_code: str = Field(alias="village_id")
    village: str = Field(alias="village.name")
    district_code: str = Field(alias="district_id")
    district: str = Field(alias="district.name")
    regency_code: str = Field(alias="regency_id")
    regency: str = Field(alias="regency.name")
    capital: int | None
    annual_turnover: int | None
    size_class: str
    size_basis: str
    status: str
    status_verified_on: dt.date | None
    maturity: str
    fostering_offices: list[str]
    updated_at: dt.datetime

    @staticmethod
    def resolve_owner_nik_masked(obj: Business) -> str:
        return mask_nik(obj.owner.nik)

    @staticmethod
    def resolve_fostering_offices(obj: Business) -> list[str]:
        return [office.code for office in obj.fostering_offices.all()]


class BusinessPage(Schema):
    items: list[BusinessOut]
    next_cursor: str | None
    previous_cursor: str | None


@router.get("/", response=BusinessPage)
def list_businesses(request: HttpRequest):
    """The registry list with the page's filters (`q`, `district`, `status`, …) and cursors (`after`, `before`)."""
    _filterset, page, _queryset, _sort = selectors.business_list_page(request.user, request.GET)
    return {"items": page.items, "next_cursor": page.next_cursor, "previous_cursor": page.previous_cursor}


@router.get("/{business_id}", response=BusinessOut)
def get_business(request: HttpRequest, business_id: int):
    try:
        return selectors.business_detail(request.user, business_id)
    except Business.DoesNotExist:
        raise Http404 from None
