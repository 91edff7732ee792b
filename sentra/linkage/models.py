"""Other agencies' lists of UMKM, kept apart from the registry, and how their records link to it.

A `Source` is one list an office loaded (the industry office's, the fisheries
office's…). Its records stay as they came; linking a record to a registered
business records that the source's agency fosters it. Every decision an
officer makes about a pair is kept and reused when the list is linked again.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sentra.accounts.models import Office
from sentra.core.scope import Action, OfficeOwnedQuerySet, ScopedQuerySet
from sentra.core.storage import UnguessableName, private_storage
from sentra.registry.models import Business


class SourceStatus(models.TextChoices):
    UPLOADED = "uploaded", _("diunggah")
    READING = "reading", _("sedang dibaca")
    LOADED = "loaded", _("dimuat")
    QUEUED = "queued", _("menunggu giliran")
    LINKING = "linking", _("sedang dicocokkan")
    LINKED = "linked", _("sudah dicocokkan")
    FAILED = "failed", _("gagal")


# While a source is in one of these, a worker owns it and its page polls until it is done.
RUNNING_STATUSES = (SourceStatus.UPLOADED, SourceStatus.READING, SourceStatus.QUEUED, SourceStatus.LINKING)


class Source(models.Model):
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="sources", verbose_name=_("kantor"))
    agency = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("instansi pembina"),
        help_text=_("Instansi yang membina UMKM dalam daftar ini, bila terdaftar di Sentra."),
    )
    agency_name = models.CharField(_("nama instansi"), max_length=200, blank=True)
    name = models.CharField(_("nama daftar"), max_length=200)
    file_name = models.CharField(_("berkas"), max_length=255)
    # The list as uploaded, read by the worker; kept so the list can be read again or downloaded.
    file = models.FileField(_("berkas"), storage=private_storage, upload_to=UnguessableName("sources"), blank=True)
    roles = models.JSONField(_("peran kolom"), default=dict)  # engine role → the sheet's column label
    columns = models.JSONField(_("kolom"), default=list)  # the sheet's column labels, in order
    status = models.CharField(_("status"), max_length=10, choices=SourceStatus.choices, default=SourceStatus.LOADED)
    # Read, then wait for the officer to check the column roles before linking (the upload form's choice).
    check_roles = models.BooleanField(_("periksa peran kolom dulu"), default=False)
    error = models.TextField(_("kesalahan"), blank=True)
    record_count = models.PositiveIntegerField(_("jumlah baris"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dimuat"), auto_now_add=True)
    linked_at = models.DateTimeField(_("terakhir dicocokkan"), null=True, blank=True)

    objects = OfficeOwnedQuerySet.through("office").as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("daftar instansi")
        verbose_name_plural = pgettext_lazy("plural", "daftar instansi")

    def __str__(self) -> str:
        return self.name

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATUSES

    @property
    def agency_label(self) -> str:
        return self.agency.name if self.agency_id else self.agency_name

    def column_labels(self) -> list[str]:
        """The list's column labels in order (for lists read before they were kept: from the rows)."""
        if self.columns:
            return list(self.columns)
        labels: dict[str, None] = {}
        for data in self.records.values_list("data", flat=True)[:500]:
            labels.update(dict.fromkeys(data))
        return list(labels)


class LinkKind(models.TextChoices):
    AUTO = "auto", _("otomatis")
    CONFIRMED = "confirmed", _("dikonfirmasi petugas")


class SourceRecord(models.Model):
    """One row of a source, as it came, with the values the linkage compares."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="records")
    row_number = models.PositiveIntegerField(_("baris"))
    data = models.JSONField(_("isi baris"), default=dict)  # column label → value, as in the file
    person_name = models.CharField(_("nama pemilik"), max_length=200, blank=True)
    business_name = models.CharField(_("nama usaha"), max_length=200, blank=True)
    nik = models.CharField(_("NIK"), max_length=32, blank=True)
    phone = models.CharField(_("nomor HP"), max_length=32, blank=True)
    birth_date = models.CharField(_("tanggal lahir"), max_length=32, blank=True)
    area = models.CharField(_("desa/kelurahan"), max_length=200, blank=True)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    text = models.CharField(_("produk/kegiatan"), max_length=300, blank=True)
    business = models.ForeignKey(
        "registry.Business",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="source_records",
        verbose_name=_("UMKM terdaftar"),
    )
    link_kind = models.CharField(_("cara ditautkan"), max_length=10, choices=LinkKind.choices, blank=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    linked_at = models.DateTimeField(_("ditautkan"), null=True, blank=True)

    objects = OfficeOwnedQuerySet.through("source__office").as_manager()

    class Meta:
        ordering = ["source_id", "row_number"]
        indexes = [models.Index(fields=["source", "business"], name="sourcerecord_source_business")]
        verbose_name = _("baris daftar instansi")
        verbose_name_plural = pgettext_lazy("plural", "baris daftar instansi")

    def __str__(self) -> str:
        return f"{self.business_name or self.person_name} ({self.source})"

    def key(self) -> str:
        """What identifies this record across loads of the same agency's list: its NIK, else its names and area."""
        from sentra.linkage import normalize

        nik = normalize.nik(self.nik)
        if nik:
            return f"nik:{nik}"
        names = [normalize.person_name(self.person_name), normalize.business_name(self.business_name)]
        return "|".join(["names", *(name or "" for name in names), normalize.area(self.area) or ""])


