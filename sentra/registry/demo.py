"""Deterministic demo data: the founding offices, their users, and a registry of UMKM.

`seed_demo()` is what `manage.py seed_demo` runs. It writes rows straight to
the tables in batches (COPY on PostgreSQL, executemany on SQLite) and fills
every derived Business column itself exactly as `Business.refresh_derived_fields`
would, so that a million businesses load in minutes. Seeded rows get no audit
log entries: nobody changed them.

Everything drawn at random comes from `random.Random` seeded by the seed and
the batch's first index, so the same seed on an empty database gives the same
registry. NIKs and NIBs are not drawn but computed from the row's id through a
bijection, which makes them unique without looking up what already exists.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from bisect import bisect
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from sentra.accounts.models import Office, OfficeKind, Role, User
from sentra.kbli.models import Kbli, KbliLevel
from sentra.regions.models import Village
from sentra.registry.derived import derived_fields
from sentra.registry.models import (
    Business,
    ChannelKind,
    DigitalChannel,
    LegalForm,
    Licence,
    LicenceKind,
    Maturity,
    MaturityChange,
    OperatingStatus,
    Packaging,
    Person,
    Product,
    ProductCategory,
    Sex,
    SizeClassChange,
    StatusChange,
)
from sentra.registry.search import fold
from sentra.registry.signals import bulk_load_finished, bulk_loaded
from sentra.registry.sizing import SizeClass, size_class_for

DEFAULT_SEED = 1945
DEFAULT_BUSINESSES = 20_000
PASSWORD = "sentra-demo"
BATCH_SIZE = 5_000  # rows generated and inserted at a time: bounds memory
TRANSACTION_SIZE = 100_000  # businesses per commit, and per progress line
BULK_LOAD_FROM = 50_000  # from this many new businesses on, foreign key checks are skipped (see below)
JAKARTA = dt.timezone(dt.timedelta(hours=7))
UTC = dt.UTC


def words(text: str, sep: str | None = None) -> list[str]:
    """The data tables below are written as one string per list, to stay readable."""
    return text.split(sep)


# ---------------------------------------------------------------------------
# Offices and users
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OfficeSpec:
    code: str
    name: str
    kind: str
    province: str
    regency: str | None


REGENCY_DINKOP = "Dinas Koperasi dan UKM Kabupaten"
OFFICES: tuple[OfficeSpec, ...] = (
    OfficeSpec("dinkop-tuba", f"{REGENCY_DINKOP} Tulang Bawang", OfficeKind.KOPERASI_UKM, "18", "18.05"),
    OfficeSpec("dinkop-lamsel", f"{REGENCY_DINKOP} Lampung Selatan", OfficeKind.KOPERASI_UKM, "18", "18.01"),
    OfficeSpec("dinkop-pesawaran", f"{REGENCY_DINKOP} Pesawaran", OfficeKind.KOPERASI_UKM, "18", "18.09"),
    OfficeSpec("dinkop-bateng", f"{REGENCY_DINKOP} Bangka Tengah", OfficeKind.KOPERASI_UKM, "19", "19.04"),
    OfficeSpec("dinkop-blora", f"{REGENCY_DINKOP} Blora", OfficeKind.KOPERASI_UKM, "33", "33.16"),
    OfficeSpec(
        "dinkop-babel", "Dinas Koperasi dan UKM Provinsi Kepulauan Bangka Belitung", OfficeKind.KOPERASI_UKM, "19", None
    ),
    OfficeSpec("dinkop-lampung", "Dinas Koperasi dan UKM Provinsi Lampung", OfficeKind.KOPERASI_UKM, "18", None),
    OfficeSpec("disperin-blora", "Dinas Perindustrian Kabupaten Blora", OfficeKind.PERINDUSTRIAN, "33", "33.16"),
    OfficeSpec("diskan-tuba", "Dinas Perikanan Kabupaten Tulang Bawang", OfficeKind.PERIKANAN, "18", "18.05"),
    OfficeSpec("distan-lamsel", "Dinas Pertanian Kabupaten Lampung Selatan", OfficeKind.PERTANIAN, "18", "18.01"),
)


@dataclass(frozen=True)
class UserSpec:
    username: str
    office: str | None
    role: str
    first_name: str
    last_name: str
    is_staff: bool = False
    is_superuser: bool = False


USERS: tuple[UserSpec, ...] = (
    UserSpec("blora.admin", "dinkop-blora", Role.ADMIN, "Sri", "Wahyuningsih", is_staff=True),
    UserSpec("blora.petugas", "dinkop-blora", Role.OFFICER, "Agus", "Setiawan"),
    UserSpec("blora.pemantau", "dinkop-blora", Role.VIEWER, "Dwi", "Lestari"),
    UserSpec("tuba.petugas", "dinkop-tuba", Role.OFFICER, "Rizal", "Effendi"),
    UserSpec("lamsel.petugas", "dinkop-lamsel", Role.OFFICER, "Fitri", "Handayani"),
    UserSpec("pesawaran.petugas", "dinkop-pesawaran", Role.OFFICER, "Hendra", "Saputra"),
    UserSpec("bateng.petugas", "dinkop-bateng", Role.OFFICER, "Nurul", "Aini"),
    UserSpec("babel.provinsi", "dinkop-babel", Role.VIEWER, "Lina", "Marlina"),
    UserSpec("lampung.provinsi", "dinkop-lampung", Role.VIEWER, "Yusuf", "Ramadhan"),
    UserSpec("babel.admin", "dinkop-babel", Role.ADMIN, "Rahmat", "Hidayat", is_staff=True),
    UserSpec("disperin.blora", "disperin-blora", Role.OFFICER, "Bambang", "Sutrisno"),
    UserSpec("pusat", None, Role.ADMIN, "Andi", "Pratama", is_staff=True, is_superuser=True),
)


def ensure_offices() -> dict[str, Office]:
    """Create the demo offices that are missing; existing ones are left as they are."""
    offices = {}
    for spec in OFFICES:
        office, _ = Office.objects.get_or_create(
            code=spec.code,
            defaults={"name": spec.name, "kind": spec.kind, "province_id": spec.province, "regency_id": spec.regency},
        )
        offices[spec.code] = office
    return offices


def ensure_users(offices: dict[str, Office]) -> dict[str, User]:
    """Create the demo users that are missing, all with the password `sentra-demo`."""
    existing = {user.username: user for user in User.objects.filter(username__in=[u.username for u in USERS])}
    password_hash = None
    users = {}
    for spec in USERS:
        user = existing.get(spec.username)
        if user is None:
            # One PBKDF2 run for all users: hashing is deliberately slow.
            password_hash = password_hash or make_password(PASSWORD)
            user = User.objects.create(
                username=spec.username,
                password=password_hash,
                first_name=spec.first_name,
                last_name=spec.last_name,
                email=f"{spec.username}@sentra.example",
                office=offices[spec.office] if spec.office else None,
                role=spec.role,
                is_staff=spec.is_staff,
                is_superuser=spec.is_superuser,
            )
        users[spec.username] = user
    return users


def demo_logins() -> list[tuple[str, str, str, str]]:
    """(username, password, office, role) for each demo user, as `make run` shows them."""
    names = {spec.code: spec.name for spec in OFFICES}
    rows = []
    for spec in USERS:
        role = "Superuser" if spec.is_superuser else str(Role(spec.role).label)
        rows.append((spec.username, PASSWORD, names[spec.office] if spec.office else "(semua wilayah)", role))
    return rows


# ---------------------------------------------------------------------------
# What each founding regency makes
# ---------------------------------------------------------------------------

PackagingChoice = tuple[str, ...]
FOOD_PACKS: PackagingChoice = (Packaging.PLASTIC, Packaging.PLASTIC, Packaging.POUCH, Packaging.POUCH, Packaging.BOX)


@dataclass(frozen=True)
class ProductSpec:
    name: str
    unit: str
    price: tuple[int, int]
    capacity: tuple[int, int]
    packaging: PackagingChoice = FOOD_PACKS


@dataclass(frozen=True)
class Line:
    """A line of business: its KBLI code, how businesses in it are named, what they sell."""

    kbli: str
    weight: int
    labels: tuple[str, ...]  # how a personal business is named: "Terasi Rebon" + " Bu Sri"
    brands: tuple[str, ...]  # the word a UD/CV/koperasi puts first: "UD Jati Makmur"
    category: str
    products: tuple[ProductSpec, ...]
    licences: tuple[tuple[str, float], ...]
    partner: bool = False  # fostered by the regency's partner agency (some of them)
    female_share: float = 0.5


PACKAGED_FOOD = (
    (LicenceKind.PIRT, 0.35),
    (LicenceKind.HALAL, 0.25),
    (LicenceKind.BPOM, 0.02),
    (LicenceKind.HKI, 0.04),
)
EATERY = ((LicenceKind.HALAL, 0.2), (LicenceKind.HKI, 0.02))
CRAFT = ((LicenceKind.HKI, 0.07), (LicenceKind.SNI, 0.01))
SERVICE = ((LicenceKind.HKI, 0.02),)

TULANG_BAWANG = (
    Line(
        "10295",
        30,
        ("Terasi", "Terasi Rebon", "Terasi Udang"),
        ("Rebon", "Terasi"),
        ProductCategory.FISHERY,
        (
            ProductSpec("Terasi rebon 250 g", "bungkus", (8_000, 15_000), (200, 2_000)),
            ProductSpec("Terasi udang 500 g", "bungkus", (15_000, 28_000), (100, 1_000)),
            ProductSpec("Terasi bakar siap pakai", "toples", (12_000, 25_000), (100, 800), (Packaging.JAR,)),
            ProductSpec("Terasi balok 1 kg", "kg", (30_000, 55_000), (50, 500), (Packaging.PLASTIC,)),
        ),
        PACKAGED_FOOD,
        partner=True,
        female_share=0.7,
    ),
    Line(
        "10212",
        25,
        ("Ikan Asap", "Ikan Salai", "Salai Ikan"),
        ("Salai", "Mina"),
        ProductCategory.FISHERY,
        (
            ProductSpec("Ikan patin asap", "kg", (70_000, 120_000), (50, 600), (Packaging.PLASTIC, Packaging.VACUUM)),
            ProductSpec("Ikan baung asap", "kg", (90_000, 150_000), (30, 400), (Packaging.PLASTIC, Packaging.VACUUM)),
            ProductSpec("Ikan lele asap", "kg", (50_000, 90_000), (50, 600), (Packaging.PLASTIC, Packaging.VACUUM)),
            ProductSpec("Ikan gabus asap", "kg", (100_000, 180_000), (20, 300), (Packaging.VACUUM,)),
        ),
        PACKAGED_FOOD,
        partner=True,
        female_share=0.5,
    ),
    Line(
        "10216",
        20,
        ("Bakso Ikan", "Baso Ikan", "Olahan Ikan"),
        ("Mina", "Bahari"),
        ProductCategory.FISHERY,
        (
            ProductSpec("Bakso ikan tenggiri isi 50", "bungkus", (20_000, 35_000), (100, 1_500)),
            ProductSpec("Otak-otak ikan", "bungkus", (15_000, 25_000), (100, 1_500)),
            ProductSpec("Nugget ikan patin", "bungkus", (18_000, 30_000), (100, 1_000)),
            ProductSpec("Pempek ikan", "bungkus", (25_000, 45_000), (100, 1_000), (Packaging.VACUUM, Packaging.BOX)),
        ),
        PACKAGED_FOOD,
        partner=True,
        female_share=0.7,
    ),
    Line(
        "10794",
        25,
        ("Kerupuk Ikan", "Kerupuk", "Kemplang"),
        ("Kerupuk", "Bahari"),
        ProductCategory.FOOD,
        (
            ProductSpec("Kerupuk ikan patin mentah 500 g", "bungkus", (25_000, 40_000), (100, 2_000)),
            ProductSpec("Kerupuk udang", "bungkus", (20_000, 35_000), (100, 2_000)),
            ProductSpec("Kemplang panggang", "bungkus", (10_000, 20_000), (200, 3_000)),
            ProductSpec("Amplang ikan", "toples", (15_000, 30_000), (100, 1_000), (Packaging.JAR, Packaging.POUCH)),
        ),
        PACKAGED_FOOD,
        partner=True,
        female_share=0.7,
    ),
)

LAMPUNG_SELATAN = (
    Line(
        "10422",
        20,
        ("VCO", "Minyak Kelapa", "VCO Kelapa"),
        ("Nyiur", "Kelapa"),
        ProductCategory.COSMETIC,
        (
            ProductSpec("Virgin coconut oil 100 ml", "botol", (25_000, 45_000), (100, 1_500), (Packaging.JAR,)),
            ProductSpec("VCO 250 ml", "botol", (45_000, 80_000), (50, 800), (Packaging.JAR,)),
            ProductSpec("Minyak kelapa murni 1 liter", "botol", (90_000, 150_000), (20, 300), (Packaging.JAR,)),
            ProductSpec("Sabun VCO", "pcs", (10_000, 20_000), (100, 1_000), (Packaging.BOX, Packaging.PLASTIC)),
        ),
        PACKAGED_FOOD,
        partner=True,
        female_share=0.6,
    ),
    Line(
        "10794",
        45,
        ("Keripik Pisang", "Kripik Pisang", "Aneka Keripik"),
        ("Pisang", "Kripik"),
        ProductCategory.FOOD,
        (
            ProductSpec("Keripik pisang cokelat 250 g", "bungkus", (15_000, 25_000), (200, 3_000)),
            ProductSpec("Keripik pisang original", "bungkus", (12_000, 20_000), (200, 3_000)),
            ProductSpec("Keripik pisang balado", "bungkus", (13_000, 22_000), (200, 2_000)),
            ProductSpec("Keripik pisang keju", "bungkus", (15_000, 25_000), (200, 2_000)),
            ProductSpec("Sale pisang", "bungkus", (15_000, 30_000), (100, 1_000)),
        ),
        PACKAGED_FOOD,
        female_share=0.7,
    ),
    Line(
        "10761",
        35,
        ("Kopi", "Kopi Robusta", "Kopi Bubuk"),
        ("Kopi", "Robusta"),
        ProductCategory.DRINK,
        (
            ProductSpec("Kopi robusta bubuk 250 g", "bungkus", (20_000, 40_000), (100, 2_000)),
            ProductSpec("Kopi robusta biji sangrai 1 kg", "kg", (90_000, 160_000), (20, 500), (Packaging.POUCH,)),
            ProductSpec("Kopi robusta biji mentah", "kg", (40_000, 70_000), (100, 3_000), (Packaging.NONE,)),
            ProductSpec("Kopi lanang bubuk", "bungkus", (30_000, 60_000), (50, 500), (Packaging.POUCH,)),
        ),
        PACKAGED_FOOD,
        partner=True,
        female_share=0.35,
    ),
)

PESAWARAN = (
    Line(
        "10794",
        30,
        ("Keripik", "Keripik Singkong", "Aneka Keripik"),
        ("Kripik", "Singkong"),
        ProductCategory.FOOD,
        (
            ProductSpec("Keripik singkong balado", "bungkus", (10_000, 20_000), (200, 3_000)),
            ProductSpec("Keripik pisang manis", "bungkus", (12_000, 20_000), (200, 3_000)),
            ProductSpec("Keripik tempe", "bungkus", (10_000, 18_000), (200, 2_000)),
            ProductSpec("Keripik ubi ungu", "bungkus", (12_000, 22_000), (100, 1_500)),
        ),
        PACKAGED_FOOD,
        female_share=0.7,
    ),
    Line(
        "10761",
        25,
        ("Kopi", "Kopi Robusta", "Kopi Bubuk"),
        ("Kopi", "Robusta"),
        ProductCategory.DRINK,
        (
            ProductSpec("Kopi robusta bubuk 200 g", "bungkus", (18_000, 35_000), (100, 2_000)),
            ProductSpec("Kopi robusta biji sangrai 500 g", "bungkus", (50_000, 90_000), (50, 800), (Packaging.POUCH,)),
            ProductSpec("Kopi jahe sachet", "kotak", (15_000, 25_000), (100, 1_000), (Packaging.BOX,)),
        ),
        PACKAGED_FOOD,
        female_share=0.35,
    ),
    Line(
        "10722",
        25,
        ("Gula Aren", "Gula Semut", "Gula Merah Aren"),
        ("Aren", "Nira"),
        ProductCategory.FOOD,
        (
            ProductSpec("Gula aren cetak", "kg", (18_000, 30_000), (100, 2_000), (Packaging.PLASTIC, Packaging.NONE)),
            ProductSpec("Gula semut aren 250 g", "bungkus", (15_000, 30_000), (100, 1_500), (Packaging.POUCH,)),
            ProductSpec("Gula aren cair", "botol", (20_000, 35_000), (50, 800), (Packaging.JAR,)),
        ),
        PACKAGED_FOOD,
        female_share=0.45,
    ),
    Line(
        "10731",
        20,
        ("Kakao", "Cokelat", "Olahan Kakao"),
        ("Kakao", "Cokelat"),
        ProductCategory.FOOD,
        (
            ProductSpec("Bubuk kakao murni 250 g", "bungkus", (25_000, 45_000), (50, 800), (Packaging.POUCH,)),
            ProductSpec("Cokelat batang", "pcs", (10_000, 25_000), (100, 2_000), (Packaging.BOX, Packaging.PLASTIC)),
            ProductSpec("Minuman cokelat sachet", "kotak", (20_000, 35_000), (50, 800), (Packaging.BOX,)),
            ProductSpec("Biji kakao fermentasi", "kg", (35_000, 60_000), (100, 2_000), (Packaging.NONE,)),
        ),
        PACKAGED_FOOD,
        female_share=0.5,
    ),
)

BANGKA_TENGAH = (
    Line(
        "10732",
        15,
        ("Cokelat", "Coklat", "Coklat Bangka"),
        ("Coklat", "Kakao"),
        ProductCategory.FOOD,
        (
            ProductSpec("Cokelat praline kemasan", "kotak", (35_000, 75_000), (50, 800), (Packaging.BOX,)),
            ProductSpec("Cokelat lada putih", "pcs", (15_000, 30_000), (100, 1_500), (Packaging.BOX, Packaging.POUCH)),
            ProductSpec("Cokelat batang susu", "pcs", (10_000, 20_000), (100, 2_000), (Packaging.BOX,)),
        ),
        PACKAGED_FOOD,
        female_share=0.65,
    ),
    Line(
        "14120",
        20,
        ("Penjahit", "Jahit", "Busana"),
        ("Busana", "Konveksi"),
        ProductCategory.FASHION,
        (
            ProductSpec("Jahit kemeja", "potong", (80_000, 150_000), (20, 150), (Packaging.NONE, Packaging.PLASTIC)),
            ProductSpec("Jahit seragam sekolah", "stel", (120_000, 200_000), (20, 200), (Packaging.NONE,)),
            ProductSpec("Jahit kebaya", "potong", (150_000, 350_000), (5, 60), (Packaging.NONE, Packaging.PLASTIC)),
            ProductSpec("Permak celana", "potong", (15_000, 30_000), (30, 300), (Packaging.NONE,)),
        ),
        SERVICE,
        female_share=0.6,
    ),
    Line(
        "96111",
        20,
        ("Pangkas Rambut", "Barbershop", "Cukur"),
        ("Barber", "Cukur"),
        ProductCategory.SERVICE,
        (
            ProductSpec("Potong rambut dewasa", "kali", (15_000, 35_000), (150, 900), (Packaging.NONE,)),
            ProductSpec("Potong rambut anak", "kali", (10_000, 20_000), (50, 400), (Packaging.NONE,)),
            ProductSpec("Cukur jenggot", "kali", (5_000, 10_000), (50, 300), (Packaging.NONE,)),
        ),
        SERVICE,
        female_share=0.1,
    ),
    Line(
        "10794",
        25,
        ("Kerupuk", "Kemplang", "Getas"),
        ("Kerupuk", "Bahari"),
        ProductCategory.FOOD,
        (
            ProductSpec("Kerupuk ikan tenggiri", "bungkus", (25_000, 45_000), (100, 2_000)),
            ProductSpec("Getas ikan", "bungkus", (15_000, 30_000), (100, 1_500)),
            ProductSpec("Kemplang panggang", "bungkus", (12_000, 25_000), (200, 3_000)),
            ProductSpec("Kerupuk cumi", "bungkus", (30_000, 55_000), (50, 800)),
        ),
        PACKAGED_FOOD,
        female_share=0.65,
    ),
    Line(
        "56102",
        20,
        ("Warung Lempah", "Rumah Makan", "Lempah Kuning"),
        ("Lempah", "Selera"),
        ProductCategory.FOOD,
        (
            ProductSpec("Lempah kuning ikan", "porsi", (25_000, 45_000), (300, 2_500), (Packaging.NONE,)),
            ProductSpec("Lempah darat", "porsi", (15_000, 25_000), (300, 2_000), (Packaging.NONE,)),
            ProductSpec("Lempah kuning daging sapi", "porsi", (35_000, 55_000), (100, 1_000), (Packaging.NONE,)),
            ProductSpec("Mi koba", "porsi", (15_000, 25_000), (300, 3_000), (Packaging.NONE,)),
        ),
        EATERY,
        female_share=0.55,
    ),
)

BLORA = (
    Line(
        "82920",
        12,
        ("Parcel", "Parsel", "Hampers"),
        ("Parcel", "Bingkisan"),
        ProductCategory.OTHER,
        (
            ProductSpec("Parcel lebaran", "paket", (150_000, 750_000), (20, 500), (Packaging.BOX,)),
            ProductSpec("Hampers natal", "paket", (200_000, 900_000), (10, 200), (Packaging.BOX,)),
            ProductSpec("Parcel buah", "paket", (100_000, 400_000), (10, 300), (Packaging.OTHER,)),
            ProductSpec("Seserahan pernikahan", "paket", (500_000, 3_000_000), (2, 40), (Packaging.BOX,)),
        ),
        CRAFT,
        female_share=0.75,
    ),
    Line(
        "13134",
        18,
        ("Batik Blora", "Batik", "Batik Tulis"),
        ("Batik", "Sekar Jati"),
        ProductCategory.FASHION,
        (
            ProductSpec("Batik tulis motif daun jati", "lembar", (250_000, 1_500_000), (5, 80), (Packaging.BOX,)),
            ProductSpec("Batik cap motif barongan", "lembar", (100_000, 250_000), (20, 300), (Packaging.PLASTIC,)),
            ProductSpec("Kemeja batik", "potong", (125_000, 350_000), (20, 300), (Packaging.PLASTIC, Packaging.BOX)),
            ProductSpec("Kain batik cap sekar jati", "lembar", (90_000, 200_000), (20, 400), (Packaging.PLASTIC,)),
        ),
        CRAFT,
        partner=True,
        female_share=0.7,
    ),
    Line(
        "16293",
        18,
        ("Kerajinan Jati", "Kerajinan Kayu Jati", "Ukir Jati"),
        ("Jati", "Karya Jati"),
        ProductCategory.CRAFT,
        (
            ProductSpec("Ukiran kayu jati", "pcs", (150_000, 2_500_000), (5, 60), (Packaging.NONE, Packaging.BOX)),
            ProductSpec("Asbak akar jati", "pcs", (25_000, 100_000), (20, 400), (Packaging.NONE,)),
            ProductSpec("Kotak tisu kayu jati", "pcs", (35_000, 80_000), (20, 300), (Packaging.BOX,)),
            ProductSpec("Miniatur barongan", "pcs", (50_000, 300_000), (10, 200), (Packaging.BOX,)),
            ProductSpec("Nampan kayu jati", "pcs", (40_000, 120_000), (20, 300), (Packaging.NONE,)),
        ),
        CRAFT,
        partner=True,
        female_share=0.15,
    ),
    Line(
        "10792",
        18,
        ("Kue", "Aneka Kue", "Jajanan Pasar"),
        ("Kue", "Jajan"),
        ProductCategory.FOOD,
        (
            ProductSpec("Lemper ayam", "pcs", (2_000, 4_000), (500, 6_000), (Packaging.NONE, Packaging.BOX)),
            ProductSpec("Wajik ketan", "kotak", (15_000, 35_000), (50, 800), (Packaging.BOX,)),
            ProductSpec("Kue lapis", "loyang", (40_000, 90_000), (20, 300), (Packaging.BOX,)),
            ProductSpec("Lumpia", "pcs", (2_500, 5_000), (500, 5_000), (Packaging.NONE, Packaging.BOX)),
            ProductSpec("Nasi kotak", "kotak", (15_000, 35_000), (100, 2_000), (Packaging.BOX,)),
        ),
        PACKAGED_FOOD,
        female_share=0.8,
    ),
    Line(
        "10392",
        14,
        ("Tahu", "Pabrik Tahu", "Tahu Kuning"),
        ("Tahu", "Kedelai"),
        ProductCategory.FOOD,
        (
            ProductSpec("Tahu putih", "papan", (25_000, 45_000), (300, 3_000), (Packaging.NONE,)),
            ProductSpec("Tahu goreng", "bungkus", (5_000, 12_000), (500, 5_000), (Packaging.PLASTIC,)),
            ProductSpec("Tahu kuning", "papan", (28_000, 48_000), (300, 3_000), (Packaging.NONE,)),
            ProductSpec("Kerupuk ampas tahu", "bungkus", (8_000, 15_000), (200, 2_000)),
        ),
        PACKAGED_FOOD,
        female_share=0.4,
    ),
    Line(
        "56103",
        20,
        ("Sate Ayam Blora", "Sate Blora", "Warung Sate"),
        ("Sate", "Selera"),
        ProductCategory.FOOD,
        (
            ProductSpec("Sate ayam Blora 10 tusuk", "porsi", (20_000, 30_000), (300, 3_000), (Packaging.NONE,)),
            ProductSpec("Sate kambing", "porsi", (30_000, 45_000), (100, 1_500), (Packaging.NONE,)),
            ProductSpec("Opor ayam", "porsi", (15_000, 25_000), (100, 1_500), (Packaging.NONE,)),
            ProductSpec("Lontong", "porsi", (3_000, 6_000), (300, 3_000), (Packaging.NONE,)),
        ),
        EATERY,
        female_share=0.45,
    ),
)

# ---------------------------------------------------------------------------
# People's names
# ---------------------------------------------------------------------------

JAVANESE_MALE = words(
    "Sugeng Slamet Bambang Agus Budi Joko Suparno Sutrisno Wahyudi Heru Eko Teguh Supriyadi Hadi Mulyono Sumarno "
    "Darmaji Suyanto Purwanto Rudi Yusuf Ari Wawan Yanto Gunawan Sukirno Paijo Sarmin Tukiman Kasno Ngadiman "
    "Sutarno Margono Rohmat Imam Arif Dimas Fajar Bagus Wahyu"
)
JAVANESE_MALE_LAST = words(
    "Santoso Prasetyo Susilo Wibowo Nugroho Hartono Setiawan Purnomo Saputro Widodo Kurniawan Hidayat Utomo "
    "Rahardjo Suryanto Sulistyo Wijaya Pamungkas Kuncoro Triyono Mulyadi Darmawan Ismail Riyanto"
)
JAVANESE_FEMALE = words(
    "Sri Siti Endang Sulastri Suharti Wahyuni Ratna Puji Rini Sumarni Lestari Sutarmi Warsini Kasmini Partini "
    "Yuliana Dewi Indah Nur Tutik Sukini Suwarni Jumiati Ngatini Murni Yati Tri Dwi Ani Eni Tika Anis Umi"
)
JAVANESE_FEMALE_LAST = words(
    "Rahayu Wahyuningsih Lestari Handayani Purwanti Suryani Astuti Mulyani Rahmawati Setyowati Kusumawati "
    "Aminah Fatimah Sulistyowati Kurniasih Yulianti Susanti Ningsih Widayati Maryati Sundari"
)
SUMATRAN_MALE = words(
    "Rizal Azhari Syahroni Marzuki Alamsyah Effendi Herman Zulkifli Syamsul Rohman Khairudin Hasan Darmawan "
    "Ismail Rusli Ahmad Muhammad Firdaus Hasbullah Syaiful Ridwan Yusri Amir Ilham Taufik Rahmat Hendri Irwan "
    "Sofyan Mursalin Fauzi Anwar"
)
SUMATRAN_MALE_LAST = words(
    "Syahputra Hakim Saleh Rasyid Pratama Gunawan Saputra Firmansyah Hamzah Nasution Kurniawan Ramadhan "
    "Hidayat Yusuf Azhar Hasibuan Alamsyah Setiadi Fikri Mansur"
)
SUMATRAN_FEMALE = words(
    "Fitriani Nurhayati Yusnidar Hasnah Mardiana Rosmiati Zainab Hayati Mursida Rosidah Aisyah Masnah Nurbaiti "
    "Yuliza Desi Lela Rika Novi Nurul Eka Susi Yeni Herlina Marlina Rohani Salmah Dahlia Nuraini Rahmah"
)
SUMATRAN_FEMALE_LAST = words(
    "Sari Wati Yanti Susanti Putri Lestari Fitri Rahmawati Handayani Marlina Zuraida Hasanah Ningsih Safitri "
    "Anggraini Ramadhani Maharani Oktaviani"
)
BANGKA_MALE = words(
    "Zulkarnain Syafrudin Rusdi Darwis Erwin Hendra Rahmat Jumadi Ramli Ahmadi Sabri Herman Jamaludin Amran "
    "Sahrul Bujang Sulaiman Samsudin Fahrizal Arifin Junaidi Jefri Azwar Kamarudin"
)
BANGKA_FEMALE = words(
    "Rosidah Aisyah Masnah Nurbaiti Juliana Maimunah Zubaidah Hasanah Fauziah Rohaya Rusmini Latifah Salbiah "
    "Nurjanah Yusmaniar Mariani Syarifah Hafsah Suryani Halimah"
)
CHINESE_SURNAMES = words("Lim Tan Tjhin Bong Tjong Phang Chong Lie Liu Huang Ng Jap Ku Fu Thjin Sie Kho")
CHINESE_MALE_GIVEN = words("Kim Fui|Ket Fa|A Kiong|Fuk Sin|Bun Khiong|Siu Min|Kian Hin|Tjoen Fat|Sen Fui|Jun Hok", "|")
CHINESE_FEMALE_GIVEN = words("Siu Lan|Mei Fong|Lie Fa|Sui Jin|Fung Mei|Ket Ngo|Lan Fong|Moi Fa|Jit Ngo|Sin Moi", "|")
INDO_CHINESE_MALE = words("Hendra Wijaya|Suryadi Halim|Yohanes Chandra|Budi Hartono|Andi Gunawan|Robert Tanoto", "|")
INDO_CHINESE_MALE += words("Sutrisno Tjhin|Rudy Santoso|Hengky Kurniawan|Edi Susanto|Johan Setiadi|Felix Salim", "|")
INDO_CHINESE_FEMALE = words("Lina Kurniawan|Meliana Lim|Susanti Tan|Lili Halim|Yuliana Chandra|Vivi Wijaya", "|")
INDO_CHINESE_FEMALE += words("Erni Susanto|Fenny Gunawan|Merry Tanoto|Linda Salim|Rita Hartono|Hoa Lie", "|")


def _chinese_name(rng: random.Random, female: bool) -> tuple[str, str, str]:
    """(full name, call name, honorific): Hakka names in Bangka, Indonesian ones elsewhere too."""
    if rng.random() < 0.5:
        surname = pick(rng, CHINESE_SURNAMES)
        given = pick(rng, CHINESE_FEMALE_GIVEN if female else CHINESE_MALE_GIVEN)
        return f"{surname} {given}", "A" + given.split()[-1].lower(), "Cik" if female else "Koh"
    full = pick(rng, INDO_CHINESE_FEMALE if female else INDO_CHINESE_MALE)
    return full, full.split()[0], "Bu" if female else "Koh"


def _local_name(
    rng: random.Random,
    female: bool,
    first: tuple[list[str], list[str]],
    last: tuple[list[str], list[str]],
    single: float,
) -> tuple[str, str, str]:
    sex = 1 if female else 0
    given = pick(rng, first[sex])
    full = given if rng.random() < single else f"{given} {pick(rng, last[sex])}"
    if full.split()[-1] == given and " " in full:  # "Lestari Lestari"
        full = given
    if rng.random() < 0.06:
        full = ("Hj. " if female else "H. ") + full
    return full, given, "Bu" if female else "Pak"


JAVANESE = ((JAVANESE_MALE, JAVANESE_FEMALE), (JAVANESE_MALE_LAST, JAVANESE_FEMALE_LAST))
SUMATRAN = ((SUMATRAN_MALE, SUMATRAN_FEMALE), (SUMATRAN_MALE_LAST, SUMATRAN_FEMALE_LAST))
MALAY = ((BANGKA_MALE, BANGKA_FEMALE), (SUMATRAN_MALE_LAST, SUMATRAN_FEMALE_LAST))


def person_name(rng: random.Random, culture: str, female: bool) -> tuple[str, str, str]:
    """(full name, call name, honorific) typical of the regency's people.

    Blora is Javanese; Lampung mixes Lampung/Sumatran Malay names with those of
    Javanese transmigrants and a few Chinese-Indonesians; Bangka is Malay with
    a large Chinese-Indonesian (Hakka) community.
    """
    draw = rng.random()
    if culture == "jawa":
        if draw < 0.97:
            return _local_name(rng, female, *JAVANESE, single=0.35)
        return _chinese_name(rng, female)
    if culture == "lampung":
        if draw < 0.5:
            return _local_name(rng, female, *SUMATRAN, single=0.3)
        if draw < 0.92:
            return _local_name(rng, female, *JAVANESE, single=0.35)
        return _chinese_name(rng, female)
    if draw < 0.58:
        return _local_name(rng, female, *MALAY, single=0.45)
    if draw < 0.9:
        return _chinese_name(rng, female)
    return _local_name(rng, female, *JAVANESE, single=0.35)


LUCKY = words(
    "Makmur|Jaya|Sejahtera|Barokah|Berkah|Mekar Sari|Sekar|Sumber Rejeki|Sri Rejeki|Lestari|Abadi|Mandiri|Sentosa|"
    "Manunggal|Mulya|Maju Jaya|Sari Rasa|Citra|Indah|Rizki|Amanah|Karya Mandiri|Tunas Harapan|Mekar Jaya|"
    "Sido Mulyo|Sido Rukun|Putri|Bunda|Family|Nusantara|Harapan Baru|Dua Putri|Tiga Saudara|Anugerah|Al Barokah|"
    "Lancar|Makmur Sejahtera|Sinar Terang|Cahaya|Mutiara",
    "|",
)
LUCKY_LOCAL = {
    "jawa": ("Sekar Jati", "Samin", "Wono Jati", "Ngudi Rejeki", "Sido Makmur", "Gemah Ripah"),
    "lampung": ("Siger", "Sai Bumi", "Ruwa Jurai", "Tapis", "Sang Bumi", "Khagom Mufakat"),
    "bangka": ("Serumpun Sebalai", "Timah", "Pelangi", "Sepintu Sedulang", "Bahari", "Pesisir"),
}
STREETS = words(
    "Raya|Merdeka|Pemuda|Diponegoro|Sudirman|Ahmad Yani|Gatot Subroto|Pahlawan|Kartini|Veteran|Melati|Mawar|"
    "Kenanga|Flamboyan|Pramuka|Masjid|Pasar|Sisingamangaraja|Imam Bonjol|Hasanuddin|Cut Nyak Dien|Teuku Umar",
    "|",
)
STREETS_LOCAL = {
    "jawa": ("Blora-Cepu", "Randublatung", "Kunden", "Mr. Iskandar"),
    "lampung": ("Lintas Timur", "Lintas Sumatera", "Lintas Barat", "Trans Sumatera"),
    "bangka": ("Koba-Pangkalpinang", "Depati Amir", "Batin Tikal", "Jenderal Sudirman"),
}
DUSUN_JAWA = words("Krajan|Kauman|Sidomulyo|Karanganyar|Ngrejo|Tegalrejo|Kedungwaru|Jetis|Sumberejo|Ngelo", "|")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII")
LEGAL_PREFIX = {
    LegalForm.UD.value: "UD",
    LegalForm.CV.value: "CV",
    LegalForm.PT.value: "PT",
    LegalForm.PT_INDIVIDUAL.value: "PT",
}
MOBILE_PREFIXES = words(
    "811 812 812 813 813 821 821 822 822 823 851 852 852 853 853 814 815 816 855 856 857 857 858 817 818 819 859 "
    "877 878 878 831 832 838 895 896 897 898 899 881 882 887 888"
)


@dataclass(frozen=True)
class RegencySpec:
    code: str
    weight: int
    culture: str
    dinkop: str
    partner: str | None
    lines: tuple[Line, ...]
    centre: tuple[float, float]
    officer: str  # the demo user who "registered" its businesses
    extra_office: tuple[str, float] | None = None  # another office fostering some of them


REGENCIES: tuple[RegencySpec, ...] = (
    # Blora reports 13,652 UMKM, the most of the founding regencies.
    RegencySpec("33.16", 46, "jawa", "dinkop-blora", "disperin-blora", BLORA, (-7.03, 111.38), "blora.petugas"),
    RegencySpec("18.05", 14, "lampung", "dinkop-tuba", "diskan-tuba", TULANG_BAWANG, (-4.35, 105.45), "tuba.petugas"),
    RegencySpec(
        "18.01", 17, "lampung", "dinkop-lamsel", "distan-lamsel", LAMPUNG_SELATAN, (-5.6, 105.6), "lamsel.petugas"
    ),
    RegencySpec("18.09", 12, "lampung", "dinkop-pesawaran", None, PESAWARAN, (-5.5, 105.1), "pesawaran.petugas"),
    RegencySpec(
        "19.04",
        11,
        "bangka",
        "dinkop-bateng",
        None,
        BANGKA_TENGAH,
        (-2.4, 106.3),
        "bateng.petugas",
        extra_office=("dinkop-babel", 0.1),
    ),
)
DEMO_REGENCIES = tuple(spec.code for spec in REGENCIES)

# ---------------------------------------------------------------------------
# Identifiers computed from ids (unique by construction)
# ---------------------------------------------------------------------------

BIRTH_FIRST = dt.date(1955, 1, 1)
BIRTH_DAYS = (dt.date(2005, 12, 31) - BIRTH_FIRST).days + 1
NIK_SPACE = BIRTH_DAYS * 9999
NIK_STEP = 2_147_483_647  # prime and larger than NIK_SPACE, so coprime with it: the map below is a bijection
NIK_OFFSET = 7_654_321
NIB_SPACE = 10**11
NIB_STEP = 7_919_461  # odd and not a multiple of 5: coprime with 10**11


def nik_parts(person_id: int) -> tuple[dt.date, int]:
    """(birth date, 4-digit serial) for a seeded person; distinct ids never share both."""
    mixed = (person_id * NIK_STEP + NIK_OFFSET) % NIK_SPACE
    return BIRTH_FIRST + dt.timedelta(days=mixed // 9999), mixed % 9999 + 1


def make_nik(district_code: str, birth_date: dt.date, female: bool, serial: int) -> str:
    """16 digits: district (6), birth date DDMMYY with 40 added to a woman's day, serial (4)."""
    day = birth_date.day + (40 if female else 0)
    return f"{district_code.replace('.', '')}{day:02d}{birth_date:%m%y}{serial:04d}"


