"""Imports in the admin, read-only; an office admin sees their own office's imports."""

from django.contrib import admin

from sentra.imports.models import ImportBatch, ImportRow


class OfficeImportsAdmin(admin.ModelAdmin):
    office_field = "office"

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and (request.user.is_superuser or request.user.is_office_admin)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if request.user.is_superuser:
            return rows
        return rows.filter(**{f"{self.office_field}_id": request.user.office_id})


@admin.register(ImportBatch)
class ImportBatchAdmin(OfficeImportsAdmin):
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
class ImportRowAdmin(OfficeImportsAdmin):
    office_field = "batch__office"
    list_display = ["batch", "sheet", "number", "outcome"]
    list_filter = ["outcome"]
    list_select_related = ["batch"]
    show_full_result_count = False
