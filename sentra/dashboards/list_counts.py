"""The registry list's exact count, read from the tallies for the filters they cover.

The tallies count every business of a district (and of a village) once per value of one
dimension, so they know the exact number of a list narrowed by its region and at most one
of the filters below, inside a scope that is a whole region: a cooperative office's regency
or province, or a partner agency's fostered businesses of its region (the OFFICE dimension).
Any other filter (a search, data quality, who registered it, status changes, moves up, a
second dimension, a village) returns None and the list counts up to its cap instead.
"""

from sentra.dashboards.figures import Dimension
from sentra.dashboards.tallies import tallied_count

COVERED = {
    "status": Dimension.STATUS,
    "maturity": Dimension.MATURITY,
    "kbli_section": Dimension.SECTION,
    "size_class": Dimension.SIZE,
    "owner_sex": Dimension.SEX,
    "fostering_office": Dimension.OFFICE,
    "licence": Dimension.LICENCE,
    "registered_month": Dimension.REGISTERED,
}
REGIONS = ("province", "regency", "district")


def _value(name: str, value) -> str:
    return str(value.pk) if name == "fostering_office" else str(value)


def _nested(codes: list[str]) -> str | None:
    """The narrowest of region codes that lie one inside another; None when two are apart."""
    narrowest = max(codes, key=len)
    inside = all(narrowest == code or narrowest.startswith(f"{code}.") for code in codes)
    return narrowest if inside else None


def exact_list_count(user, chosen: dict) -> int | None:
    """The exact number of businesses the list shows `user` for the filters `chosen`, or None."""
    if set(chosen) - set(REGIONS) - set(COVERED):
        return None
    office = getattr(user, "office", None)
    if office is None or user.is_superuser:
        return None  # the whole country: counted up to the cap, as no index reads every district's tallies
    dimensions = {name: _value(name, value) for name, value in chosen.items() if name in COVERED}
    if office.is_partner_agency:
        own = {"fostering_office": str(office.pk)}
        if dimensions and dimensions != own:
            return None
        dimensions = own
    if len(dimensions) > 1:
        return None
    scope = office.area_code
    region = _nested([scope, *(chosen[name].code for name in REGIONS if name in chosen)])
    if region is None:
        return None
    name, value = next(iter(dimensions.items()), ("", ""))
    return tallied_count(region, COVERED[name] if name else Dimension.TOTAL, value)