class Decision(models.TextChoices):
    PENDING = "pending", _("belum diputuskan")
    SAME = "same", _("UMKM yang sama")
    DIFFERENT = "different", _("berbeda")
    UNSURE = "unsure", _("ragu-ragu")


class Candidate(models.Model):
    """A registered business the linkage found for a record, with the evidence, awaiting or holding a decision."""

    record = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="candidates")
    business = models.ForeignKey("registry.Business", on_delete=models.CASCADE, related_name="match_candidates")
    probability = models.FloatField(_("peluang sama"))
    evidence = models.JSONField(_("bukti"), default=dict)  # role → {"level": int, "bayes_factor": float}
    decision = models.CharField(_("keputusan"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)

    objects = OfficeOwnedQuerySet.through("record__source__office").as_manager()

    class Meta:
        ordering = ["-probability", "id"]
        constraints = [models.UniqueConstraint(fields=["record", "business"], name="candidate_record_business")]
        indexes = [models.Index(fields=["decision", "probability"], name="candidate_queue")]
        verbose_name = _("kandidat padanan")
        verbose_name_plural = pgettext_lazy("plural", "kandidat padanan")

    def __str__(self) -> str:
        return f"{self.record} ~ {self.business_id} ({self.probability:.2f})"


class PairDecision(models.Model):
    """An officer's word on a pair, kept by the record's key so a later load of the list reuses it."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    record_key = models.CharField(max_length=500)
    business = models.ForeignKey("registry.Business", on_delete=models.CASCADE, related_name="pair_decisions")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)

    objects = OfficeOwnedQuerySet.through("office").as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "record_key", "business"], name="pairdecision_unique")]
        verbose_name = _("keputusan padanan")
        verbose_name_plural = pgettext_lazy("plural", "keputusan padanan")

    def __str__(self) -> str:
        return f"{self.record_key} ~ {self.business_id}: {self.decision}"


class DuplicatePair(models.Model):
    """Two registered businesses the engine takes for one UMKM, awaiting an officer's word."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    first = models.ForeignKey("registry.Business", on_delete=models.CASCADE, related_name="duplicate_pairs_first")
    second = models.ForeignKey("registry.Business", on_delete=models.CASCADE, related_name="duplicate_pairs_second")
    probability = models.FloatField(_("peluang sama"))
    evidence = models.JSONField(_("bukti"), default=dict)
    decision = models.CharField(_("keputusan"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)

    objects = OfficeOwnedQuerySet.through("office").as_manager()

    class Meta:
        ordering = ["-probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicatepair_unique"),
            models.CheckConstraint(condition=models.Q(first__lt=models.F("second")), name="duplicatepair_ordered"),
        ]
        verbose_name = _("dugaan duplikat")
        verbose_name_plural = pgettext_lazy("plural", "dugaan duplikat")

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id} ({self.probability:.2f})"


class MergeQuerySet(ScopedQuerySet):
    def scope(self, user, action: Action) -> Q:
        """A merge is seen and undone with the business it kept."""
        return Q(keep__in=Business.with_archived.restrict(user, action).values("pk"))


class Merge(models.Model):
    """A business merged into another: what it was, so the merge stays in the record's history."""

    keep = models.ForeignKey("registry.Business", on_delete=models.CASCADE, related_name="merges")
    merged_id = models.BigIntegerField(_("ID UMKM yang digabung"))
    merged_name = models.CharField(_("nama UMKM yang digabung"), max_length=200)
    snapshot = models.JSONField(_("data yang digabung"), default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    merged_at = models.DateTimeField(_("digabung"), auto_now_add=True)
    # What the merge moved and changed, so that it can be undone (`linkage.merges.undo_merge`).
    moved = models.JSONField(_("yang dipindahkan"), default=dict)
    undone_at = models.DateTimeField(_("dibatalkan"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = MergeQuerySet.as_manager()

    class Meta:
        ordering = ["-merged_at", "-id"]
        verbose_name = _("penggabungan UMKM")
        verbose_name_plural = pgettext_lazy("plural", "penggabungan UMKM")

    def __str__(self) -> str:
        return f"{self.merged_name} → {self.keep_id}"
