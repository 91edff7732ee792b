"""Admin base classes: every admin list is narrowed by the same scope as the pages."""

from django.contrib import admin


class ScopedAdmin(admin.ModelAdmin):
    """An admin whose rows come from `Model.objects.restrict(user, action)`.

    Superusers may do anything; office admins may view what their scope shows
    and change what they may change; nobody else uses the admin.
    """

    def _allowed(self, request) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or (user.is_staff and user.is_office_admin))

    def has_module_permission(self, request) -> bool:
        return self._allowed(request)

    def get_queryset(self, request):
        return self.model.objects.restrict(request.user, "view")

    def _in_scope(self, request, obj, action: str) -> bool:
        return obj is None or self.model.objects.restrict(request.user, action).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None) -> bool:
        return self._allowed(request) and self._in_scope(request, obj, "view")

    def has_change_permission(self, request, obj=None) -> bool:
        return self._allowed(request) and request.user.can_edit_registry and self._in_scope(request, obj, "change")

    def has_add_permission(self, request) -> bool:
        return self._allowed(request) and request.user.can_edit_registry

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.has_change_permission(request, obj)


class ReferenceAdmin(admin.ModelAdmin):
    """Reference tables (regions, KBLI): everyone staff may look, only superusers change."""

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


class ReadOnlyOfficeAdmin(admin.ModelAdmin):
    """Records written by the system (logs, imports): nobody edits them; an office admin
    sees the rows of their own office, found through `office_lookup`."""

    office_lookup = "office_id"

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
        return rows.filter(**{self.office_lookup: request.user.office_id})
