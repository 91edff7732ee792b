"""Offices, their users and the roles that decide what a user may see and change."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sentra.regions.models import Province, Regency


class OfficeKind(models.TextChoices):
    KOPERASI_UKM = "koperasi_ukm", _("Dinas Koperasi & UKM")
    PERINDUSTRIAN = "perindustrian", _("Dinas Perindustrian")
    PERTANIAN = "pertanian", _("Dinas Pertanian")
    PERIKANAN = "perikanan", _("Dinas Perikanan")
    PARIWISATA = "pariwisata", _("Dinas Pariwisata")
    OTHER = "other", _("Lainnya")


class Office(models.Model):
    """A government office at province or regency level.

    The cooperative & SME office (koperasi_ukm) keeps the registry of its
    region; every other kind is a partner agency that fosters some UMKM.
    """

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=OfficeKind.choices)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="offices")
    regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offices",
        help_text=_("Kosongkan untuk kantor tingkat provinsi."),
    )
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    phone = models.CharField(_("telepon"), max_length=20, blank=True)

    class Meta:
        ordering = ["province_id", "regency_id", "name"]
        verbose_name = _("kantor")
        verbose_name_plural = pgettext_lazy("plural", "kantor")

    def __str__(self) -> str:
        return self.name

    @property
    def is_partner_agency(self) -> bool:
        return self.kind != OfficeKind.KOPERASI_UKM

    @property
    def is_province_level(self) -> bool:
        return self.regency_id is None


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin kantor")
    OFFICER = "officer", _("Petugas/pendamping")
    VIEWER = "viewer", _("Pemantau")


class User(AbstractUser):
    """A person who signs in; belongs to one office with one role.

    Superusers belong to no office and see the whole country.
    """

    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("kantor")
    )
    role = models.CharField(_("peran"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    may_edit_province = models.BooleanField(
        _("boleh mengubah data kabupaten"),
        default=False,
        help_text=_("Untuk pengguna kantor provinsi: izinkan mengubah data UMKM di kabupaten/kota."),
    )

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = pgettext_lazy("plural", "pengguna")

    @property
    def is_office_admin(self) -> bool:
        return self.is_superuser or (self.office_id is not None and self.role == Role.ADMIN)

    @property
    def can_edit_registry(self) -> bool:
        """Whether the user may create and change UMKM at all (scope still applies)."""
        if self.is_superuser:
            return True
        if self.office is None or self.role == Role.VIEWER:
            return False
        if self.office.is_province_level and not self.office.is_partner_agency:
            return self.may_edit_province
        return True
