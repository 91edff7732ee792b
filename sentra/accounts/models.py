"""Offices, their users and the roles that decide what a user may see and change."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sentra.core.scope import NOTHING, Action, OfficeOwnedQuerySet, ScopedQuerySet, signed_in
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

    @property
    def area_code(self) -> str:
        """The region it works in: its regency's code, or its province's for a province office."""
        return self.regency_id or self.province_id

    def area_filter(self) -> Q:
        """A filter on rows with regency and province columns (businesses, offices): those in its area."""
        return Q(regency_id=self.regency_id) if self.regency_id else Q(province_id=self.province_id)


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
    may_export_full_data = models.BooleanField(
        _("boleh mengunduh data lengkap"),
        default=False,
        help_text=_(
            "Izinkan mengunduh daftar UMKM dengan NIK lengkap dan tanggal lahir (mis. ekspor SIDT untuk kementerian). "
            "Setiap unduhan dicatat. Admin kantor selalu boleh."
        ),
    )

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = pgettext_lazy("plural", "pengguna")

    @property
    def is_office_admin(self) -> bool:
        return self.is_superuser or (self.office_id is not None and self.role == Role.ADMIN)

    @property
    def can_export_full_data(self) -> bool:
        """Whether the user's exports carry full NIKs and birth dates (each owner in them logged as a NIK reveal)."""
        return self.is_office_admin or (self.office_id is not None and self.may_export_full_data and self.is_active)

    @property
    def shown_name(self) -> str:
        """How pages name the user: their full name, else their username."""
        return self.get_full_name() or self.get_username()

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


class TokenScope(models.TextChoices):
    """What an API token may do; each endpoint asks for one."""

    REGISTRY_READ = "registry:read", _("Membaca data UMKM")
    REGISTRY_WRITE = "registry:write", _("Mengubah data UMKM (status usaha)")
    REGIONS_READ = "regions:read", _("Membaca data wilayah")
    KBLI_READ = "kbli:read", _("Membaca kode KBLI")


# A token that may change the registry may also read what it changes.
IMPLIED_SCOPES = {TokenScope.REGISTRY_WRITE: TokenScope.REGISTRY_READ}
WRITE_SCOPES = frozenset({TokenScope.REGISTRY_WRITE})


class ApiTokenQuerySet(ScopedQuerySet):
    def scope(self, user, action: Action) -> Q:
        """Tokens `user` may see and revoke: those of the office they administer, all for a superuser."""
        if not signed_in(user):
            return NOTHING
        if user.is_superuser:
            return Q()
        return Q(office_id=user.office_id) if user.is_office_admin else NOTHING


class ApiToken(models.Model):
    """A key another system calls the API with, acting as a service user of one office.

    The service user is an ordinary user of the office (viewer, or officer for a
    write scope), so the registry's scope gate applies to it unchanged. Only a
    hash of the key is stored; its prefix tells the office's tokens apart.
    """

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="api_tokens", verbose_name=_("kantor"))
    name = models.CharField(_("nama"), max_length=100)
    service_user = models.OneToOneField(
        User, on_delete=models.PROTECT, related_name="api_token", editable=False, verbose_name=_("pengguna layanan")
    )
    scopes = models.JSONField(_("hak akses"), default=list)
    prefix = models.CharField(_("awalan"), max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", editable=False, verbose_name=_("dibuat oleh")
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    expires_on = models.DateField(_("berlaku sampai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("token API")
        verbose_name_plural = pgettext_lazy("plural", "token API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    def refusal(self, today) -> str | None:
        """Why the token cannot be used on `today`, or None when it can.

        A token works only while whoever created it could still create it: an
        office admin who is deactivated, demoted or moved takes their tokens' power
        with them, so a token never outlives the authority it came from.
        """
        if self.revoked_at is not None:
            return _("Token API ini sudah dicabut.")
        if self.expires_on is not None and today > self.expires_on:
            return _("Token API ini sudah kedaluwarsa.")
        if not self.service_user.is_active:
            return _("Pengguna layanan token API ini dinonaktifkan.")
        if not self.is_managed_by(self.created_by):
            return _("Pembuat token API ini tidak lagi menjadi admin aktif kantornya.")
        return None

    @property
    def refusal_today(self) -> str | None:
        return self.refusal(timezone.localdate())

    def is_managed_by(self, user) -> bool:
        """Whether `user` may see and revoke this token (the row-level form of `restrict`)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return False
        return user.is_superuser or (user.is_office_admin and user.office_id == self.office_id)

    def grants(self, scope: str) -> bool:
        """Whether the token may call an endpoint that needs `scope`.

        A write scope also needs its creator to be allowed to change the registry
        today (a province admin may have lost `may_edit_province`).
        """
        granted = set(self.scopes) | {IMPLIED_SCOPES[s] for s in self.scopes if s in IMPLIED_SCOPES}
        if scope not in granted:
            return False
        return scope not in WRITE_SCOPES or (self.created_by is not None and self.created_by.can_edit_registry)


class ApiTokenUse(models.Model):
    """One call made with a token, whatever its outcome."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="uses", verbose_name=_("token API"))
    time = models.DateTimeField(_("waktu"), auto_now_add=True)
    method = models.CharField(_("metode"), max_length=10)
    path = models.CharField(_("alamat"), max_length=300)
    status = models.PositiveSmallIntegerField(_("status jawaban"))
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)

    objects = OfficeOwnedQuerySet.through("token__office").as_manager()

    class Meta:
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["token", "-time"], name="accounts_token_use_latest")]
        verbose_name = _("pemakaian token API")
        verbose_name_plural = pgettext_lazy("plural", "pemakaian token API")

    def __str__(self) -> str:
        return f"{self.token} {self.method} {self.path} → {self.status}"
