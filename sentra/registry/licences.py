"""When a licence counts as held: the one definition the registry list, the dashboards and reports share.

A licence past its "berlaku sampai" date is expired (kedaluwarsa): it is kept on the
business's Izin tab, but no figure counts it as held and the list's licence filter
does not find it. One with no expiry date never expires.
"""

import datetime as dt

from django.db.models import Q

EXPIRING_WITHIN_DAYS = 90  # "akan kedaluwarsa": the expiry list looks this far ahead by default


def valid_on(day: dt.date, prefix: str = "") -> Q:
    """Licences still valid on `day` (the last day of validity included); `prefix` reaches them
    through a relation (e.g. "licences__")."""
    return Q(**{f"{prefix}expires_on__isnull": True}) | Q(**{f"{prefix}expires_on__gte": day})


def held_on(day: dt.date) -> Q:
    """Licences a business held on `day`: issued by then (or of unknown issue date) and still valid."""
    return valid_on(day) & (Q(issued_on__isnull=True) | Q(issued_on__lte=day))


def is_held(issued_on: dt.date | None, expires_on: dt.date | None, day: dt.date) -> bool:
    """`held_on` for one licence's dates, in Python."""
    return (issued_on is None or issued_on <= day) and (expires_on is None or expires_on >= day)


def expiring_between(start: dt.date, end: dt.date) -> Q:
    """Licences whose last valid day falls in [start, end]."""
    return Q(expires_on__gte=start, expires_on__lte=end)