def make_nib(business_id: int) -> str:
    return f"91{(business_id * NIB_STEP + 104_729) % NIB_SPACE:011d}"


# ---------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------


# random.Random's choice/randint/choices spend most of their time in argument handling; these
# do the same from one random() call each, which takes a fifth off the time to generate a business.
def pick(rng: random.Random, items: Sequence):
    return items[int(rng.random() * len(items))]


def between(rng: random.Random, low: int, high: int) -> int:
    """An integer from `low` to `high`, both included."""
    return low + int(rng.random() * (high - low + 1))


def below(rng: random.Random, low: int, high: int) -> int:
    """An integer from `low` to `high`, `high` excluded."""
    return low + int(rng.random() * (high - low))


def weighted(rng: random.Random, items: Sequence, cumulative_weights: Sequence[int]):
    return items[bisect(cumulative_weights, rng.random() * cumulative_weights[-1])]


def round_money(amount: float) -> int:
    """Round to two or three significant digits, in whole thousands: 37,412,993 → 37,400,000."""
    if amount < 100_000:
        return max(1_000, int(round(amount, -3)))
    digits = int(math.log10(amount)) - 2
    return int(round(amount, -digits))


def log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


@dataclass
class Batch:
    """Rows for every table, as tuples in the column order of `TABLES`."""

    persons: list[tuple] = field(default_factory=list)
    businesses: list[tuple] = field(default_factory=list)
    fostering: list[tuple] = field(default_factory=list)
    products: list[tuple] = field(default_factory=list)
    licences: list[tuple] = field(default_factory=list)
    channels: list[tuple] = field(default_factory=list)
    status_changes: list[tuple] = field(default_factory=list)
    maturity_changes: list[tuple] = field(default_factory=list)
    size_changes: list[tuple] = field(default_factory=list)


