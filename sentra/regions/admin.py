from django.contrib import admin

from sentra.core.admin import ReferenceAdmin
from sentra.regions.models import District, Province, Regency, Village


@admin.register(Province)
class ProvinceAdmin(ReferenceAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Regency)
class RegencyAdmin(ReferenceAdmin):
    list_display = ["code", "name", "province"]
    list_filter = ["province"]
    search_fields = ["code", "name"]
    list_select_related = ["province"]


@admin.register(District)
class DistrictAdmin(ReferenceAdmin):
    list_display = ["code", "name", "regency"]
    search_fields = ["code", "name"]
    list_select_related = ["regency"]
    raw_id_fields = ["regency"]


@admin.register(Village)
class VillageAdmin(ReferenceAdmin):
    list_display = ["code", "name", "district"]
    search_fields = ["code", "name"]
    list_select_related = ["district"]
    raw_id_fields = ["district"]
    show_full_result_count = False
