from django.contrib import admin

from sentra.core.admin import ReferenceAdmin
from sentra.kbli.models import Kbli


@admin.register(Kbli)
class KbliAdmin(ReferenceAdmin):
    list_display = ["code", "level", "section", "title"]
    list_filter = ["level", "section"]
    search_fields = ["code", "title"]
    raw_id_fields = ["parent"]