PERSON_COLUMNS = words("id nik full_name sex birth_date phone address village_id home_regency_id created_at updated_at")
BUSINESS_COLUMNS = words(
    "id name owner_id nib kbli_id kbli_section address village_id district_id regency_id province_id latitude "
    "longitude start_year start_month legal_form capital annual_turnover workers_paid_male workers_paid_female "
    "workers_unpaid_male workers_unpaid_female status status_verified_on status_verified_by_id maturity size_class "
    "size_basis search_text created_at updated_at created_by_id activity"
)
FOSTERING_COLUMNS = ["business_id", "office_id"]
PRODUCT_COLUMNS = words("business_id name category unit price monthly_capacity packaging photo")
LICENCE_COLUMNS = words("business_id kind number issued_on expires_on")
CHANNEL_COLUMNS = words("business_id kind name url")
STATUS_COLUMNS = words("business_id status previous_status changed_at changed_by_id")
MATURITY_COLUMNS = words("business_id stage previous_stage changed_at changed_by_id")
SIZE_COLUMNS = words("business_id size_class previous_size_class changed_at changed_by_id")

TABLES: tuple[tuple[str, type[models.Model], list[str]], ...] = (
    ("persons", Person, PERSON_COLUMNS),
    ("businesses", Business, BUSINESS_COLUMNS),
    ("fostering", Business.fostering_offices.through, FOSTERING_COLUMNS),
    ("products", Product, PRODUCT_COLUMNS),
    ("licences", Licence, LICENCE_COLUMNS),
    ("channels", DigitalChannel, CHANNEL_COLUMNS),
    ("status_changes", StatusChange, STATUS_COLUMNS),
    ("maturity_changes", MaturityChange, MATURITY_COLUMNS),
    ("size_changes", SizeClassChange, SIZE_COLUMNS),
)

