"""The UMKM registry: owners, businesses, their products, licences and channels."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from imagekit.models import ImageSpecField

from sentra.accounts.models import Office
from sentra.core.scope import Action, ScopedQuerySet, signed_in
from sentra.kbli.models import Kbli
from sentra.regions.models import District, Province, Regency, Village
from sentra.registry import limits, photos
from sentra.registry.derived import derived_fields
from sentra.registry.scope import business_scope
from sentra.registry.sizing import SizeBasis, SizeClass


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class PersonQuerySet(ScopedQuerySet):
    def scope(self, user, action: Action) -> Q:
        """Owners whose record `user` may read in full (`view`) or change.

        A person's record is kept by the office of their home regency (see
        docs/owners.md): the user needs a business of the person, in that
        regency, inside their own scope. A business another regency registered
        for the same NIK shows the owner's name there, nothing more.
        """
        if signed_in(user) and user.is_superuser:
            return Q()
        # Archived businesses count: the office that archived one still keeps its owner, to restore it.
        kept = Business.with_archived.restrict(user, action).filter(
            owner_id=models.OuterRef("pk"), regency_id=models.OuterRef("home_regency_id")
        )
        return Q(models.Exists(kept))


class Person(models.Model):
    """A business owner (pelaku usaha). One person may own several businesses, in several regencies."""

    # Fields only the office keeping the record reads; another regency's office sees name and sex.
    PRIVATE_FIELDS = ("nik", "birth_date", "phone", "address", "village")

    nik = models.CharField(_("NIK"), max_length=16, null=True, blank=True, unique=True)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(
        _("tanggal lahir"), null=True, blank=True, validators=limits.past_date(limits.EARLIEST_BIRTH_DATE)
    )
    phone = models.CharField(_("nomor HP"), max_length=16, blank=True)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("desa/kelurahan")
    )
    # The regency whose office keeps this record: where the person was first registered.
    # It moves only when no business of theirs is left there (`registry.owners.refresh_homes`).
    home_regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        db_index=False,
        db_constraint=False,
        verbose_name=_("dikelola oleh kabupaten/kota"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The bulk write that created the person: removing an unpublished one removes them too.
    bulk_write = models.ForeignKey(
        "BulkWrite",
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        db_constraint=False,
    )

    objects = models.Manager.from_queryset(PersonQuerySet)()

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("pemilik usaha")
        verbose_name_plural = pgettext_lazy("plural", "pemilik usaha")
        constraints = [
            models.CheckConstraint(
                condition=limits.date_between("birth_date", limits.EARLIEST_BIRTH_DATE), name="person_birth_date_range"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class LegalForm(models.TextChoices):
    INDIVIDUAL = "perorangan", _("Perorangan")
    UD = "ud", _("Usaha Dagang (UD)")
    CV = "cv", _("CV")
    PT = "pt", _("PT")
    PT_INDIVIDUAL = "pt_perorangan", _("PT Perorangan")
    COOPERATIVE = "koperasi", _("Koperasi")
    FIRM = "firma", _("Firma")
    OTHER = "lainnya", _("Lainnya")


class OperatingStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    DORMANT = "dormant", _("Tidak aktif sementara")
    CLOSED = "closed", _("Tutup")
    MOVED = "moved", _("Pindah")


class Maturity(models.TextChoices):
    TRADITIONAL = "traditional", _("Tradisional")
    MODERN = "modern", _("Manajemen modern")
    DIGITAL = "digital", _("Digital/inovatif")


class BulkWrite(models.Model):
    """A large write of registry rows made in committed chunks (an import), so that no other writer
    waits long for SQLite's write lock. Its businesses stay out of every read until it is published,
    at once; a write that never publishes is removed, rows and all (`registry.bulk`)."""

    label = models.CharField(_("keterangan"), max_length=200)
    started_at = models.DateTimeField(_("mulai"), auto_now_add=True)
    heartbeat_at = models.DateTimeField(_("terakhir bekerja"), auto_now_add=True)
    published_at = models.DateTimeField(_("diterbitkan"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("penulisan massal")
        verbose_name_plural = pgettext_lazy("plural", "penulisan massal")

    def __str__(self) -> str:
        return self.label


def unpublished_writes() -> models.QuerySet:
    return BulkWrite.objects.filter(published_at__isnull=True).values("pk")


class BusinessQuerySet(ScopedQuerySet):
    def scope(self, user, action: Action) -> Q:
        """What `user` may see, change or archive (`registry/scope.py`)."""
        return business_scope(user, action)


class ArchivedTooManager(models.Manager.from_queryset(BusinessQuerySet)):  # type: ignore[misc]
    """Businesses that are published, archived ones too: their own pages, restoring them."""

    def get_queryset(self) -> BusinessQuerySet:
        return super().get_queryset().exclude(bulk_write_id__in=unpublished_writes())


class BusinessManager(ArchivedTooManager):
    """Every read of businesses leaves out those of a bulk write not yet published, and archived ones:
    lists, search, exports, figures and the engine's comparisons never see them."""

    def get_queryset(self) -> BusinessQuerySet:
        return super().get_queryset().filter(archived_at__isnull=True)


