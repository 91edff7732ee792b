"""The change log (NetBox's ObjectChange shape) and the log of NIK reveals."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sentra.core.scope import NOTHING, Action, OfficeOwnedQuerySet, ScopedQuerySet, signed_in

MASKED_FIELDS = {"nik"}
HIDDEN = "***"
MONEY_FIELDS = {"capital", "annual_turnover", "price", "size_confirmed_capital", "size_confirmed_turnover"}


class ChangeAction(models.TextChoices):
    CREATE = "create", _("dibuat")
    UPDATE = "update", _("diubah")
    DELETE = "delete", _("dihapus")


class ObjectChangeQuerySet(ScopedQuerySet):
    def scope(self, user, action: Action) -> Q:
        """The changes an office admin reads: those their office's users made, and every change to
        a business or owner their office may see, whoever made it (a shared owner's changes by
        another regency included). Nobody changes them."""
        if not signed_in(user) or action != "view":
            return NOTHING
        if user.is_superuser:
            return Q()
        office_id = user.office_id
        if office_id is None:
            return NOTHING
        from django.contrib.auth import get_user_model

        from sentra.registry.models import Business, Person

        business_type = ContentType.objects.get_for_model(Business)
        person_type = ContentType.objects.get_for_model(Person)
        user_type = ContentType.objects.get_for_model(get_user_model())
        businesses = Business.objects.restrict(user, "view").values("pk")
        persons = Person.objects.filter(businesses__in=businesses).values("pk")
        colleagues = get_user_model().objects.filter(office_id=office_id).values("pk")
        return (
            Q(actor__office_id=office_id)
            | Q(content_type=user_type, object_id__in=colleagues)
            | Q(content_type=business_type, object_id__in=businesses)
            | Q(related_content_type=business_type, related_object_id__in=businesses)
            | Q(content_type=person_type, object_id__in=persons)
            | Q(related_content_type=person_type, related_object_id__in=persons)
        )


class ObjectChange(models.Model):
    """One create, update or delete of a record, with its state before and after."""

    time = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    actor_name = models.CharField(_("nama pelaku"), max_length=150, blank=True)
    request_id = models.UUIDField(_("ID permintaan"), null=True, blank=True, db_index=True)
    action = models.CharField(_("aksi"), max_length=10, choices=ChangeAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.BigIntegerField()
    object_repr = models.CharField(_("objek"), max_length=300)
    # The record a change belongs to on screen: a product's change shows on its business.
    related_content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    related_object_id = models.BigIntegerField(null=True, blank=True)
    prechange_data = models.JSONField(_("sebelum"), null=True, blank=True)
    postchange_data = models.JSONField(_("sesudah"), null=True, blank=True)
    message = models.CharField(_("keterangan"), max_length=300, blank=True)

    objects = models.Manager.from_queryset(ObjectChangeQuerySet)()

    class Meta:
        ordering = ["-time", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["related_content_type", "related_object_id"]),
        ]
        verbose_name = _("riwayat perubahan")
        verbose_name_plural = pgettext_lazy("plural", "riwayat perubahan")

    def __str__(self) -> str:
        return f"{self.object_repr} {self.get_action_display()}"

    def hide_fields(self, names) -> None:
        """Show that `names` changed, not what they hold (for readers who may not see them)."""
        self._hidden = set(names)

    def diff(self) -> list[tuple[str, object, object]]:
        """(field, old, new) for every field whose value differs; a hidden field's values as `***`."""
        before = self.prechange_data or {}
        after = self.postchange_data or {}
        hidden = getattr(self, "_hidden", set())
        rows = []
        for key in dict.fromkeys([*before, *after]):
            old, new = before.get(key), after.get(key)
            if old == new:
                continue
            if key in hidden:
                old, new = (HIDDEN if value not in (None, "") else value for value in (old, new))
            rows.append((key, old, new))
        return rows

    def labelled_diff(self) -> list[tuple[str, object, object]]:
        """The diff as people read it: field labels, choice labels, NIKs masked."""
        from sentra.core.formatting import format_rupiah, mask_nik

        model = self.content_type.model_class()
        rows = []
        for key, old, new in self.diff():
            try:
                field = model._meta.get_field(key)
            except Exception:  # a field since removed from the model
                rows.append((key, old, new))
                continue
            if HIDDEN in (old, new):
                pass
            elif key in MASKED_FIELDS:
                old, new = mask_nik(old), mask_nik(new)
            elif key in MONEY_FIELDS:
                old, new = format_rupiah(old), format_rupiah(new)
            elif field.choices:
                labels = {value: str(label) for value, label in field.flatchoices}
                old, new = labels.get(old, old), labels.get(new, new)
            rows.append((str(field.verbose_name), old, new))
        return rows


class NikReveal(models.Model):
    """Every time a full NIK was shown to someone."""

    time = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="nik_reveals")
    request_id = models.UUIDField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = OfficeOwnedQuerySet.through("actor__office").as_manager()

    class Meta:
        ordering = ["-time"]
        verbose_name = _("pembukaan NIK")
        verbose_name_plural = pgettext_lazy("plural", "pembukaan NIK")

    def __str__(self) -> str:
        return f"{self.actor} → {self.person} ({self.time:%Y-%m-%d %H:%M})"


class ExportKind(models.TextChoices):
    REGISTRY = "registry", _("daftar UMKM")
    REJECTS = "rejects", _("baris impor ditolak")
    REPORT = "report", _("laporan")
    SOURCE = "source", _("daftar instansi")
    SUBJECT_ACCESS = "subject", _("permintaan data pribadi")


class ExportLog(models.Model):
    """Every file of personal data that left Sentra: who took it, what it held, and whether NIKs were in full."""

    time = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    actor_name = models.CharField(_("nama pelaku"), max_length=150, blank=True)
    # The actor's office when they exported, so an office admin sees their office's exports after a transfer.
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("kantor")
    )
    request_id = models.UUIDField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=ExportKind.choices)
    description = models.CharField(_("isi"), max_length=300, blank=True)
    filters = models.JSONField(_("saringan"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("jumlah baris"), null=True, blank=True)  # None until the file is done
    full_nik = models.BooleanField(_("NIK lengkap"), default=False)

    objects = OfficeOwnedQuerySet.through("office").as_manager()

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("unduhan data")
        verbose_name_plural = pgettext_lazy("plural", "unduhan data")

    def __str__(self) -> str:
        return f"{self.actor_name} {self.get_kind_display()} ({self.time:%Y-%m-%d %H:%M})"