SIZE_BELOW = {SizeClass.SMALL.value: SizeClass.MICRO.value, SizeClass.MEDIUM.value: SizeClass.SMALL.value}
STATUS_WEIGHTS = (
    (OperatingStatus.ACTIVE, 84),
    (OperatingStatus.DORMANT, 7),
    (OperatingStatus.CLOSED, 5),
    (OperatingStatus.MOVED, 4),
)
LEGAL_WEIGHTS = (
    (LegalForm.INDIVIDUAL, 80),
    (LegalForm.UD, 9),
    (LegalForm.CV, 5),
    (LegalForm.COOPERATIVE, 3),
    (LegalForm.PT_INDIVIDUAL, 2),
    (LegalForm.PT, 1),
)
# Weighted draws: the values, and their cumulative weights.
STATUSES, STATUS_CUM = [s.value for s, _ in STATUS_WEIGHTS], list(accumulate(w for _, w in STATUS_WEIGHTS))
LEGAL_FORMS, LEGAL_CUM = [f.value for f, _ in LEGAL_WEIGHTS], list(accumulate(w for _, w in LEGAL_WEIGHTS))
MATURITIES = [Maturity.TRADITIONAL.value, Maturity.MODERN.value, Maturity.DIGITAL.value]
MATURITY_CUM = [60, 90, 100]
MARKETPLACES = (("Shopee", "https://shopee.co.id/"), ("Tokopedia", "https://www.tokopedia.com/"))


