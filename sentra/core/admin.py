"""Admin base classes: every admin list, and every record a form field may point to, is narrowed by
the same scope as the pages."""

from django.contrib import admin
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.text import Truncator

from sentra.core.formatting import mask_niks


class ScopedRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id input that names only records of `queryset`: another regency's id shows no label."""

    def __init__(self, rel, admin_site, queryset: QuerySet, **kwargs) -> None:
        super().__init__(rel, admin_site, **kwargs)
        self.queryset = queryset

    def label_and_url_for_value(self, value):
        key = self.rel.get_related_field().name
        try:
            obj = self.queryset.get(**{key: value})
        except (ValueError, TypeError, self.rel.model.DoesNotExist, ValidationError):
            return "", ""
        try:
            url = reverse(f"{self.admin_site.name}:{obj._meta.app_label}_{obj._meta.model_name}_change", args=(obj.pk,))
        except NoReverseMatch:
            url = ""
        return Truncator(obj).words(14), url


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

    def related_queryset(self, db_field, request) -> QuerySet | None:
        """The records a foreign key may point to: those the user may change, for every model with a
        scope; None (anything) for reference data such as KBLI. Admins add their own cases."""
        model = db_field.related_model
        if model is get_user_model():  # a user field names a colleague
            users = model._default_manager.all()
            return users if request.user.is_superuser else users.filter(office_id=request.user.office_id)
        manager = model._default_manager
        return manager.restrict(request.user, "change") if hasattr(manager, "restrict") else None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        queryset = self.related_queryset(db_field, request)
        if queryset is not None:
            kwargs["queryset"] = queryset
            if db_field.name in self.raw_id_fields:
                kwargs["widget"] = ScopedRawIdWidget(
                    db_field.remote_field, self.admin_site, queryset=queryset, using=kwargs.get("using")
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        queryset = self.related_queryset(db_field, request)
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_manytomany(db_field, request, **kwargs)


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
    sees the rows their model's gate lets them (`restrict`, core/scope.py).

    `personal_fields` are shown with every NIK in them masked: a full NIK is shown only
    through a logged reveal.
    """

    personal_fields: tuple[str, ...] = ()

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            for name in self.personal_fields:  # the admin never saves these records
                setattr(obj, name, mask_niks(getattr(obj, name)))
        return obj

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
        return super().get_queryset(request).restrict(request.user, "view")  # the model's gate (core/scope.py)
