"""Which reports a user may see and download."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from sentra.dashboards import selectors as dashboards
from sentra.reports.models import Report


def reports_for(user) -> QuerySet[Report]:
    """The reports of the user's office (every report, for a superuser), newest first."""
    return Report.objects.restrict(user, "view").select_related("office", "created_by")


def may_see(user, report: Report) -> bool:
    """A report is its office's, and only while its area is still within the user's.

    The office matters as much as the area: a partner agency in the same regency
    must not read the cooperative office's report, which counts businesses it
    does not foster.
    """
    if not reports_for(user).filter(pk=report.pk).exists():
        return False
    if not report.area_code:
        return user.is_superuser  # the whole country
    try:
        dashboards.area_for(user, report.area_code or None)
    except PermissionDenied:
        return False
    return True
