"""The ranges a registry value must fall in, shared by the models (validators and database checks),
the forms (through the models' validators) and the import's parsers.

The database checks hold fixed bounds, so that a writer that skips validation (a bulk import, SQL)
still cannot store a year 1800 birth date or 99,999,999,999 workers; the validators also refuse
dates after today, which a database check cannot know.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)
EARLIEST_VERIFICATION = dt.date(2000, 1, 1)
EARLIEST_LICENCE = dt.date(1945, 8, 17)
LATEST_STORED_DATE = dt.date(2199, 12, 31)  # the database's bound; validators refuse the future anyway
EARLIEST_START_YEAR = 1900
MAX_WORKERS = 100_000  # per column: Indonesia's largest employers have a few hundred thousand in all
MAX_AMOUNT = 10**15  # Rp 1.000 triliun: anything above is a typing slip
MAX_QUANTITY = 1_000_000_000  # monthly capacity, in the product's own unit


@deconstructible
class NotInFuture:
    """A date (or year) no later than today."""

    message = _("Tanggal tidak boleh sesudah hari ini.")

    def __call__(self, value: dt.date | int | None) -> None:
        if value is None:
            return
        today = timezone.localdate()
        if (value > today.year) if isinstance(value, int) else (value > today):
            raise ValidationError(self.message, code="future")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NotInFuture)


@deconstructible
class NotBefore:
    """A date no earlier than `earliest`, said in the officer's words."""

    def __init__(self, earliest: dt.date) -> None:
        self.earliest = earliest

    def __call__(self, value: dt.date | None) -> None:
        if value is not None and value < self.earliest:
            raise ValidationError(
                _("Tanggal tidak boleh sebelum %(date)s.") % {"date": self.earliest.strftime("%d-%m-%Y")},
                code="too_early",
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NotBefore) and other.earliest == self.earliest


def past_date(earliest: dt.date) -> list:
    """Validators of a date between `earliest` and today."""
    return [NotBefore(earliest), NotInFuture()]


def at_most(maximum: int) -> list:
    return [MinValueValidator(0), MaxValueValidator(maximum)]


def date_between(field: str, earliest: dt.date) -> Q:
    """The database check of an optional date: blank, or within the stored bounds."""
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": earliest, f"{field}__lte": LATEST_STORED_DATE})


def amount_within(field: str, maximum: int) -> Q:
    """The database check of an optional amount: blank, or between 0 and `maximum`."""
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0, f"{field}__lte": maximum})
