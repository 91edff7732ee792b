"""Admin for offices and users: an office admin manages the users of their own office."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from sentra.accounts.models import ApiToken, ApiTokenUse, Office, User
from sentra.accounts.services import (
    account_snapshot,
    log_account_change,
    log_account_deletion,
    log_password_change,
)
from sentra.core.admin import ReadOnlyOfficeAdmin


class LoggedAccountAdmin(admin.ModelAdmin):
    """Every save and delete of a user or an office is in the change log, with its before."""

    def save_model(self, request, obj, form, change) -> None:
        before = account_snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        log_account_change(actor=request.user, instance=obj, before=before)

    def delete_model(self, request, obj) -> None:
        log_account_deletion(actor=request.user, instance=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


# Roles live on the user (office + role), not in auth groups, so groups get no admin page.
admin.site.unregister(Group)


@admin.register(Office)
class OfficeAdmin(LoggedAccountAdmin):
    list_display = ["name", "code", "kind", "province", "regency"]
    list_filter = ["kind", "province"]
    search_fields = ["name", "code"]
    list_select_related = ["province", "regency"]
    raw_id_fields = ["regency"]

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and (request.user.is_superuser or request.user.is_office_admin)

    def get_queryset(self, request):
        offices = super().get_queryset(request)
        if request.user.is_superuser:
            return offices
        return offices.filter(province_id=request.user.office.province_id) if request.user.office else offices.none()

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


@admin.register(User)
class UserAdmin(LoggedAccountAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "office", "role", "is_active"]
    list_filter = ["role", "is_active", "office__kind"]
    list_select_related = ["office"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Data pribadi"), {"fields": ("first_name", "last_name", "email")}),
        (
            _("Kantor dan peran"),
            {"fields": ("office", "role", "may_edit_province", "may_export_full_data", "is_active", "is_staff")},
        ),
        (_("Waktu"), {"fields": ("last_login", "date_joined")}),
    )
    superuser_fieldsets = (
        *fieldsets[:3],
        (_("Hak akses penuh"), {"fields": ("is_superuser",)}),
        fieldsets[3],
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2", "office", "role")}),
    )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        return self.superuser_fieldsets if request.user.is_superuser else self.fieldsets

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and (request.user.is_superuser or request.user.is_office_admin)

    def _manages(self, request, obj) -> bool:
        user = request.user
        if user.is_superuser:
            return True
        if not (user.is_staff and user.is_office_admin):
            return False
        return obj is None or (obj.office_id == user.office_id and not obj.is_superuser)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._manages(request, obj)

    has_change_permission = has_delete_permission = has_view_permission

    def has_add_permission(self, request) -> bool:
        return self._manages(request, None)

    def get_queryset(self, request):
        users = super().get_queryset(request)
        if request.user.is_superuser:
            return users
        # A token's service user is managed on the token page: an office admin must not give it a
        # password or a higher role here.
        return users.filter(office_id=request.user.office_id, is_superuser=False, api_token__isnull=True)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:  # the new password was saved
            log_password_change(actor=request.user, user=self.get_object(request, id))
        return response

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "office" and not request.user.is_superuser:
            kwargs["queryset"] = Office.objects.filter(pk=request.user.office_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyOfficeAdmin):
    """Tokens are made and revoked on their own page (accounts:token_list); here they are only looked at."""

    list_display = ["name", "prefix", "office", "created_by", "created_at", "expires_on", "revoked_at"]
    list_select_related = ["office", "created_by"]
    search_fields = ["name", "prefix"]
    # Never the key's hash; the fields the model keeps from editing are shown read-only.
    readonly_fields = ["prefix", "service_user", "created_by", "created_at", "revoked_at", "revoked_by"]
    fields = ["name", "office", "scopes", "expires_on", *readonly_fields]

    def get_list_filter(self, request) -> list[str]:
        return ["office"] if request.user.is_superuser else []  # an office admin sees one office anyway


@admin.register(ApiTokenUse)
class ApiTokenUseAdmin(ReadOnlyOfficeAdmin):
    list_display = ["time", "token", "method", "path", "status", "ip_address"]
    list_filter = ["status", "method"]
    list_select_related = ["token"]
    search_fields = ["token__name", "token__prefix", "path"]
    date_hierarchy = "time"
    show_full_result_count = False
