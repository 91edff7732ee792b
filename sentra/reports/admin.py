"""Reports in the admin, read-only; an office admin sees their own office's."""

from django.contrib import admin

from sentra.core.admin import ReadOnlyOfficeAdmin
from sentra.reports.models import Report


@admin.register(Report)
class ReportAdmin(ReadOnlyOfficeAdmin):
    list_display = ["created_at", "area_name", "start", "end", "format", "office", "created_by", "status"]
    list_filter = ["status", "format"]
    list_select_related = ["office", "created_by"]
    search_fields = ["area_name", "area_code"]
