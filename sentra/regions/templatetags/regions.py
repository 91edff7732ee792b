"""Template filters for places."""

from django import template

from sentra.regions.names import street_part

register = template.Library()


@register.filter
def street(place) -> str:
    """A business's or owner's typed address without the village and district the page shows after it."""
    village = getattr(place, "village", None)
    if village is None:
        return getattr(place, "address", "") or ""
    names = [village.name]
    if type(village).district.is_cached(village):
        names.append(village.district.name)
    if getattr(place, "district_id", None):  # a business's own district, which the page names after it
        names.append(place.district.name)
    return street_part(place.address, *names)
