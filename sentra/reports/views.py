"""Report pages: ask for a report (and see the office's recent ones), its progress, and the download."""

import contextlib
import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.audit.models import ExportKind
from sentra.audit.services import log_export
from sentra.core.http import client_ip
from sentra.core.storage import private_file_response
from sentra.dashboards import selectors as dashboards
from sentra.reports import services
from sentra.reports.formatters import FORMATTERS
from sentra.reports.models import Report, ReportFormat, ReportStatus
from sentra.reports.progress import progress_of
from sentra.reports.selectors import may_see, reports_for

RECENT_REPORTS = 50
# A date picker takes and sends ISO dates, whatever the language's own date format.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def area_choices(user, extra: str = "") -> list[tuple[str, str]]:
    """The user's own area and the areas one level down (and `extra`, when the user may see it)."""
    home = dashboards.home_area(user)
    # A–Z, as the list's filters offer them (the tables inside keep the Kemendagri order).
    areas = [home, *sorted(dashboards.child_areas(home), key=lambda area: area.name)]
    if extra and extra not in {area.code for area in areas}:
        with contextlib.suppress(PermissionDenied):  # a code outside the user's area is refused on posting
            areas.insert(1, dashboards.area_for(user, extra))
    return [(area.code, area.name if area is home else f"— {area.name}") for area in areas]


EARLIEST_REPORT_START = dt.date(1990, 1, 1)
MAX_REPORT_DAYS = 10 * 365 + 3  # ten years, leap days included


class ReportForm(forms.Form):
    # The area is checked against the user's scope by the service (PermissionDenied, a 403), not
    # by the choices: a crafted code must be refused, not shown as a form error.
    area = forms.CharField(label=gettext_lazy("Wilayah"), required=False, widget=forms.Select)
    start = forms.DateField(label=gettext_lazy("Dari tanggal"), widget=DATE_INPUT)
    end = forms.DateField(label=gettext_lazy("Sampai tanggal"), widget=DATE_INPUT)
    format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=ReportFormat.choices, initial=ReportFormat.PDF, widget=forms.RadioSelect
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].widget.choices = area_choices(user, self.data.get("area") or self.initial.get("area", ""))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                self.add_error("end", _("Tanggal akhir harus sesudah tanggal awal."))
            if end > timezone.localdate():
                self.add_error("end", _("Tanggal akhir tidak boleh melewati hari ini."))
            if start < EARLIEST_REPORT_START or (end - start).days > MAX_REPORT_DAYS:
                # A report lists its period month by month: decades of months help no one.
                self.add_error(
                    "start",
                    _("Periode laporan paling lama %(years)s tahun, mulai %(earliest)s atau sesudahnya.")
                    % {"years": MAX_REPORT_DAYS // 365, "earliest": formats.date_format(EARLIEST_REPORT_START)},
                )
        return cleaned


def _initial(request: HttpRequest) -> dict:
    """This year so far in the user's own area, unless the link says otherwise (e.g. "try again")."""
    start, end = dashboards.default_period(timezone.localdate())
    initial = {"area": dashboards.home_area(request.user).code, "start": start, "end": end, "format": "pdf"}
    for name in ("area", "start", "end", "format"):
        if request.GET.get(name):
            initial[name] = request.GET[name]
    return initial


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """The form that makes a report, and the office's recent reports."""
    dashboards.area_for(request.user, None)  # a user without an office has no area to report on: 403
    form = ReportForm(request.POST or None, user=request.user, initial=_initial(request))
    if request.method == "POST" and form.is_valid():
        try:
            report = services.request_report(
                user=request.user,
                area_code=form.cleaned_data["area"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                format=form.cleaned_data["format"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if services.is_large(report, request.user):
                services.enqueue(report)
                return redirect("reports:report_detail", report.pk)
            report = services.generate_report(report.pk)
            if report.status == ReportStatus.DONE:
                # The report's page, saying it is done, starts the download: a bare download left the
                # officer on this form with nothing to say that anything happened.
                messages.success(request, _("Laporan selesai dibuat; unduhan dimulai."))
                return redirect(f"{reverse('reports:report_detail', args=[report.pk])}?unduh=1")
            return redirect("reports:report_detail", report.pk)
    reports = reports_for(request.user)[:RECENT_REPORTS]
    return render(request, "reports/report_list.html", {"form": form, "reports": reports})


def _report(request: HttpRequest, pk: int) -> Report:
    report = get_object_or_404(Report.objects.select_related("office", "created_by"), pk=pk)
    if not may_see(request.user, report):
        raise PermissionDenied(_("Laporan ini bukan untuk wilayah atau kantor Anda."))
    return report


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = services.fail_if_dead(_report(request, pk))
    context = {
        "report": report,
        "progress": progress_of(report.pk) if report.is_running else None,
        "again": {"area": report.area_code, "start": report.start, "end": report.end, "format": report.format},
        "download_now": report.status == ReportStatus.DONE and request.GET.get("unduh") == "1",
    }
    return render(request, "reports/report_detail.html", context)


@login_required
def report_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar, polled by the page; when the report is finished the whole page reloads."""
    report = services.fail_if_dead(_report(request, pk))
    if not report.is_running:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "reports/_progress.html", {"report": report, "progress": progress_of(report.pk)})


@login_required
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The report's file, from private storage, for those who may see the report; recorded as an export."""
    report = _report(request, pk)
    if report.status != ReportStatus.DONE or not report.file:
        raise Http404(_("Laporan ini belum selesai dibuat."))
    response = private_file_response(
        report.file, download_name=report.download_name, content_type=FORMATTERS[report.format].content_type
    )
    log_export(
        actor=request.user,
        kind=ExportKind.REPORT,
        description=report.download_name,
        filters={"report": report.pk, "area": report.area_code, "start": report.start, "end": report.end},
        full_nik=False,  # a report holds counts, not people
        row_count=0,
        ip_address=client_ip(request),
    )
    return response