@dataclass
class _Owner:
    id: int
    full_name: str
    call_name: str
    honorific: str
    phone: str
    village: tuple[str, str]  # (code, name)
    birth_year: int
    registered: dt.datetime
    businesses: int = 1


@dataclass
class _Region:
    spec: RegencySpec
    villages: list[tuple[str, str]]  # (code, name)
    line_weights: list[int]  # cumulative
    recent_owners: list[_Owner] = field(default_factory=list)


class DemoGenerator:
    """Builds the rows of one batch of businesses at a time.

    `villages` maps each demo regency code to its (village code, village name)
    pairs; `kbli_sections` maps each KBLI code used to its section; `offices`
    and `users` map demo codes and usernames to ids.
    """

    def __init__(
        self,
        *,
        seed: int,
        villages: dict[str, list[tuple[str, str]]],
        kbli_sections: dict[str, str],
        offices: dict[str, int],
        users: dict[str, int],
        today: dt.date,
    ) -> None:
        self.seed = seed
        self.kbli_sections = kbli_sections
        self.offices = offices
        self.users = users
        self.today = today
        self.now = dt.datetime.combine(today, dt.time(17, 0), JAKARTA)
        self.regions = [
            _Region(spec, sorted(villages[spec.code]), list(accumulate(line.weight for line in spec.lines)))
            for spec in REGENCIES
        ]
        self.region_weights = list(accumulate(spec.weight for spec in REGENCIES))

    def batch(self, start: int, count: int, first_person_id: int, first_business_id: int) -> Batch:
        """Rows for businesses number `start` … `start + count - 1` of the demo registry."""
        rng = random.Random(f"sentra-demo:{self.seed}:{start}")
        out = Batch()
        person_id = first_person_id
        for region in self.regions:
            region.recent_owners.clear()  # owners are shared only inside a batch
        for offset in range(count):
            region = weighted(rng, self.regions, self.region_weights)
            line = weighted(rng, region.spec.lines, region.line_weights)
            owner = self._reuse_owner(rng, region)
            if owner is None:
                owner = self._person(rng, region, line, person_id, out)
                person_id += 1
            self._business(rng, region, line, owner, first_business_id + offset, out)
        return out

    def batches(self, start: int, stop: int, first_person_id: int, first_business_id: int) -> Iterator[Batch]:
        """Batches of businesses number `start` … `stop - 1`, with ids counted on from the first ones."""
        person_id, business_id = first_person_id, first_business_id
        for batch_start in range(start, stop, BATCH_SIZE):
            count = min(BATCH_SIZE, stop - batch_start)
            batch = self.batch(batch_start, count, person_id, business_id)
            person_id += len(batch.persons)
            business_id += count
            yield batch

    # -- people ------------------------------------------------------------

    def _reuse_owner(self, rng: random.Random, region: _Region) -> _Owner | None:
        """About one business in twelve belongs to someone who already owns one."""
        if region.recent_owners and rng.random() < 0.08:
            owner = region.recent_owners.pop(below(rng, 0, len(region.recent_owners)))
            owner.businesses += 1
            return owner
        return None

    def _person(self, rng: random.Random, region: _Region, line: Line, person_id: int, out: Batch) -> _Owner:
        female = rng.random() < line.female_share  # women run the kitchens, men the barbershops
        full_name, call_name, honorific = person_name(rng, region.spec.culture, female)
        village_code, village_name = pick(rng, region.villages)
        birth_date, serial = nik_parts(person_id)
        nik = make_nik(village_code[:8], birth_date, female, serial)
        phone = self._phone(rng) if rng.random() < 0.92 else ""
        created = self._moment(rng, between(rng, 0, 3 * 365))  # registered with their first business
        out.persons.append(
            (
                person_id,
                nik,
                full_name,
                Sex.FEMALE.value if female else Sex.MALE.value,
                birth_date,
                phone,
                self._address(rng, region.spec.culture, village_name),
                village_code,
                village_code[:5],  # owners are reused inside their regency only: it keeps them
                created,
                created,
            )
        )
        owner = _Owner(
            person_id, full_name, call_name, honorific, phone, (village_code, village_name), birth_date.year, created
        )
        region.recent_owners.append(owner)
        return owner

    @staticmethod
    def _phone(rng: random.Random) -> str:
        prefix = pick(rng, MOBILE_PREFIXES)
        rest = between(rng, 7, 9)
        return f"+62{prefix}{below(rng, 10 ** (rest - 1), 10**rest)}"

    @staticmethod
    def _address(rng: random.Random, culture: str, village_name: str) -> str:
        if rng.random() < 0.5:
            street = pick(rng, STREETS_LOCAL[culture]) if rng.random() < 0.3 else pick(rng, STREETS)
            return f"Jl. {street} No. {between(rng, 1, 150)}, {village_name}"
        rt, rw = between(rng, 1, 12), between(rng, 1, 6)
        dusun = pick(rng, DUSUN_JAWA) if culture == "jawa" else pick(rng, ROMAN)
        return f"Dusun {dusun} RT {rt:03d}/RW {rw:03d}, {village_name}"

    def _moment(self, rng: random.Random, days_ago: int) -> dt.datetime:
        """A time during office hours `days_ago` days before today (Asia/Jakarta)."""
        day = self.today - dt.timedelta(days=days_ago)
        return dt.datetime.combine(day, dt.time(between(rng, 8, 15), between(rng, 0, 59), between(rng, 0, 59)), JAKARTA)

    def _between(self, rng: random.Random, after: dt.datetime, latest_days_ago: int = 0) -> dt.datetime:
        """A moment after `after` (and within the past two years), before today."""
        earliest = max(after, self.now - dt.timedelta(days=730))
        latest = self.now - dt.timedelta(days=latest_days_ago)
        span = int((latest - earliest).total_seconds())
        if span <= 60:
            return earliest + dt.timedelta(minutes=5)
        return earliest + dt.timedelta(seconds=between(rng, 60, span))

    # -- businesses --------------------------------------------------------

    def _business(
        self, rng: random.Random, region: _Region, line: Line, owner: _Owner, business_id: int, out: Batch
    ) -> None:
        spec = region.spec
        first = owner.businesses == 1
        if first and rng.random() < 0.85:
            village_code, village_name = owner.village  # a home industry: works where the owner lives
        else:
            village_code, village_name = pick(rng, region.villages)
        legal_form = weighted(rng, LEGAL_FORMS, LEGAL_CUM)
        name = self._business_name(rng, region, line, owner, legal_form, village_name)

        capital, turnover = self._money(rng)
        size_class, _basis = size_class_for(capital, turnover)  # its history and workers follow from it
        big = size_class in ("small", "medium", "large")
        workers = self._workers(rng, line, big)

        status = weighted(rng, STATUSES, STATUS_CUM)
        maturity = weighted(rng, MATURITIES, MATURITY_CUM)
        officer_id = self.users[spec.officer]
        created = owner.registered if first else self._between(rng, owner.registered)
        updated = created

        # History: registration first, then what changed in the past two years.
        out.status_changes.append((business_id, OperatingStatus.ACTIVE, "", created, officer_id))
        verified_on = None
        if status != OperatingStatus.ACTIVE:
            when = self._between(rng, created)
            out.status_changes.append((business_id, status, OperatingStatus.ACTIVE, when, officer_id))
            verified_on, updated = when.date(), max(updated, when)
        elif rng.random() < 0.05:  # dormant for a while, then active again
            went = self._between(rng, created, latest_days_ago=60)
            back = self._between(rng, went)
            out.status_changes.append((business_id, OperatingStatus.DORMANT, OperatingStatus.ACTIVE, went, officer_id))
            out.status_changes.append((business_id, OperatingStatus.ACTIVE, OperatingStatus.DORMANT, back, officer_id))
            verified_on, updated = back.date(), max(updated, back)
        elif rng.random() < 0.45:
            when = self._between(rng, created)
            verified_on, updated = when.date(), max(updated, when)
        stages = [maturity]
        if maturity == Maturity.MODERN and rng.random() < 0.35:
            stages = [Maturity.TRADITIONAL, Maturity.MODERN]
        elif maturity == Maturity.DIGITAL:
            draw = rng.random()
            if draw < 0.15:
                stages = [Maturity.TRADITIONAL, Maturity.MODERN, Maturity.DIGITAL]
            elif draw < 0.55:
                stages = [Maturity.MODERN, Maturity.DIGITAL]
        out.maturity_changes.append((business_id, stages[0], "", created, officer_id))
        when = created
        for previous, stage in zip(stages, stages[1:], strict=False):
            when = self._between(rng, when)
            out.maturity_changes.append((business_id, stage, previous, when, officer_id))
            updated = max(updated, when)
        updated = max(updated, self._size_history(business_id, size_class, created, officer_id, out))

        products = rng.sample(line.products, k=min(len(line.products), pick(rng, (1, 1, 2, 2, 2, 3))))
        for product in products:
            low, high = product.price
            price = int(round(rng.uniform(low, high), -3 if low >= 10_000 else -2))
            capacity = int(round(between(rng, *product.capacity), -1 if product.capacity[1] >= 100 else 0))
            out.products.append(
                (
                    business_id,
                    product.name,
                    line.category,
                    product.unit,
                    price,
                    max(capacity, 1),
                    pick(rng, product.packaging),
                    "",
                )
            )
        self._licences(rng, spec, line, business_id, maturity, out)
        if maturity == Maturity.DIGITAL or (maturity == Maturity.MODERN and rng.random() < 0.1):
            self._channels(rng, spec, name, owner, business_id, maturity, out)

        out.fostering.append((business_id, self.offices[spec.dinkop]))
        if spec.partner and line.partner and rng.random() < 0.3:
            out.fostering.append((business_id, self.offices[spec.partner]))
        if spec.extra_office and rng.random() < spec.extra_office[1]:
            out.fostering.append((business_id, self.offices[spec.extra_office[0]]))

        # Started between 1995 (or the owner's 17th year) and its registration.
        latest_start = created.year
        start_year = between(rng, min(max(1995, owner.birth_year + 17), latest_start), latest_start)
        start_month = between(rng, 1, 12) if rng.random() < 0.8 else None
        if start_year == latest_start and start_month:
            start_month = min(start_month, created.month)
        has_nib = rng.random() < (0.25 if legal_form == LegalForm.INDIVIDUAL else 0.6)
        latitude = longitude = None
        if rng.random() < 0.6:
            latitude = Decimal(f"{spec.centre[0] + rng.uniform(-0.18, 0.18):.6f}")
            longitude = Decimal(f"{spec.centre[1] + rng.uniform(-0.25, 0.25):.6f}")
        address = self._address(rng, spec.culture, village_name)
        derived = derived_fields(
            village_code=village_code,
            capital=capital,
            annual_turnover=turnover,
            name=name,
            owner_name=owner.full_name,
            product_names=sorted(product.name for product in products),
        )
        out.businesses.append(
            (
                business_id,
                name,
                owner.id,
                make_nib(business_id) if has_nib else "",
                line.kbli,
                self.kbli_sections[line.kbli],
                address,
                village_code,
                derived.district_id,
                derived.regency_id,
                derived.province_id,
                latitude,
                longitude,
                start_year,
                start_month,
                legal_form,
                capital,
                turnover,
                *workers,
                status,
                verified_on,
                officer_id if verified_on else None,
                maturity,
                derived.size_class,
                derived.size_basis,
                derived.search_text,
                created,
                updated,
                officer_id,
                rng.choice(line.labels).lower(),  # what the business does, as an officer would type it
            )
        )

    def _business_name(
        self, rng: random.Random, region: _Region, line: Line, owner: _Owner, legal_form: str, village_name: str
    ) -> str:
        """Names like "Terasi Rebon Bu Sri", "Keripik Pisang Mekar Sari", "UD Jati Makmur", "Batik Blora Sekar"."""
        local = LUCKY_LOCAL[region.spec.culture]
        lucky = pick(rng, local) if rng.random() < 0.15 else pick(rng, LUCKY)
        village = village_name.split(" (")[0]
        if legal_form == LegalForm.COOPERATIVE:
            return f"Koperasi Produsen {pick(rng, line.labels)} {village}"
        if legal_form in LEGAL_PREFIX:
            return f"{LEGAL_PREFIX[legal_form]} {pick(rng, line.brands)} {lucky}"
        label = pick(rng, line.labels)
        draw = rng.random()
        if draw < 0.4:
            return f"{label} {owner.honorific} {owner.call_name}"
        if draw < 0.8:
            return f"{label} {lucky}"
        return f"{label} {village}"

    def _size_history(
        self, business_id: int, size_class: str, created: dt.datetime, officer_id: int, out: Batch
    ) -> dt.datetime:
        """Registration, and for two in five businesses above micro a step up from the class below.

        Drawn from the id rather than the generator, so the rest of the demo stays as it was.
        """
        draw = (business_id * 2_654_435_761) % 1000
        below = SIZE_BELOW.get(size_class)
        if below is None or draw >= 400:
            out.size_changes.append((business_id, size_class, "", created, officer_id))
            return created
        earliest = max(created, self.now - dt.timedelta(days=730))
        when = earliest + (self.now - earliest) * ((draw + 1) / 402)
        out.size_changes.append((business_id, below, "", created, officer_id))
        out.size_changes.append((business_id, size_class, below, when, officer_id))
        return when

    @staticmethod
    def _money(rng: random.Random) -> tuple[int | None, int | None]:
        """(capital, annual turnover): mostly micro, a few small or medium, some unknown."""
        draw = rng.random()
        if draw < 0.005:
            capital = log_uniform(rng, 5e9, 8e9)
        elif draw < 0.02:
            capital = log_uniform(rng, 1e9, 5e9)
        elif draw < 0.1:
            capital = log_uniform(rng, 2e8, 1e9)
        else:
            capital = log_uniform(rng, 2e6, 2e8)
        turnover = min(max(capital * log_uniform(rng, 0.4, 5), 1e7), 3e9)
        if rng.random() < 0.15:  # capital not declared: the size class then follows the turnover
            return None, round_money(log_uniform(rng, 1e7, 3e9) if rng.random() < 0.3 else turnover)
        return round_money(capital), (round_money(turnover) if rng.random() < 0.95 else None)

    @staticmethod
    def _workers(rng: random.Random, line: Line, big: bool) -> tuple[int, int, int, int]:
        """Paid and unpaid (family) workers by sex; most micro businesses are the owner's family."""
        paid = pick(rng, (0, 0, 0, 1, 1, 2, 2, 3, 4, 5)) if not big else between(rng, 4, 20)
        paid_female = sum(rng.random() < line.female_share for _ in range(paid))
        unpaid = pick(rng, (0, 1, 1, 2, 2, 3))
        unpaid_female = sum(rng.random() < line.female_share for _ in range(unpaid))
        return min(paid - paid_female, 10), min(paid_female, 10), unpaid - unpaid_female, unpaid_female

    def _licences(
        self, rng: random.Random, spec: RegencySpec, line: Line, business_id: int, maturity: str, out: Batch
    ) -> None:
        boost = {Maturity.TRADITIONAL: 0.6, Maturity.MODERN: 1.6, Maturity.DIGITAL: 2.2}[maturity]
        regency4 = spec.code.replace(".", "")
        for kind, chance in line.licences:
            if rng.random() >= chance * boost:
                continue
            issued = self.today - dt.timedelta(days=between(rng, 30, 6 * 365))
            expires: dt.date | None
            if kind == LicenceKind.PIRT:
                expires = issued.replace(year=issued.year + 5) if issued.month != 2 else issued + dt.timedelta(1826)
                number = (
                    f"P-IRT No. {between(rng, 1, 5)}{between(rng, 1, 16):02d}{regency4}"
                    f"{between(rng, 1, 20):02d}{between(rng, 1, 9999):04d}-{expires:%y}"
                )
            elif kind == LicenceKind.HALAL:
                if issued.year >= 2022:  # BPJPH certificates no longer expire while the recipe is unchanged
                    number, expires = f"ID{spec.code[:2]}{below(rng, 10**14, 10**15)}", None
                else:
                    number, expires = f"LPPOM-{below(rng, 10**13, 10**14)}", issued + dt.timedelta(days=4 * 365)
            elif kind == LicenceKind.BPOM:
                number, expires = f"BPOM RI MD {below(rng, 10**11, 10**12)}", issued + dt.timedelta(days=5 * 365)
            elif kind == LicenceKind.HKI:
                number, expires = f"IDM000{below(rng, 100_000, 999_999)}", issued + dt.timedelta(days=10 * 365)
            else:
                number, expires = f"SNI {between(rng, 1000, 9999)}:{between(rng, 2010, 2023)}", None
            out.licences.append((business_id, kind, number, issued, expires))

    @staticmethod
    def _channels(
        rng: random.Random, spec: RegencySpec, name: str, owner: _Owner, business_id: int, maturity: str, out: Batch
    ) -> None:
        handle = fold(name).replace(" ", "")[:24] + spec.code[-2:]
        kinds = [ChannelKind.WHATSAPP] if maturity != Maturity.DIGITAL else []
        if maturity == Maturity.DIGITAL:
            kinds = rng.sample(
                [ChannelKind.MARKETPLACE, ChannelKind.INSTAGRAM, ChannelKind.WHATSAPP, ChannelKind.TIKTOK],
                k=pick(rng, (1, 2, 2, 3)),
            )
        for kind in kinds:
            if kind == ChannelKind.MARKETPLACE:
                site, base = pick(rng, MARKETPLACES)
                out.channels.append((business_id, kind, f"{name} ({site})", base + handle))
            elif kind == ChannelKind.INSTAGRAM:
                out.channels.append((business_id, kind, f"@{handle}", f"https://www.instagram.com/{handle}/"))
            elif kind == ChannelKind.TIKTOK:
                out.channels.append((business_id, kind, f"@{handle}", f"https://www.tiktok.com/@{handle}"))
            elif owner.phone:
                out.channels.append((business_id, kind, f"Katalog {name}", f"https://wa.me/{owner.phone[1:]}"))


