"""Region lookups for clients building their own pickers."""

from ninja import Router, Schema

from sentra.regions.selectors import region_options

router = Router(tags=["wilayah"])


class RegionOut(Schema):
    code: str
    name: str


@router.get("/provinces", response=list[RegionOut])
def list_provinces(request):
    return region_options("province")


@router.get("/regencies", response=list[RegionOut])
def list_regencies(request, province: str, q: str = ""):
    return region_options("regency", province, q)


@router.get("/districts", response=list[RegionOut])
def list_districts(request, regency: str, q: str = ""):
    return region_options("district", regency, q)


@router.get("/villages", response=list[RegionOut])
def list_villages(request, district: str, q: str = ""):
    return region_options("village", district, q)
