"""The change log and NIK reveals, read-only; an office admin sees what their office's users did."""

from django.contrib import admin

from sentra.audit.models import NikReveal, ObjectChange


class ReadOnlyLogAdmin(admin.ModelAdmin):
    actor_field = "actor"

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
        return rows.filter(**{f"{self.actor_field}__office_id": request.user.office_id})


@admin.register(ObjectChange)
class ObjectChangeAdmin(ReadOnlyLogAdmin):
    list_display = ["time", "actor_name", "action", "content_type", "object_repr", "message"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor_name"]
    date_hierarchy = "time"
    show_full_result_count = False


@admin.register(NikReveal)
class NikRevealAdmin(ReadOnlyLogAdmin):
    list_display = ["time", "actor", "person", "ip_address"]
    list_select_related = ["actor", "person"]