# ---------------------------------------------------------------------------
# Writing the rows
# ---------------------------------------------------------------------------


def _utc_text(value: dt.datetime) -> str:
    """How Django's SQLite backend stores an aware datetime: naive UTC text."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")


def _insert(cursor, model: type[models.Model], columns: Sequence[str], rows: list[tuple]) -> None:
    """Insert `rows` into the model's table: COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    table = model._meta.db_table
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    fields = {f.column: f for f in model._meta.concrete_fields}
    datetimes = [i for i, c in enumerate(columns) if isinstance(fields[c], models.DateTimeField)]
    dates = [i for i, c in enumerate(columns) if type(fields[c]) is models.DateField]
    if datetimes or dates:
        rows = [list(row) for row in rows]
        for row in rows:
            for i in datetimes:
                row[i] = _utc_text(row[i])
            for i in dates:
                if row[i] is not None:
                    row[i] = row[i].isoformat()
    placeholders = ", ".join(["%s"] * len(columns))
    cursor.executemany(f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({placeholders})", rows)


SQLITE_FTS_TRIGGER = "registry_business_fts_ai"


# Tables whose indexes take keys in random order (names, NIKs, times). Their rows are held until
# the end of the transaction and go in sorted by the key most of those indexes lead with, so that
# consecutive inserts land on neighbouring index pages: with 100,000 rows at a time a million-row
# seed inserts businesses twice as fast on both databases. The other tables' indexes lead with
# business_id, which only grows, and their rows go in batch by batch. Foreign keys are checked at
# commit (Django declares them DEFERRABLE INITIALLY DEFERRED), so the order between tables is free.
SORTED_TABLES: dict[str, Callable[[tuple], object]] = {
    "persons": lambda row: row[1],  # nik
    "businesses": lambda row: (row[9], row[1]),  # regency, name
    "status_changes": lambda row: row[3],  # changed_at
    "maturity_changes": lambda row: row[3],
    "size_changes": lambda row: row[3],
}
SQLITE_FTS_TRIGGER = "registry_business_fts_ai"


class _Load:
    """The rows of one transaction: `add()` each batch, `finish()` before committing.

    SQLite rewrites every index page a transaction touched when it commits, and
    a batch of 5,000 businesses touches most leaf pages of the dozen Business
    indexes: committing every 100,000 businesses rather than every 5,000 makes a
    million-row seed several times faster. The FTS5 insert trigger costs ~140 µs
    a row under executemany, one INSERT … SELECT into the index ~3 µs; the
    trigger is dropped and recreated inside the transaction, so no other
    connection ever sees it missing.
    """

    def __init__(self, first_business_id: int) -> None:
        self.first_business_id = first_business_id
        self.held: dict[str, list[tuple]] = {name: [] for name in SORTED_TABLES}
        self.fts_trigger: str | None = None
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [SQLITE_FTS_TRIGGER]
                )
                found = cursor.fetchone()
                if found:
                    self.fts_trigger = found[0]
                    cursor.execute(f"DROP TRIGGER {SQLITE_FTS_TRIGGER}")

    def add(self, batch: Batch) -> None:
        with connection.cursor() as cursor:
            for attribute, model, columns in TABLES:
                if attribute in self.held:
                    self.held[attribute].extend(getattr(batch, attribute))
                else:
                    _insert(cursor, model, columns, getattr(batch, attribute))

    def finish(self) -> None:
        with connection.cursor() as cursor:
            for attribute, model, columns in TABLES:
                if attribute in self.held:
                    rows = self.held.pop(attribute)
                    rows.sort(key=SORTED_TABLES[attribute])
                    _insert(cursor, model, columns, rows)
                    del rows  # free the memory before the next table
            if self.fts_trigger:
                cursor.execute(
                    "INSERT INTO registry_business_fts (rowid, search_text) "
                    "SELECT id, search_text FROM registry_business WHERE id >= %s",
                    [self.first_business_id],
                )
                cursor.execute(self.fts_trigger)
            if connection.vendor == "postgresql":
                # Ids were given explicitly: move the sequences past them.
                for statement in connection.ops.sequence_reset_sql(no_style(), [Person, Business]):
                    cursor.execute(statement)


