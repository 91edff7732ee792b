"""Region lookups for clients building their own pickers."""

from django.http import HttpRequest
from ninja import Router, Schema

from sentra.accounts.api import access
from sentra.accounts.models import TokenScope
from sentra.core.api import Text, responses
from sentra.regions.boundaries import regency_outlines
from sentra.regions.selectors import region_options

router = Router(tags=["wilayah"], auth=access(TokenScope.REGIONS_READ))


class RegionOut(Schema):
    code: str
    name: str


@router.get("/provinces", response=responses(list[RegionOut]))
def list_provinces(request: HttpRequest):
    return region_options("province")


@router.get("/regencies", response=responses(list[RegionOut]))
def list_regencies(request: HttpRequest, province: Text, q: Text = ""):
    return region_options("regency", province, q)


@router.get("/districts", response=responses(list[RegionOut]))
def list_districts(request: HttpRequest, regency: Text, q: Text = ""):
    return region_options("district", regency, q)


@router.get("/villages", response=responses(list[RegionOut]))
def list_villages(request: HttpRequest, district: Text, q: Text = ""):
    return region_options("village", district, q)


@router.get("/boundaries", response=responses(dict))
def district_boundaries(request: HttpRequest, regency: Text):
    """The regency's district outlines loaded (`manage.py load_boundaries`), as a GeoJSON FeatureCollection;
    empty when none were."""
    return regency_outlines(regency)
