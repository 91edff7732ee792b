"""The change log and NIK reveals, read-only; an office admin sees what their office's users did."""

from django.contrib import admin

from sentra.audit.models import HIDDEN, ExportLog, NikReveal, ObjectChange
from sentra.core.admin import ReadOnlyOfficeAdmin
from sentra.registry.models import Person
from sentra.registry.owners import keeps


@admin.register(ObjectChange)
class ObjectChangeAdmin(ReadOnlyOfficeAdmin):
    personal_fields = ("prechange_data", "postchange_data", "object_repr")

    def get_queryset(self, request):
        return ObjectChange.objects.restrict(request.user)

    def get_object(self, request, object_id, from_field=None):
        change = super().get_object(request, object_id, from_field)
        if change is not None and change.content_type.model_class() is Person:
            # Another regency's office sees that a shared owner changed, not their private details.
            person = Person(pk=change.object_id)
            if not keeps(request.user, person):
                for name in ("prechange_data", "postchange_data"):
                    data = getattr(change, name)
                    if isinstance(data, dict):
                        hidden = {k: (HIDDEN if k in Person.PRIVATE_FIELDS and v else v) for k, v in data.items()}
                        setattr(change, name, hidden)
        return change

    list_display = ["time", "actor_name", "action", "content_type", "object_repr", "message"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor_name"]
    date_hierarchy = "time"
    show_full_result_count = False


@admin.register(NikReveal)
class NikRevealAdmin(ReadOnlyOfficeAdmin):
    list_display = ["time", "actor", "person", "ip_address"]
    list_select_related = ["actor", "person"]


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnlyOfficeAdmin):
    list_display = ["time", "actor_name", "kind", "description", "row_count", "full_nik"]
    list_filter = ["kind", "full_nik"]
    search_fields = ["actor_name", "description"]
    date_hierarchy = "time"