@contextmanager
def _load_transaction(first_business_id: int, bulk: bool) -> Iterator[_Load]:
    """A transaction for many batches; on any error nothing of it is kept."""
    with transaction.atomic():
        if bulk and connection.vendor == "postgresql":
            _skip_postgres_foreign_key_checks()
        load = _Load(first_business_id)
        yield load
        load.finish()
        # In the same transaction: a seed killed after this chunk commits still has it counted.
        bulk_loaded.send(sender=Business, first_business_id=first_business_id)


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1


def load_villages() -> dict[str, list[tuple[str, str]]]:
    villages: dict[str, list[tuple[str, str]]] = {code: [] for code in DEMO_REGENCIES}
    for code, name in Village.objects.filter(district__regency_id__in=DEMO_REGENCIES).values_list("code", "name"):
        villages[code[:5]].append((code, name))
    missing = [code for code, found in villages.items() if not found]
    if missing:
        raise LookupError(f"No villages for regencies {', '.join(missing)}: run `manage.py load_regions` first.")
    return villages


def load_kbli_sections() -> dict[str, str]:
    codes = {line.kbli for spec in REGENCIES for line in spec.lines}
    sections = dict(Kbli.objects.filter(code__in=codes, level=KbliLevel.SUBCLASS).values_list("code", "section"))
    missing = sorted(codes - sections.keys())
    if missing:
        raise LookupError(f"KBLI subclasses {', '.join(missing)} not found: run `manage.py load_kbli` first.")
    return sections


