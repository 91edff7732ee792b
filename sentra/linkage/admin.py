"""Agency lists, their links and decisions in the admin, read-only; an office admin sees their office's."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from sentra.core.admin import ReadOnlyOfficeAdmin
from sentra.core.formatting import mask_niks
from sentra.linkage.models import Candidate, DuplicatePair, Merge, PairDecision, Source, SourceRecord


@admin.register(Source)
class SourceAdmin(ReadOnlyOfficeAdmin):
    list_display = ["name", "office", "agency", "agency_name", "record_count", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["office", "agency"]


@admin.register(SourceRecord)
class SourceRecordAdmin(ReadOnlyOfficeAdmin):
    personal_fields = ("data", "nik")
    list_display = ["source", "row_number", "business_name", "person_name", "business", "link_kind"]
    list_filter = ["link_kind"]
    list_select_related = ["source", "business"]
    show_full_result_count = False


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyOfficeAdmin):
    list_display = ["record", "business", "probability", "decision", "decided_by"]
    list_filter = ["decision"]
    list_select_related = ["record__source", "business", "decided_by"]
    show_full_result_count = False


@admin.register(PairDecision)
class PairDecisionAdmin(ReadOnlyOfficeAdmin):
    personal_fields = ("record_key",)
    list_display = ["masked_key", "business", "decision", "decided_by", "decided_at"]

    @admin.display(description=_("kunci baris"))
    def masked_key(self, decision: PairDecision) -> str:
        return mask_niks(decision.record_key)

    list_filter = ["decision"]
    list_select_related = ["business", "decided_by"]


@admin.register(DuplicatePair)
class DuplicatePairAdmin(ReadOnlyOfficeAdmin):
    list_display = ["first", "second", "probability", "decision", "decided_by"]
    list_filter = ["decision"]
    list_select_related = ["first", "second", "decided_by"]


@admin.register(Merge)
class MergeAdmin(ReadOnlyOfficeAdmin):
    """Merges of the office's own businesses."""

    personal_fields = ("snapshot", "moved")
    list_display = ["merged_name", "merged_id", "keep", "merged_by", "merged_at", "undone_at"]
    list_select_related = ["keep", "merged_by"]
