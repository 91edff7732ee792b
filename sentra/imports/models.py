"""Every import of an office's spreadsheet, and what became of each of its rows."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sentra.accounts.models import Office
from sentra.core.scope import OfficeOwnedQuerySet
from sentra.core.storage import UnguessableName, private_storage


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("diunggah")
    CHECKING = "checking", _("sedang diperiksa")
    CHECKED = "checked", _("siap diimpor")
    QUEUED = "queued", _("menunggu giliran")
    IMPORTING = "importing", _("sedang diimpor")
    DONE = "done", _("selesai")
    FAILED = "failed", _("gagal")
    UNDONE = "undone", _("dibatalkan")
    DISCARDED = "discarded", _("tidak jadi diimpor")


# While a batch is in one of these, a worker owns it and the page polls its progress.
RUNNING_STATUSES = (ImportStatus.UPLOADED, ImportStatus.CHECKING, ImportStatus.QUEUED, ImportStatus.IMPORTING)


class ImportTemplate(models.Model):
    """A saved column mapping (sheet label → registry field), for an office's recurring layout.

    Templates without an office are shipped with Sentra (the SIDT export) and offered to all.
    """

    name = models.CharField(_("nama"), max_length=100)
    office = models.ForeignKey(Office, on_delete=models.CASCADE, null=True, blank=True, related_name="import_templates")
    mapping = models.JSONField(_("pemetaan kolom"), default=dict)  # normalized label → field, "" to ignore
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = OfficeOwnedQuerySet.through("office", shared_when_blank=True).as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["office", "name"], name="importtemplate_office_name")]
        verbose_name = _("template impor")
        verbose_name_plural = pgettext_lazy("plural", "template impor")

    def __str__(self) -> str:
        return self.name


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
    file = models.FileField(_("berkas"), storage=private_storage, upload_to=UnguessableName("imports"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.DONE)
    labels = models.JSONField(_("kolom"), default=list)  # the first sheet's header, for the rejects download
    sheet_labels = models.JSONField(default=dict, blank=True)  # sheet → its header, for the rejects download
    template = models.ForeignKey(
        ImportTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("template")
    )
    mapping = models.JSONField(_("pemetaan kolom"), default=dict, blank=True)  # the user's corrections
    kbli_choices = models.JSONField(default=dict, blank=True)  # activity text → KBLI code the user confirmed
    preview = models.JSONField(default=dict, blank=True)  # what the check found, for the preview page
    error = models.TextField(_("kesalahan"), blank=True)
    # While its rows are written, in chunks the registry keeps hidden until the import publishes them.
    bulk_write = models.ForeignKey(
        "registry.BulkWrite", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    undone_at = models.DateTimeField(_("dibatalkan pada"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    warned_count = models.PositiveIntegerField(default=0)  # rows kept with an optional value left blank

    objects = OfficeOwnedQuerySet.through("office").as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("impor")
        verbose_name_plural = pgettext_lazy("plural", "impor")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATUSES

    def counts(self) -> dict[str, int]:
        return {
            "created": self.created_count,
            "updated": self.updated_count,
            "skipped": self.skipped_count,
            "rejected": self.rejected_count,
            "warned": self.warned_count,
        }


class ImportRow(models.Model):
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    sheet = models.CharField(_("lembar"), max_length=100)
    number = models.PositiveIntegerField(_("baris"))
    outcome = models.CharField(_("hasil"), max_length=10, choices=RowOutcome.choices)
    reasons = models.JSONField(_("alasan"), default=dict, blank=True)
    # field → why its value was left blank (a phone that is not a phone); the row itself was kept
    warnings = models.JSONField(_("peringatan"), default=dict, blank=True)
    # field → the value as typed, for the values stored otherwise (a name typed in capitals): only those,
    # as an import of a million rows keeps no cells of the rows it imported
    typed = models.JSONField(_("isian asli"), default=dict, blank=True)
    cells = models.JSONField(_("isi baris"), default=list)
    business = models.ForeignKey(
        "registry.Business", on_delete=models.SET_NULL, null=True, blank=True, related_name="import_rows"
    )
    owner_created = models.BooleanField(default=False)  # this row's owner was new: undo removes them too
    before = models.JSONField(default=dict, blank=True)  # an updated business's fields as they were, for undo

    objects = OfficeOwnedQuerySet.through("batch__office").as_manager()

    class Meta:
        ordering = ["batch_id", "id"]
        indexes = [models.Index(fields=["batch", "outcome"], name="importrow_batch_outcome")]
        verbose_name = _("baris impor")
        verbose_name_plural = pgettext_lazy("plural", "baris impor")

    def __str__(self) -> str:
        return f"{self.sheet}:{self.number} {self.get_outcome_display()}"