class Business(models.Model):
    """One UMKM (usaha mikro, kecil dan menengah)."""

    name = models.CharField(_("nama usaha"), max_length=200)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="businesses", verbose_name=_("pemilik"))
    nib = models.CharField(_("NIB"), max_length=13, blank=True)
    kbli = models.ForeignKey(
        Kbli,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # KBLI rows are reference data, never deleted; lists filter by section
        verbose_name=_("KBLI"),
        limit_choices_to={"level": "subclass"},
    )
    kbli_section = models.CharField(_("kategori KBLI"), max_length=1, blank=True, editable=False)
    # What the officer or the owner wrote the business does ("keripik singkong"): the KBLI is chosen from it.
    activity = models.CharField(_("kegiatan usaha"), max_length=200, blank=True)
    address = models.CharField(_("alamat usaha"), max_length=300, blank=True)
    # The region keys need no index of their own: each leads one of the list indexes below,
    # and an import of a million rows pays for every index it writes. District, regency and
    # province are copies of the village's own (see `refresh_derived_fields`), so the village's
    # foreign key already vouches for them and they carry no constraint of their own.
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name=_("desa/kelurahan")
    )
    # Copied from the village on save, so that scope and filters need no joins.
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,
        db_constraint=False,
        verbose_name=_("kecamatan"),
    )
    regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,
        db_constraint=False,
        verbose_name=_("kabupaten/kota"),
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,
        db_constraint=False,
        verbose_name=_("provinsi"),
    )
    latitude = models.DecimalField(
        _("lintang"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-11), MaxValueValidator(6)],
    )
    longitude = models.DecimalField(
        _("bujur"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(94), MaxValueValidator(142)],
    )
    start_year = models.PositiveSmallIntegerField(
        _("tahun mulai"),
        null=True,
        blank=True,
        validators=[MinValueValidator(limits.EARLIEST_START_YEAR), limits.NotInFuture()],
    )
    start_month = models.PositiveSmallIntegerField(
        _("bulan mulai"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    legal_form = models.CharField(
        _("bentuk usaha"), max_length=15, choices=LegalForm.choices, default=LegalForm.INDIVIDUAL
    )
    capital = models.BigIntegerField(
        _("modal usaha"),
        null=True,
        blank=True,
        help_text=_("Tidak termasuk tanah dan bangunan tempat usaha."),
        validators=limits.at_most(limits.MAX_AMOUNT),
    )
    annual_turnover = models.BigIntegerField(
        _("omzet tahunan"), null=True, blank=True, validators=limits.at_most(limits.MAX_AMOUNT)
    )
    # Capital and turnover an officer confirmed as true though they point to different size classes
    # (the quality check "skala tidak cocok" stays clear while both are unchanged).
    size_confirmed_capital = models.BigIntegerField(_("modal yang dipastikan"), null=True, blank=True, editable=False)
    size_confirmed_turnover = models.BigIntegerField(_("omzet yang dipastikan"), null=True, blank=True, editable=False)
    workers_paid_male = models.PositiveIntegerField(
        _("tenaga kerja dibayar, laki-laki"), default=0, validators=limits.at_most(limits.MAX_WORKERS)
    )
    workers_paid_female = models.PositiveIntegerField(
        _("tenaga kerja dibayar, perempuan"), default=0, validators=limits.at_most(limits.MAX_WORKERS)
    )
    workers_unpaid_male = models.PositiveIntegerField(
        _("tenaga kerja tidak dibayar, laki-laki"), default=0, validators=limits.at_most(limits.MAX_WORKERS)
    )
    workers_unpaid_female = models.PositiveIntegerField(
        _("tenaga kerja tidak dibayar, perempuan"), default=0, validators=limits.at_most(limits.MAX_WORKERS)
    )
    fostering_offices = models.ManyToManyField(
        Office, blank=True, related_name="fostered_businesses", verbose_name=_("dibina oleh")
    )
    status = models.CharField(
        _("status usaha"), max_length=10, choices=OperatingStatus.choices, default=OperatingStatus.ACTIVE
    )
    status_verified_on = models.DateField(
        _("terakhir diverifikasi"), null=True, blank=True, validators=limits.past_date(limits.EARLIEST_VERIFICATION)
    )
    status_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("diverifikasi oleh"),
    )
    maturity = models.CharField(
        _("tahap perkembangan"), max_length=12, choices=Maturity.choices, default=Maturity.TRADITIONAL
    )
    size_class = models.CharField(
        _("skala usaha"), max_length=8, choices=SizeClass.choices, default=SizeClass.UNKNOWN, editable=False
    )
    size_basis = models.CharField(
        _("dasar skala"), max_length=8, choices=SizeBasis.choices, default=SizeBasis.NONE, blank=True, editable=False
    )
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    # Users are deactivated, not deleted: no index for the rare SET NULL sweep.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        db_index=False,
    )

    # The office whose editors may archive the business. Empty (an import, the demo) or a partner
    # agency: the cooperative office of the business's regency holds it (`registry/scope.py`).
    registered_by_office = models.ForeignKey(
        Office,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        db_index=False,
        verbose_name=_("didaftarkan oleh kantor"),
    )
    # Archiving replaces deleting: the business leaves every list and figure, and an office admin may restore it.
    archived_at = models.DateTimeField(_("diarsipkan"), null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        db_index=False,
        verbose_name=_("diarsipkan oleh"),
    )
    # A database default too: imports and the demo seed insert rows with SQL of their own.
    archive_reason = models.CharField(
        _("alasan diarsipkan"), max_length=300, blank=True, default="", db_default="", editable=False
    )

    # The bulk write (an import) that created the business; hidden until it is published.
    bulk_write = models.ForeignKey(
        BulkWrite,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        db_constraint=False,
    )

    objects = BusinessManager()
    with_archived = ArchivedTooManager()
    all_objects = models.Manager.from_queryset(BusinessQuerySet)()  # the bulk writer's own, unpublished rows too

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("UMKM")
        verbose_name_plural = pgettext_lazy("plural", "UMKM")
        constraints = [
            # An archived business gives its NIB up, as a deleted one did (`services.restore_business` checks).
            models.UniqueConstraint(
                fields=["nib"], condition=~Q(nib="") & Q(archived_at__isnull=True), name="business_nib_unique"
            ),
            models.CheckConstraint(
                condition=limits.amount_within("capital", limits.MAX_AMOUNT), name="business_capital_range"
            ),
            models.CheckConstraint(
                condition=limits.amount_within("annual_turnover", limits.MAX_AMOUNT), name="business_turnover_range"
            ),
            models.CheckConstraint(
                condition=Q(
                    workers_paid_male__lte=limits.MAX_WORKERS,
                    workers_paid_female__lte=limits.MAX_WORKERS,
                    workers_unpaid_male__lte=limits.MAX_WORKERS,
                    workers_unpaid_female__lte=limits.MAX_WORKERS,
                ),
                name="business_workers_range",
            ),
            models.CheckConstraint(
                condition=Q(start_year__isnull=True)
                | Q(start_year__gte=limits.EARLIEST_START_YEAR, start_year__lte=limits.LATEST_STORED_DATE.year),
                name="business_start_year_range",
            ),
            models.CheckConstraint(
                condition=limits.date_between("status_verified_on", limits.EARLIEST_VERIFICATION),
                name="business_verified_range",
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) | Q(latitude__gte=-11, latitude__lte=6))
                & (Q(longitude__isnull=True) | Q(longitude__gte=94, longitude__lte=142)),
                name="business_coordinates_in_indonesia",
            ),
        ]
        indexes = [
            # Each list sort, under the scope filter that is always present.
            models.Index(fields=["regency", "name", "id"], name="business_regency_name"),
            models.Index(fields=["regency", "-updated_at", "-id"], name="business_regency_updated"),
            models.Index(fields=["province", "name", "id"], name="business_province_name"),
            models.Index(fields=["district", "name", "id"], name="business_district_name"),
            models.Index(fields=["village", "name", "id"], name="business_village_name"),
            models.Index(fields=["regency", "status", "name", "id"], name="business_regency_status"),
            models.Index(fields=["regency", "size_class", "name", "id"], name="business_regency_size"),
            models.Index(fields=["regency", "maturity", "name", "id"], name="business_regency_maturity"),
            models.Index(fields=["regency", "kbli_section", "name", "id"], name="business_regency_section"),
            models.Index(fields=["name", "id"], name="business_name"),
            # The map's box (selectors.map_points), under a regency's scope and without one.
            models.Index(fields=["regency", "latitude", "longitude"], name="business_regency_location"),
            models.Index(fields=["latitude", "longitude"], name="business_location"),
            models.Index(fields=["nib"], name="business_nib"),
            # The few archived, by when: figures read back to a day count those archived since.
            models.Index(fields=["archived_at"], condition=Q(archived_at__isnull=False), name="business_archived_at"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.refresh_derived_fields()
        super().save(*args, **kwargs)
        if self.owner.home_regency_id is None:  # an owner's first business decides who keeps their record
            Person.objects.filter(pk=self.owner_id, home_regency__isnull=True).update(home_regency_id=self.regency_id)
            self.owner.home_regency_id = self.regency_id

    def refresh_derived_fields(
        self, *, product_names: list[str] | None = None, kbli_section: str | None = None
    ) -> None:
        """Region copies, KBLI section, size class and search text from the typed fields.

        Bulk writers that already hold the product names and the KBLI section pass them,
        which saves the two queries this would otherwise make per business.
        """
        if kbli_section is None:
            kbli_section = self.kbli.section if self.kbli_id else ""
        self.kbli_section = kbli_section if self.kbli_id else ""
        if product_names is None:
            product_names = list(self.products.values_list("name", flat=True)) if self.pk else []
        derived = derived_fields(
            village_code=self.village_id,
            capital=self.capital,
            annual_turnover=self.annual_turnover,
            name=self.name,
            owner_name=self.owner.full_name,
            product_names=product_names,
        )
        for field_name, value in derived._asdict().items():
            setattr(self, field_name, value)

    @property
    def workers_total(self) -> int:
        return self.workers_paid_male + self.workers_paid_female + self.workers_unpaid_male + self.workers_unpaid_female


class ProductCategory(models.TextChoices):
    FOOD = "makanan", _("Makanan")
    DRINK = "minuman", _("Minuman")
    FASHION = "fesyen", _("Fesyen & tekstil")
    CRAFT = "kerajinan", _("Kerajinan")
    AGRI = "pertanian", _("Hasil pertanian")
    FISHERY = "perikanan", _("Hasil perikanan")
    COSMETIC = "kosmetik", _("Kosmetik & herbal")
    SERVICE = "jasa", _("Jasa")
    OTHER = "lainnya", _("Lainnya")


class Packaging(models.TextChoices):
    NONE = "tanpa", _("Tanpa kemasan")
    PLASTIC = "plastik", _("Plastik polos")
    POUCH = "pouch", _("Standing pouch")
    BOX = "kotak", _("Kotak/karton")
    JAR = "botol", _("Botol/toples")
    CAN = "kaleng", _("Kaleng")
    VACUUM = "vakum", _("Vakum")
    OTHER = "lainnya", _("Lainnya")


class BusinessChildQuerySet(ScopedQuerySet):
    def scope(self, user, action: Action) -> Q:
        """A product, licence or channel goes with its business."""
        return Q(business__in=Business.objects.restrict(user, action).values("pk"))


class Product(models.Model):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="products", verbose_name=_("UMKM"))
    name = models.CharField(_("nama produk"), max_length=150)
    category = models.CharField(
        _("kategori"), max_length=10, choices=ProductCategory.choices, default=ProductCategory.FOOD
    )
    unit = models.CharField(_("satuan"), max_length=30, default="pcs")
    price = models.BigIntegerField(_("harga"), null=True, blank=True, validators=limits.at_most(limits.MAX_AMOUNT))
    monthly_capacity = models.PositiveIntegerField(
        _("kapasitas per bulan"), null=True, blank=True, validators=limits.at_most(limits.MAX_QUANTITY)
    )
    packaging = models.CharField(_("kemasan"), max_length=10, choices=Packaging.choices, default=Packaging.PLASTIC)
    photo = models.ImageField(_("foto"), upload_to="products/%Y/%m/", blank=True)  # stored by photos.StoredPhoto
    # Smaller copies for the pages, made from the photo on first use (under PHOTO_SIZES_FOLDER).
    photo_thumbnail = ImageSpecField(source="photo", spec=photos.Thumbnail)
    photo_medium = ImageSpecField(source="photo", spec=photos.Medium)

    objects = models.Manager.from_queryset(BusinessChildQuerySet)()

    class Meta:
        ordering = ["business_id", "name"]
        verbose_name = _("produk")
        verbose_name_plural = pgettext_lazy("plural", "produk")
        constraints = [
            models.CheckConstraint(
                condition=limits.amount_within("price", limits.MAX_AMOUNT), name="product_price_range"
            ),
            models.CheckConstraint(
                condition=limits.amount_within("monthly_capacity", limits.MAX_QUANTITY), name="product_capacity_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LicenceKind(models.TextChoices):
    PIRT = "pirt", _("PIRT")
    HALAL = "halal", _("Halal")
    BPOM = "bpom", _("BPOM")
    SNI = "sni", _("SNI")
    HKI = "hki", _("Merek/HKI")


class Licence(models.Model):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="licences", verbose_name=_("UMKM"))
    kind = models.CharField(_("jenis"), max_length=6, choices=LicenceKind.choices)
    number = models.CharField(_("nomor"), max_length=60)
    issued_on = models.DateField(
        _("tanggal terbit"), null=True, blank=True, validators=limits.past_date(limits.EARLIEST_LICENCE)
    )
    expires_on = models.DateField(
        _("berlaku sampai"),
        null=True,
        blank=True,
        validators=[limits.NotBefore(limits.EARLIEST_LICENCE), MaxValueValidator(limits.LATEST_STORED_DATE)],
    )

    objects = models.Manager.from_queryset(BusinessChildQuerySet)()

    class Meta:
        ordering = ["business_id", "kind"]
        verbose_name = _("izin/sertifikat")
        verbose_name_plural = pgettext_lazy("plural", "izin/sertifikat")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gte=models.F("issued_on")),
                name="licence_expires_after_issue",
            ),
            models.CheckConstraint(
                condition=limits.date_between("issued_on", limits.EARLIEST_LICENCE), name="licence_issued_range"
            ),
            models.CheckConstraint(
                condition=limits.date_between("expires_on", limits.EARLIEST_LICENCE), name="licence_expires_range"
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "business"], name="licence_kind_business"),
            # Licences expiring soon, and those that lapsed or were issued since a day (figures read back).
            models.Index(fields=["expires_on"], name="licence_expires_on"),
            models.Index(fields=["issued_on"], name="licence_issued_on"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class ChannelKind(models.TextChoices):
    MARKETPLACE = "marketplace", _("Toko marketplace")
    INSTAGRAM = "instagram", _("Instagram")
    WHATSAPP = "whatsapp", _("Katalog WhatsApp")
    FACEBOOK = "facebook", _("Facebook")
    TIKTOK = "tiktok", _("TikTok Shop")
    WEBSITE = "website", _("Situs web")
    OTHER = "lainnya", _("Lainnya")


class DigitalChannel(models.Model):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="channels", verbose_name=_("UMKM"))
    kind = models.CharField(_("jenis"), max_length=12, choices=ChannelKind.choices)
    name = models.CharField(_("nama toko/akun"), max_length=150)
    url = models.URLField(_("tautan"), blank=True)

    objects = models.Manager.from_queryset(BusinessChildQuerySet)()

    class Meta:
        ordering = ["business_id", "kind"]
        verbose_name = _("saluran digital")
        verbose_name_plural = pgettext_lazy("plural", "saluran digital")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"


