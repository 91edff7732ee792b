"""Every periodic report asked for: its area, period and format, how its generation went, and the file."""

from django.conf import settings
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sentra.accounts.models import Office
from sentra.core.scope import OfficeOwnedQuerySet
from sentra.core.storage import UnguessableName, private_storage


class ReportFormat(models.TextChoices):
    PDF = "pdf", _("PDF (untuk dicetak)")
    XLSX = "xlsx", _("Excel (satu lembar per tabel)")
    CSV = "csv", _("CSV (semua tabel berurutan)")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("menunggu giliran")
    RUNNING = "running", _("sedang dibuat")
    DONE = "done", _("selesai")
    FAILED = "failed", _("gagal")


# While a report is in one of these, a worker owns it and its page polls the progress.
RUNNING_STATUSES = (ReportStatus.QUEUED, ReportStatus.RUNNING)


class Report(models.Model):
    """One "Laporan Perkembangan UMKM" for an area and a period, as its creator's office sees it."""

    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, null=True, blank=True, related_name="reports", verbose_name=_("kantor")
    )  # none for a superuser's report
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    area_code = models.CharField(_("kode wilayah"), max_length=8, blank=True)  # down to a district; "" is the country
    area_name = models.CharField(_("wilayah"), max_length=200)
    start = models.DateField(_("dari"))
    end = models.DateField(_("sampai"))
    format = models.CharField(_("format"), max_length=4, choices=ReportFormat.choices, default=ReportFormat.PDF)
    language = models.CharField(_("bahasa"), max_length=10, default="id")  # the creator's, for the worker
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    error = models.TextField(_("kesalahan"), blank=True)
    file = models.FileField(_("berkas"), storage=private_storage, upload_to=UnguessableName("reports"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    objects = OfficeOwnedQuerySet.through("office").as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(start__lte=models.F("end")), name="report_period")]
        verbose_name = _("laporan")
        verbose_name_plural = pgettext_lazy("plural", "laporan")

    def __str__(self) -> str:
        return f"{self.area_name} {self.start:%Y-%m-%d}–{self.end:%Y-%m-%d}"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATUSES

    @property
    def download_name(self) -> str:
        """`laporan-perkembangan-umkm-kabupaten-blora-2026-01-01-2026-11-24.pdf`."""
        period = f"{self.start:%Y-%m-%d}-{self.end:%Y-%m-%d}"
        return f"laporan-perkembangan-umkm-{slugify(self.area_name)}-{period}.{self.format}"
