"""What is missing or doubtful in a business's record: the data quality checks.

One condition per check, shared by the registry list's `quality` filter and the
dashboards' data quality panel, so a number on the panel and the list it links
to always agree.
"""

import datetime as dt

from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sentra.registry.sizing import CAPITAL_LIMITS, TURNOVER_LIMITS

UNVERIFIED_AFTER_DAYS = 365


class QualityCheck(models.TextChoices):
    NO_NIK = "no_nik", _("Pemilik tanpa NIK")
    NO_KBLI = "no_kbli", _("Tanpa KBLI")
    NO_OWNER_VILLAGE = "no_owner_village", _("Alamat pemilik tanpa desa")
    UNVERIFIED = "unverified", _("Belum diverifikasi 12 bulan")
    DUPLICATE = "duplicate", _("Dugaan duplikat")
    SIZE_CONFLICT = "size_conflict", _("Skala tidak cocok dengan modal/omzet")


def _same_size_band() -> Q:
    """Capital and turnover fall in the same size class's band (PP 7/2021)."""
    bands = Q()
    low_capital = low_turnover = None
    for (_size, capital_top), (_same, turnover_top) in zip(CAPITAL_LIMITS, TURNOVER_LIMITS, strict=True):
        band = Q(capital__lte=capital_top, annual_turnover__lte=turnover_top)
        if low_capital is not None:
            band &= Q(capital__gt=low_capital, annual_turnover__gt=low_turnover)
        bands |= band
        low_capital, low_turnover = capital_top, turnover_top
    return bands | Q(capital__gt=low_capital, annual_turnover__gt=low_turnover)


def quality_condition(check: str, today: dt.date) -> Q:
    """A filter on Business for the records that fail `check` as of `today`."""
    from sentra.linkage.models import Decision, DuplicatePair

    if check == QualityCheck.NO_NIK:
        return Q(owner__nik__isnull=True) | Q(owner__nik="")
    if check == QualityCheck.NO_KBLI:
        return Q(kbli__isnull=True)
    if check == QualityCheck.NO_OWNER_VILLAGE:
        return Q(owner__village__isnull=True)
    if check == QualityCheck.UNVERIFIED:
        # Never verified counts only once the record is as old as the period: one registered today
        # was seen today, and is not yet work for the officer's visits.
        cutoff = today - dt.timedelta(days=UNVERIFIED_AFTER_DAYS)
        registered_before = timezone.make_aware(dt.datetime.combine(cutoff, dt.time.min))
        return Q(status_verified_on__isnull=True, created_at__lt=registered_before) | Q(status_verified_on__lt=cutoff)
    if check == QualityCheck.DUPLICATE:
        pending = DuplicatePair.objects.filter(decision=Decision.PENDING)
        return Q(Exists(pending.filter(first=OuterRef("pk")))) | Q(Exists(pending.filter(second=OuterRef("pk"))))
    if check == QualityCheck.SIZE_CONFLICT:
        confirmed = Q(size_confirmed_capital=F("capital"), size_confirmed_turnover=F("annual_turnover"))
        return Q(capital__isnull=False, annual_turnover__isnull=False) & ~_same_size_band() & ~confirmed
    raise ValueError(check)