class BusinessHistory(models.Model):
    """What every history row has: when, by whom, and the business it belongs to."""

    changed_at = models.DateTimeField(_("waktu"), db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = models.Manager.from_queryset(BusinessChildQuerySet)()

    class Meta:
        abstract = True
        ordering = ["business_id", "changed_at", "id"]


class StatusChange(BusinessHistory):
    """A business's operating status over time; the first row is its registration."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="status_history")
    status = models.CharField(_("status usaha"), max_length=10, choices=OperatingStatus.choices)
    previous_status = models.CharField(max_length=10, choices=OperatingStatus.choices, blank=True)

    class Meta(BusinessHistory.Meta):
        verbose_name = _("perubahan status")
        verbose_name_plural = pgettext_lazy("plural", "perubahan status")

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.changed_at:%Y-%m-%d})"


class MaturityChange(BusinessHistory):
    """A business's maturity stage over time (traditional → modern → digital)."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="maturity_history")
    stage = models.CharField(_("tahap perkembangan"), max_length=12, choices=Maturity.choices)
    previous_stage = models.CharField(max_length=12, choices=Maturity.choices, blank=True)

    class Meta(BusinessHistory.Meta):
        verbose_name = _("perubahan tahap")
        verbose_name_plural = pgettext_lazy("plural", "perubahan tahap")

    def __str__(self) -> str:
        return f"{self.get_stage_display()} ({self.changed_at:%Y-%m-%d})"


class SizeClassChange(BusinessHistory):
    """A business's size class over time, as its capital or turnover changed; the first row is its registration."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="size_history")
    size_class = models.CharField(_("skala usaha"), max_length=8, choices=SizeClass.choices)
    previous_size_class = models.CharField(max_length=8, choices=SizeClass.choices, blank=True)

    class Meta(BusinessHistory.Meta):
        verbose_name = _("perubahan skala")
        verbose_name_plural = pgettext_lazy("plural", "perubahan skala")

    def __str__(self) -> str:
        return f"{self.get_size_class_display()} ({self.changed_at:%Y-%m-%d})"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("menunggu")
    ACCEPTED = "accepted", _("diterima")
    DECLINED = "declined", _("ditolak")
    WITHDRAWN = "withdrawn", _("ditarik")


class PersonProposalQuerySet(ScopedQuerySet):
    def scope(self, user, action: Action) -> Q:
        """Proposals the keeping office decides on (`change`) or may read (`view`), and those the user's office made."""
        if signed_in(user) and user.is_superuser:
            return Q()
        kept = Q(person__in=Person.objects.restrict(user, action).values("pk"))
        if action == "view" and signed_in(user) and user.office_id:
            kept |= Q(office_id=user.office_id)
        return kept


class PersonProposal(models.Model):
    """What another office typed about an owner whose record it does not keep, for the keeping office to decide.

    Nothing of the person changes until the keeping office accepts (see docs/owners.md).
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="proposals")
    business = models.ForeignKey(
        Business,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person_proposals",
        verbose_name=_("lewat UMKM"),
    )
    office = models.ForeignKey(
        Office, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("kantor pengusul")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(_("diusulkan"), auto_now_add=True)
    values = models.JSONField(_("usulan"), default=dict)  # field → proposed value, as JSON
    source = models.CharField(_("asal"), max_length=100, blank=True)  # "formulir", "impor #12"
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)

    objects = models.Manager.from_queryset(PersonProposalQuerySet)()

    class Meta:
        ordering = ["-proposed_at", "-id"]
        indexes = [models.Index(fields=["person", "status"], name="personproposal_person_status")]
        verbose_name = _("usulan perubahan data pemilik")
        verbose_name_plural = pgettext_lazy("plural", "usulan perubahan data pemilik")

    def __str__(self) -> str:
        return f"{self.person} ({self.get_status_display()})"

    def _shown(self, name: str, value: object) -> str:
        from django.utils.formats import date_format

        from sentra.core.formatting import format_phone

        field = Person._meta.get_field(name)
        if value in (None, ""):
            return ""
        if name == "phone":
            return format_phone(str(value))
        if name == "birth_date":
            return date_format(field.to_python(value), "j M Y")
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        return str(value)

    def labelled_values(self) -> list[tuple[str, str]]:
        """(field label, proposed value) as the proposing office reads them."""
        return [
            (str(Person._meta.get_field(name).verbose_name), self._shown(name, v)) for name, v in self.values.items()
        ]

    def comparison(self) -> list[tuple[str, str, str]]:
        """(field label, stored value, proposed value), for the keeping office to decide."""
        return [
            (str(Person._meta.get_field(name).verbose_name), self._shown(name, getattr(self.person, name)), shown)
            for (name, _value), (_label, shown) in zip(self.values.items(), self.labelled_values(), strict=True)
        ]
