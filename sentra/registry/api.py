"""The registry over JSON. Scope applies through the same selectors, filters and services as the pages."""

import datetime as dt
from typing import Annotated, Literal

from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import ValidationError

from sentra.accounts.api import access
from sentra.accounts.models import TokenScope, User
from sentra.core.api import Text, field_errors, filterset_query, responses
from sentra.core.formatting import mask_nik
from sentra.registry import selectors, services
from sentra.registry.filters import BusinessFilterSet
from sentra.registry.models import Business, OperatingStatus

router = Router(tags=["umkm"], auth=access(TokenScope.REGISTRY_READ))
# What a business's JSON shows besides its own columns: one join each, and one query for all its offices.
JOINED = ("owner", "village", "district", "regency")
PREFETCHED = ("fostering_offices",)
# Ids are database keys: anything beyond a 64-bit integer is no id at all.
BusinessId = Path(..., ge=1, le=2**63 - 1)


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


BusinessListQuery = filterset_query(
    "BusinessListQuery",
    BusinessFilterSet,
    sort=(Literal[tuple(selectors.SORTS)] | None, Field(None, description="Urutan")),
    after=(Text | None, Field(None, description="Kursor halaman berikutnya (next_cursor)")),
    before=(Text | None, Field(None, description="Kursor halaman sebelumnya (previous_cursor)")),
)


class MapPointsOut(Schema):
    points: list[list[int | float | str]] = Field(description="[id, lintang, bujur, nama usaha] tiap UMKM")
    truncated: bool = Field(
        description="Wilayah ini berisi lebih banyak titik daripada `limit`: yang dikirim contohnya"
    )
    limit: int


# Degrees of the map's box; the registry's coordinates all lie within Indonesia's.
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]

BusinessMapQuery = filterset_query(
    "BusinessMapQuery",
    BusinessFilterSet,
    south=(Latitude | None, Field(None, description="Batas selatan peta (derajat lintang)")),
    west=(Longitude | None, Field(None, description="Batas barat peta (derajat bujur)")),
    north=(Latitude | None, Field(None, description="Batas utara peta (derajat lintang)")),
    east=(Longitude | None, Field(None, description="Batas timur peta (derajat bujur)")),
)
BOUNDS = ("south", "west", "north", "east")


class StatusIn(Schema):
    status: OperatingStatus


def _visible_business(user: User, business_id: int) -> Business:
    try:
        return (
            selectors.businesses_visible_to(user)
            .select_related(*JOINED)
            .prefetch_related(*PREFETCHED)
            .get(pk=business_id)
        )
    except Business.DoesNotExist:
        raise Http404 from None


@router.get("/", response=responses(BusinessPage))
def list_businesses(request: HttpRequest, filters: Query[BusinessListQuery]):
    """The registry list with the page's own filters, the same as the HTML list, and its cursors."""
    params = filters.model_dump(exclude_none=True)
    filterset, page, _count, _sort = selectors.business_list_page(request.auth, params)
    if filterset.is_bound and not filterset.is_valid():
        raise ValidationError(field_errors(filterset.errors))
    prefetch_related_objects(page.items, *PREFETCHED)
    return {"items": page.items, "next_cursor": page.next_cursor, "previous_cursor": page.previous_cursor}


@router.get("/points", response=responses(MapPointsOut))
def business_map_points(request: HttpRequest, filters: Query[BusinessMapQuery]):
    """The located UMKM the list's filters select, for a map: within the box south/west/north/east when given
    (all four or none), at most MAP_POINT_LIMIT of them."""
    params = filters.model_dump(exclude_none=True)
    box = [params.pop(side, None) for side in BOUNDS]
    if any(side is None for side in box) and any(side is not None for side in box):
        raise ValidationError(
            [
                {
                    "type": "invalid",
                    "loc": ["query", "south"],
                    "msg": _("Batas peta diisi keempatnya atau tidak sama sekali."),
                }
            ]
        )
    bounds = selectors.Bounds(*box) if box[0] is not None else None
    if bounds is not None and (bounds.south > bounds.north or bounds.west > bounds.east):
        raise ValidationError(
            [
                {
                    "type": "invalid",
                    "loc": ["query", "south"],
                    "msg": _("Batas selatan/barat peta melewati utara/timurnya."),
                }
            ]
        )
    filterset, found = selectors.map_points(request.auth, params, bounds)
    if filterset.is_bound and not filterset.is_valid():
        raise ValidationError(field_errors(filterset.errors))
    return {
        "points": [(point.id, point.latitude, point.longitude, point.name) for point in found.points],
        "truncated": found.truncated,
        "limit": found.limit,
    }


@router.get("/{business_id}", response=responses(BusinessOut, not_found=True))
def get_business(request: HttpRequest, business_id: int = BusinessId):
    return _visible_business(request.auth, business_id)


@router.post(
    "/{business_id}/status",
    response=responses(BusinessOut, not_found=True, body=True),
    auth=access(TokenScope.REGISTRY_WRITE),
)
def verify_business_status(request: HttpRequest, payload: StatusIn, business_id: int = BusinessId):
    """Record that the business's operating status was checked today, as an officer does on its page.

    Needs a token with `registry:write`, or a session (with its CSRF token) of a user who may change the business.
    """
    business = _visible_business(request.auth, business_id)
    return services.verify_business_status(actor=request.auth, business=business, status=payload.status)
