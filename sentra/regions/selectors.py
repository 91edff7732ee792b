"""Reads of the region tables for cascading pickers."""

from django.db.models import QuerySet

from sentra.regions.models import District, Province, Regency, Village

LEVELS = {
    "province": (Province, None),
    "regency": (Regency, "province_id"),
    "district": (District, "regency_id"),
    "village": (Village, "district_id"),
}


def region_options(level: str, parent: str = "", query: str = "", limit: int = 500) -> QuerySet:
    """Regions of one level under `parent`, whose name contains `query`.

    Children are only listed under a parent, so that a picker never loads
    83,762 villages at once.
    """
    model, parent_field = LEVELS[level]
    regions = model.objects.all()
    if parent_field:
        if not parent:
            return model.objects.none()
        regions = regions.filter(**{parent_field: parent})
    for word in query.split():
        regions = regions.filter(name__icontains=word)
    return regions.order_by("name")[:limit]


def search_villages(query: str, within: str, limit: int = 50) -> QuerySet[Village]:
    """Villages under a region code (`33.16`, `33.16.01`) whose name contains each word typed."""
    villages = Village.objects.filter(code__startswith=within + ".").select_related("district")
    for word in query.split():
        villages = villages.filter(name__icontains=word)
    return villages.order_by("name")[:limit]


def cascade_choices(village_code: str | None, province_code: str | None, regency_code: str | None) -> dict:
    """Options and selections for a province → regency → district → village picker.

    `province_code`/`regency_code` fix the upper levels for users scoped to them.
    """
    selected = {"province": province_code or "", "regency": regency_code or "", "district": "", "village": ""}
    if village_code:
        selected.update(
            province=village_code[:2], regency=village_code[:5], district=village_code[:8], village=village_code
        )
    return {
        "selected": selected,
        "provinces": Province.objects.order_by("name") if not province_code else [],
        "regencies": Regency.objects.filter(province_id=selected["province"]).order_by("name")
        if selected["province"] and not regency_code
        else [],
        "districts": District.objects.filter(regency_id=selected["regency"]).order_by("name")
        if selected["regency"]
        else [],
        "villages": Village.objects.filter(district_id=selected["district"]).order_by("name")
        if selected["district"]
        else [],
        "fixed_province": Province.objects.filter(code=province_code).first() if province_code else None,
        "fixed_regency": Regency.objects.filter(code=regency_code).first() if regency_code else None,
    }
