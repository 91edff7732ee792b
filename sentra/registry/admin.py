"""Registry admin: scoped lists, and every save goes through the services (so it is logged)."""

from django.contrib import admin
from django.db import models

from sentra.accounts.scope import offices_visible_to
from sentra.audit.services import log_nik_reveal
from sentra.core.admin import ScopedAdmin
from sentra.core.http import client_ip
from sentra.registry import services
from sentra.registry.forms import villages_for
from sentra.registry.models import (
    Business,
    DigitalChannel,
    Licence,
    MaturityChange,
    Person,
    Product,
    SizeClassChange,
    StatusChange,
)
from sentra.registry.photos import PhotoField


class BusinessChildInline(admin.TabularInline):
    extra = 0

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.can_edit_registry

    has_add_permission = has_delete_permission = has_change_permission


# Photos uploaded in the admin are checked and resized as in the pages.
PHOTO_FIELD = {models.ImageField: {"form_class": PhotoField}}


class ProductInline(BusinessChildInline):
    model = Product
    formfield_overrides = PHOTO_FIELD


class LicenceInline(BusinessChildInline):
    model = Licence


class DigitalChannelInline(BusinessChildInline):
    model = DigitalChannel
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Business)
class BusinessAdmin(ScopedAdmin):
    list_display = ["name", "owner", "regency", "district", "kbli", "size_class", "status", "maturity"]
    list_filter = ["status", "maturity", "size_class", "legal_form"]
    search_fields = ["name", "nib", "owner__full_name"]
    list_select_related = ["owner", "regency", "district", "kbli"]
    raw_id_fields = ["owner", "village", "kbli", "status_verified_by"]
    filter_horizontal = ["fostering_offices"]
    readonly_fields = ["district", "regency", "province", "size_class", "size_basis", "created_at", "updated_at"]
    inlines = [ProductInline, LicenceInline, DigitalChannelInline]
    show_full_result_count = False

    def related_queryset(self, db_field, request):
        if db_field.name == "village":
            return villages_for(request.user)
        if db_field.name == "fostering_offices":
            return offices_visible_to(request.user)
        return super().related_queryset(db_field, request)

    def save_model(self, request, obj, form, change) -> None:
        # Offices are set in save_related, through the service, once the form's m2m data is known.
        self._pending_offices = form.cleaned_data.get("fostering_offices", [])

    def save_related(self, request, form, formsets, change) -> None:
        business = form.instance
        if change:
            services.update_business(actor=request.user, business=business, fostering_offices=self._pending_offices)
        else:
            services.create_business(actor=request.user, business=business, fostering_offices=self._pending_offices)
        for formset in formsets:
            for child in formset.save(commit=False):
                child.business = business
                services.save_business_child(actor=request.user, child=child)
            for child in formset.deleted_objects:
                services.delete_business_child(actor=request.user, child=child)

    # Deleting a UMKM archives it, here as on its page.
    def delete_model(self, request, obj) -> None:
        services.archive_business(actor=request.user, business=obj)

    def delete_queryset(self, request, queryset) -> None:
        for business in queryset:
            services.archive_business(actor=request.user, business=business)


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    list_display = ["full_name", "sex", "birth_date", "phone"]
    search_fields = ["full_name", "nik"]
    raw_id_fields = ["village"]
    show_full_result_count = False

    def related_queryset(self, db_field, request):
        if db_field.name == "village":
            return villages_for(request.user)
        return super().related_queryset(db_field, request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The admin form shows the full NIK: that is a reveal, and is logged like one.
        person = self.get_queryset(request).filter(pk=object_id).first()
        if request.method == "GET" and person is not None and person.nik:
            log_nik_reveal(actor=request.user, person=person, ip_address=client_ip(request))
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change) -> None:
        services.save_person(actor=request.user, person=obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


class BusinessChildAdmin(ScopedAdmin):
    raw_id_fields = ["business"]
    list_select_related = ["business"]

    def save_model(self, request, obj, form, change) -> None:
        services.save_business_child(actor=request.user, child=obj)

    def delete_model(self, request, obj) -> None:
        services.delete_business_child(actor=request.user, child=obj)

    def delete_queryset(self, request, queryset) -> None:
        for child in queryset:
            services.delete_business_child(actor=request.user, child=child)


@admin.register(Product)
class ProductAdmin(BusinessChildAdmin):
    formfield_overrides = PHOTO_FIELD
    list_display = ["name", "business", "category", "price", "unit", "packaging"]
    list_filter = ["category", "packaging"]
    search_fields = ["name", "business__name"]


@admin.register(Licence)
class LicenceAdmin(BusinessChildAdmin):
    list_display = ["kind", "number", "business", "issued_on", "expires_on"]
    list_filter = ["kind"]
    search_fields = ["number", "business__name"]


@admin.register(DigitalChannel)
class DigitalChannelAdmin(BusinessChildAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["kind", "name", "business", "url"]
    list_filter = ["kind"]
    search_fields = ["name", "business__name"]


class HistoryAdmin(ScopedAdmin):
    """Stage histories are written by the services only."""

    list_select_related = ["business", "changed_by"]
    raw_id_fields = ["business"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(StatusChange)
class StatusChangeAdmin(HistoryAdmin):
    list_display = ["business", "previous_status", "status", "changed_at", "changed_by"]
    list_filter = ["status"]


@admin.register(MaturityChange)
class MaturityChangeAdmin(HistoryAdmin):
    list_display = ["business", "previous_stage", "stage", "changed_at", "changed_by"]
    list_filter = ["stage"]


@admin.register(SizeClassChange)
class SizeClassChangeAdmin(HistoryAdmin):
    list_display = ["business", "previous_size_class", "size_class", "changed_at", "changed_by"]
    list_filter = ["size_class"]
