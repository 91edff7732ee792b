"""Business size class per PP 7/2021 article 35.

Capital (modal usaha, excluding land and buildings) decides when it is
known; otherwise annual sales (hasil penjualan tahunan) do.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

BILLION = 1_000_000_000


class SizeClass(models.TextChoices):
    MICRO = "micro", _("Mikro")
    SMALL = "small", _("Kecil")
    MEDIUM = "medium", _("Menengah")
    LARGE = "large", _("Besar")
    UNKNOWN = "unknown", _("Belum diketahui")


class SizeBasis(models.TextChoices):
    CAPITAL = "capital", _("modal usaha")
    TURNOVER = "turnover", _("omzet tahunan")
    NONE = "", _("tidak ada data")


# Upper bounds, inclusive, in Rupiah.
CAPITAL_LIMITS = ((SizeClass.MICRO, 1 * BILLION), (SizeClass.SMALL, 5 * BILLION), (SizeClass.MEDIUM, 10 * BILLION))
TURNOVER_LIMITS = ((SizeClass.MICRO, 2 * BILLION), (SizeClass.SMALL, 15 * BILLION), (SizeClass.MEDIUM, 50 * BILLION))


def size_class_for(capital: int | None, annual_turnover: int | None) -> tuple[str, str]:
    """(size class, basis) for a business's capital and annual turnover."""
    if capital is not None:
        amount, limits, basis = capital, CAPITAL_LIMITS, SizeBasis.CAPITAL
    elif annual_turnover is not None:
        amount, limits, basis = annual_turnover, TURNOVER_LIMITS, SizeBasis.TURNOVER
    else:
        return SizeClass.UNKNOWN.value, SizeBasis.NONE.value
    for size, upper in limits:
        if amount <= upper:
            return size.value, basis.value
    return SizeClass.LARGE.value, basis.value
