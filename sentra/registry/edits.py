"""Two officers editing one business: the state a form was loaded from, and a three-way merge on save.

The form carries a signed copy of the values it showed (its *base*). On save, a field
nobody else changed since takes the officer's value; a field only someone else changed
keeps theirs; a field both changed differently is a conflict, shown with both values for
the officer to choose. Nothing is silently reverted. The owner's NIK travels as a hash:
the page never holds it.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.core import signing
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

from sentra.audit.models import ObjectChange
from sentra.audit.services import _jsonable
from sentra.core.formatting import format_phone, format_rupiah, mask_nik
from sentra.registry.models import Business, Person

SALT = "sentra.registry.edit-base"
OWNER_FIELDS = ("nik", "full_name", "sex", "birth_date", "phone", "address")
MONEY = {"capital", "annual_turnover"}


@dataclass
class Conflict:
    name: str  # `business-capital`, `owner-phone`: the form field
    label: str
    theirs: str
    mine: str
    by: str  # who made the other change, and when


def _value(instance: models.Model, name: str) -> object:
    field = instance._meta.get_field(name)
    value = _jsonable(getattr(instance, field.attname))
    if name == "nik":
        return hashlib.sha256(value.encode()).hexdigest()[:20] if value else ""
    return value


def _office_ids(business: Business, offices=None) -> list[int]:
    if offices is not None:
        return sorted(office.pk for office in offices)
    return sorted(business.fostering_offices.values_list("pk", flat=True)) if business.pk else []


def state(business: Business, business_fields: list[str], owner: Person | None, offices=None) -> dict:
    """The values an edit form shows, as JSON: the business's fields, its fostering offices and,
    when the form shows them, the owner's."""
    data = {
        "business": {name: _value(business, name) for name in business_fields},
        "offices": _office_ids(business, offices),
    }
    if owner is not None:
        data["owner"] = {name: _value(owner, name) for name in OWNER_FIELDS}
    return data


def sign(business: Business, business_fields: list[str], owner: Person | None) -> str:
    return signing.dumps({"at": timezone.now().isoformat(), **state(business, business_fields, owner)}, salt=SALT)


def unsign(token: str) -> dict | None:
    """The base a form was loaded from; None when absent or tampered with (the save then goes on as before)."""
    try:
        return signing.loads(token, salt=SALT) if token else None
    except signing.BadSignature:
        return None


def _shown(instance: models.Model, name: str) -> str:
    field = instance._meta.get_field(name)
    value = getattr(instance, field.name)
    if value in (None, ""):
        return "—"
    if name == "nik":
        return mask_nik(value)
    if name in MONEY:
        return format_rupiah(value)
    if name == "phone":
        return format_phone(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, dt.date):
        return date_format(value, "j M Y")
    return str(value)


def _three_way(base: dict, stored: models.Model, mine: models.Model, names, prefix: str, choices: dict, who: str):
    """Per field: (name, take theirs) to apply, and the conflicts left."""
    take_theirs, conflicts = [], []
    for name in names:
        key = f"{prefix}-{name}"
        original, theirs, typed = base.get(name), _value(stored, name), _value(mine, name)
        if typed == theirs:
            continue
        if choices.get(key) == "theirs":  # settled on the form that showed the conflict
            take_theirs.append(name)
        elif original == theirs:
            continue  # nobody else changed it
        elif typed == original:
            take_theirs.append(name)
        elif choices.get(key) != "mine":
            label = str(stored._meta.get_field(name).verbose_name)
            conflicts.append(Conflict(key, label, _shown(stored, name), _shown(mine, name), who))
    return take_theirs, conflicts


def merge(
    *,
    base: dict,
    business: Business,
    stored_business: Business,
    business_fields: list[str],
    offices: list,
    owner_values: dict | None,
    stored_owner: Person | None,
    choices: dict[str, str],
) -> tuple[list, list[Conflict]]:
    """Merge the officer's edit (`business` in memory, `offices`, `owner_values`) with what was stored
    since the form was loaded (`base`). Fields only others changed take the stored value, in place;
    returns the fostering offices to save and the conflicts that `choices` (form field name →
    "mine"/"theirs") do not settle.
    """
    who = _who_changed(stored_business, base.get("at"))
    take, conflicts = _three_way(base["business"], stored_business, business, business_fields, "business", choices, who)
    for name in take:
        field = Business._meta.get_field(name)
        setattr(business, field.attname, getattr(stored_business, field.attname))
    # Fostering offices merge as sets: what the officer added and removed, on top of what is stored.
    original, typed = set(base.get("offices", [])), {office.pk for office in offices}
    stored = set(_office_ids(stored_business))
    merged = (stored | (typed - original)) - (original - typed)
    kept_offices = [office for office in offices if office.pk in merged]
    kept_offices += list(stored_business.fostering_offices.filter(pk__in=merged - typed))
    if owner_values is not None and stored_owner is not None and "owner" in base:
        typed_owner = Person(**{name: owner_values.get(name) for name in OWNER_FIELDS})
        typed_owner.nik = owner_values.get("nik") or stored_owner.nik
        take, owner_conflicts = _three_way(
            base["owner"], stored_owner, typed_owner, OWNER_FIELDS, "owner", choices, who
        )
        for name in take:
            owner_values[name] = getattr(stored_owner, name)
        conflicts += owner_conflicts
    return kept_offices, conflicts


def _who_changed(business: Business, since: str | None) -> str:
    """`blora.petugas, 1 Des 2026 10:42`: the latest change by someone else since the form was loaded."""
    if not since:
        return ""
    change = (
        ObjectChange.objects.filter(
            models.Q(content_type__model="business", object_id=business.pk)
            | models.Q(content_type__model="person", object_id=business.owner_id),
            time__gt=dt.datetime.fromisoformat(since),
        )
        .order_by("-time")
        .first()
    )
    if change is None:
        return ""
    return f"{change.actor_name or '—'}, {date_format(timezone.localtime(change.time), 'j M Y H:i')}"