@dataclass
class SeedResult:
    created: int  # businesses added by this run
    total: int  # businesses in the database afterwards
    seconds: float


def seed_demo(
    businesses: int = DEFAULT_BUSINESSES,
    seed: int = DEFAULT_SEED,
    *,
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> SeedResult:
    """Make sure the demo offices and users exist and the registry holds `businesses` UMKM.

    Runs again without duplicating anything: only the businesses missing up
    to `businesses` are added.
    """
    started = time.perf_counter()
    villages, kbli_sections = load_villages(), load_kbli_sections()  # fail early, with advice, when not loaded
    with transaction.atomic():
        offices = ensure_offices()
        users = ensure_users(offices)
    existing = Business.objects.count()
    missing = businesses - existing
    if missing <= 0:
        return SeedResult(0, existing, time.perf_counter() - started)

    generator = DemoGenerator(
        seed=seed,
        villages=villages,
        kbli_sections=kbli_sections,
        offices={code: office.pk for code, office in offices.items()},
        users={name: user.pk for name, user in users.items()},
        today=today or timezone.localdate(),
    )
    bulk = missing >= BULK_LOAD_FROM
    with _bulk_load_settings(bulk):
        first_business_id = _next_id(Business)
        batches = generator.batches(existing, businesses, _next_id(Person), first_business_id)
        for chunk_start in range(existing, businesses, TRANSACTION_SIZE):
            chunk_end = min(chunk_start + TRANSACTION_SIZE, businesses)
            with _load_transaction(first_business_id + chunk_start - existing, bulk) as load:
                for _ in range(chunk_start, chunk_end, BATCH_SIZE):
                    load.add(next(batches))
            if progress and missing >= TRANSACTION_SIZE:
                done = chunk_end - existing
                rate = done / (time.perf_counter() - started)
                progress(f"  {done:>9,} / {missing:,} UMKM ({rate:,.0f}/s)")
        if bulk:
            _analyze()
    bulk_load_finished.send(sender=Business)
    return SeedResult(missing, existing + missing, time.perf_counter() - started)


@contextmanager
def _bulk_load_settings(bulk: bool) -> Iterator[None]:
    """SQLite: a larger page cache while a seed runs and, for a bulk load, no foreign key checks.

    Rows go in child tables first (see SORTED_TABLES), and SQLite answers each
    parent row that arrives after its children by searching every child table
    for it. The generator makes the references right by construction; seeds
    below BULK_LOAD_FROM, the tests' and `make run`'s, keep every check on.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        previous_cache = cursor.execute("PRAGMA cache_size").fetchone()[0]
        cursor.execute("PRAGMA cache_size = -1048576")  # 1 GiB: the whole index set of a million rows
    checks_off = bulk and connection.disable_constraint_checking()  # a no-op inside a transaction
    try:
        yield
    finally:
        if checks_off:
            connection.enable_constraint_checking()
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous_cache)}")


def _skip_postgres_foreign_key_checks() -> None:
    """For this transaction, skip the foreign key triggers, as pg_restore --disable-triggers does.

    Checking ~18 references per business costs a quarter of a million-row
    seed. Only roles allowed to set session_replication_role (superusers, or
    granted it) can; for others the checks simply stay on.
    """
    try:
        with transaction.atomic(), connection.cursor() as cursor:  # a savepoint: a refusal leaves no trace
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        pass


def _analyze() -> None:
    """Fresh planner statistics after a large load, so the first queries pick the right indexes."""
    tables: Iterable[str] = (model._meta.db_table for _, model, _ in TABLES)
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
