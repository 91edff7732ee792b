"""Asking for a report and generating its file, in the request for a small area or on the task queue."""

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sentra.core import jobs
from sentra.dashboards import selectors as dashboards
from sentra.reports.formatters import FORMATTERS
from sentra.reports.models import RUNNING_STATUSES, Report, ReportStatus
from sentra.reports.progress import clear_progress, record_progress
from sentra.reports.reports import ProgressReport

logger = logging.getLogger(__name__)
JOB_KIND = "report"


def inline_max_businesses() -> int:
    """Areas with more businesses than this are reported on the task queue, with a progress page."""
    return getattr(settings, "REPORT_INLINE_MAX_BUSINESSES", 20_000)


def request_report(*, user, area_code: str, start: dt.date, end: dt.date, format: str) -> Report:
    """Record the report `user` asks for; PermissionDenied for an area outside theirs."""
    area = dashboards.area_for(user, area_code or None)
    if start > end:
        raise ValidationError(_("Tanggal awal harus sebelum tanggal akhir."))
    if format not in FORMATTERS:
        raise ValidationError(_("Format laporan tidak dikenal."))
    return Report.objects.create(
        office=None if user.is_superuser else user.office,
        created_by=user,
        area_code=area.code,
        area_name=area.name,
        start=start,
        end=end,
        format=format,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


def is_large(report: Report, user) -> bool:
    """Whether the report's area holds more businesses (that the user sees) than a request should count."""
    area = dashboards.area_for(user, report.area_code or None)
    return dashboards.area_businesses(user, area).count() > inline_max_businesses()


def enqueue(report: Report) -> None:
    jobs.request_job("reports.generate", report.pk)


def generate_report(report_id: int) -> Report:
    """Count, format and store the report's file; a failure leaves the report failed, saying why, with no file.

    Idempotent: a report already done or failed is left as it is. One whose worker died is
    failed by `fail_if_dead`, and asked for again by its user.
    """
    jobs.beat(JOB_KIND, report_id)  # alive before it says it is working
    claimed = Report.objects.filter(pk=report_id, status__in=RUNNING_STATUSES).update(status=ReportStatus.RUNNING)
    report = Report.objects.select_related("created_by__office__regency", "created_by__office__province").get(
        pk=report_id
    )
    if not claimed:
        return report

    def progress(step: str, done: int, total: int) -> None:
        # The report's steps count one more, for writing the file.
        record_progress(report.pk, step, done, total + 1)

    try:
        with translation.override(report.language), jobs.heartbeat(JOB_KIND, report.pk):
            if report.created_by is None or not report.created_by.is_active:
                raise PermissionDenied(_("Akun pembuat laporan sudah tidak aktif."))
            content = _content(report, progress)
            _store(report, content)
    except PermissionDenied as error:  # the creator's scope no longer holds the area
        report.status, report.error, report.file = ReportStatus.FAILED, str(error), ""
    except Exception:
        logger.exception("generating report %s failed", report.pk)
        with translation.override(report.language):
            message = _("Laporan gagal dibuat karena kesalahan sistem; coba lagi atau hubungi admin.")
        report.status, report.error, report.file = ReportStatus.FAILED, message, ""
    else:
        report.status, report.error = ReportStatus.DONE, ""
    report.finished_at = timezone.now()
    report.save(update_fields=["status", "error", "file", "finished_at"])
    clear_progress(report.pk)
    return report


def _content(report: Report, progress) -> bytes:
    gathered = ProgressReport(report.created_by, report.area_code, report.start, report.end).gather(progress)
    progress("writing", len(ProgressReport.STEPS), len(ProgressReport.STEPS))
    return FORMATTERS[report.format].render(gathered)


def _store(report: Report, content: bytes) -> None:
    """Write the file under a name of this report's own, removing any part of it a failed write left."""
    storage = report.file.storage
    name = report.file.field.generate_filename(report, f"{report.pk}-{report.download_name}")
    if storage.exists(name):
        storage.delete(name)  # from an attempt whose worker died before recording it
    try:
        report.file.name = storage.save(name, ContentFile(content))
    except Exception:
        if storage.exists(name):
            storage.delete(name)
        raise


def fail_if_dead(report: Report) -> Report:
    """A report being generated whose worker stopped beating fails, saying so; returns it as it now stands."""
    if report.status == ReportStatus.RUNNING and jobs.is_dead(JOB_KIND, report.pk, report.created_at):
        if Report.objects.filter(pk=report.pk, status=ReportStatus.RUNNING).update(
            status=ReportStatus.FAILED, error=str(jobs.DEAD_MESSAGE), finished_at=timezone.now()
        ):
            logger.warning("report %s lost its worker; failed", report.pk)
            clear_progress(report.pk)
        report.refresh_from_db()
    return report


def fail_dead_reports() -> int:
    """Fail every report whose worker died (run when a worker starts); returns how many."""
    running = list(Report.objects.filter(status=ReportStatus.RUNNING))
    return sum(fail_if_dead(report).status == ReportStatus.FAILED for report in running)
