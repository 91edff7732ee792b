"""Every import of an office's spreadsheet, and what became of each of its rows."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sentra.accounts.models import Office


class ImportStatus(models.TextChoices):
    DONE = "done", _("selesai")
    FAILED = "failed", _("gagal")
    UNDONE = "undone", _("dibatalkan")


class RowOutcome(models.TextChoices):
    CREATED = "created", _("dibuat")
    UPDATED = "updated", _("diperbarui")
    SKIPPED = "skipped", _("dilewati")
    REJECTED = "rejected", _("ditolak")


class ImportBatch(models.Model):
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="imports", verbose_name=_("kantor"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)
    file_name = models.CharField(_("berkas"), max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.DONE)
    labels = models.JSONField(_("kolom"), default=list)  # the first sheet's header, for the rejects download
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("impor")
        verbose_name_plural = pgettext_lazy("plural", "impor")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    def counts(self) -> dict[str, int]:
        return {
            "created": self.created_count,
            "updated": self.updated_count,
            "skipped": self.skipped_count,
            "rejected": self.rejected_count,
        }


class ImportRow(models.Model):
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    sheet = models.CharField(_("lembar"), max_length=100)
    number = models.PositiveIntegerField(_("baris"))
    outcome = models.CharField(_("hasil"), max_length=10, choices=RowOutcome.choices)
    reasons = models.JSONField(_("alasan"), default=dict, blank=True)
    cells = models.JSONField(_("isi baris"), default=list)
    business = models.ForeignKey(
        "registry.Business", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["batch_id", "id"]
        indexes = [models.Index(fields=["batch", "outcome"], name="importrow_batch_outcome")]
        verbose_name = _("baris impor")
        verbose_name_plural = pgettext_lazy("plural", "baris impor")

    def __str__(self) -> str:
        return f"{self.sheet}:{self.number} {self.get_outcome_display()}"
