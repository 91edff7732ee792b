"""Imports in the admin, read-only; an office admin sees their own office's imports."""

from django.contrib import admin

from sentra.core.admin import ReadOnlyOfficeAdmin
from sentra.imports.models import ImportBatch, ImportRow, ImportTemplate


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyOfficeAdmin):
    list_display = [
        "created_at",
        "file_name",
        "office",
        "created_by",
        "status",
        "created_count",
        "updated_count",
        "skipped_count",
        "rejected_count",
    ]
    list_select_related = ["office", "created_by"]


@admin.register(ImportRow)
class ImportRowAdmin(ReadOnlyOfficeAdmin):
    personal_fields = ("cells", "before", "reasons")
    list_display = ["batch", "sheet", "number", "outcome"]
    list_filter = ["outcome"]
    list_select_related = ["batch"]
    show_full_result_count = False


@admin.register(ImportTemplate)
class ImportTemplateAdmin(ReadOnlyOfficeAdmin):
    """Saved column mappings; an office admin may remove their office's outdated ones."""

    list_display = ["name", "office", "created_by", "created_at"]
    list_select_related = ["office", "created_by"]

    def has_delete_permission(self, request, obj=None) -> bool:
        if not self.has_module_permission(request):
            return False
        return obj is None or request.user.is_superuser or obj.office_id == request.user.office_id
