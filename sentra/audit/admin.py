"""The change log and NIK reveals, read-only; an office admin sees what their office's users did."""

from django.contrib import admin

from sentra.audit.models import ExportLog, NikReveal, ObjectChange
from sentra.core.admin import ReadOnlyOfficeAdmin


@admin.register(ObjectChange)
class ObjectChangeAdmin(ReadOnlyOfficeAdmin):
    office_lookup = "actor__office_id"
    list_display = ["time", "actor_name", "action", "content_type", "object_repr", "message"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor_name"]
    date_hierarchy = "time"
    show_full_result_count = False


@admin.register(NikReveal)
class NikRevealAdmin(ReadOnlyOfficeAdmin):
    office_lookup = "actor__office_id"
    list_display = ["time", "actor", "person", "ip_address"]
    list_select_related = ["actor", "person"]


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnlyOfficeAdmin):
    list_display = ["time", "actor_name", "kind", "description", "row_count", "full_nik"]
    list_filter = ["kind", "full_nik"]
    search_fields = ["actor_name", "description"]
    date_hierarchy = "time"
