"""The change log as a business's history tab reads it: labels, names instead of ids, Indonesian dates.

A change row keeps ids and ISO dates (`audit.services.snapshot`); this turns each into what an officer
reads (`pemilik 18417` → the owner's name, `desa/kelurahan 33.16.05.1013` → the village's name),
looking every id up once for the whole page, whatever the number of changes.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sentra.accounts.models import Office
from sentra.audit.models import HIDDEN, MASKED_FIELDS, MONEY_FIELDS, ObjectChange
from sentra.core.formatting import format_phone, format_rupiah, mask_nik
from sentra.kbli.models import Kbli
from sentra.regions.models import Regency, Village
from sentra.registry.models import BulkWrite, Business, Person

# Copies of other fields (the village's district, regency and province; the KBLI's section) and
# bookkeeping: they change with what is shown, and would only repeat it.
NOT_SHOWN = {"district", "regency", "province", "kbli_section", "size_basis", "bulk_write", "search_text"}
# Fields the models leave unlabelled (`created_by`): the label an officer reads.
LABELS = {"created_by": gettext_lazy("didaftarkan oleh")}


@dataclass(frozen=True)
class Row:
    label: str
    old: str
    new: str


def _user_name(user) -> str:
    return user.shown_name


# How each referenced model is named on the tab.
NAMERS = {
    Person: ("full_name", lambda person: person.full_name),
    Village: ("name", lambda village: village.name),
    Regency: ("name", lambda regency: regency.name),
    Office: ("name", lambda office: office.name),
    Kbli: ("title", lambda kbli: f"{kbli.code} – {kbli.title.lower().capitalize()}"),
    Business: ("name", lambda business: business.name),
    BulkWrite: ("label", lambda write: write.label),
}


def _target(field: models.Field) -> type[models.Model] | None:
    if not field.is_relation:
        return None
    model = field.related_model
    return get_user_model() if model is get_user_model() else model


def _is_key(model: type[models.Model], value) -> bool:
    """Whether a logged value can be the model's id: older entries logged some references by name."""
    try:
        model._meta.pk.to_python(value)
    except ValidationError:
        return False
    return True


def _names(references: dict[type[models.Model], set]) -> dict[tuple[type[models.Model], str], str]:
    """(model, id as text) → name, one query per referenced model."""
    names = {}
    for model, ids in references.items():
        ids = {value for value in ids if value not in (None, "", HIDDEN) and _is_key(model, value)}
        if not ids:
            continue
        if model is get_user_model():
            rows = model.objects.filter(pk__in=ids)
            namer = _user_name
        elif model in NAMERS:
            manager = Business.all_objects if model is Business else model._default_manager
            rows = manager.filter(pk__in=ids)
            namer = NAMERS[model][1]
        else:
            continue
        for row in rows:
            names[(model, str(row.pk))] = namer(row)
    return names


def _date(value: str, with_time: bool) -> str:
    try:
        parsed = dt.datetime.fromisoformat(value) if with_time else dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    if with_time:
        if timezone.is_aware(parsed):
            parsed = timezone.localtime(parsed)
        return date_format(parsed, "j M Y H:i")
    return date_format(parsed, "j M Y")


def _photo(old: object, new: object) -> tuple[str, str]:
    """A product photo's path says nothing to an officer; that it was added, changed or removed does."""
    if old and new:
        return _("foto lama"), _("foto diganti")
    if new:
        return "—", _("foto ditambahkan")
    return _("foto lama"), _("foto dihapus")


class _Reader:
    def __init__(self, changes: list[ObjectChange]):
        self.references: dict[type[models.Model], set] = defaultdict(set)
        for change in changes:
            model = change.content_type.model_class()
            for key, old, new in change.diff():
                field = self.field(model, key)
                target = _target(field) if field is not None else None
                if target is None:
                    continue
                for value in (old, new):
                    for item in value if isinstance(value, list) else [value]:
                        self.references[target].add(str(item) if item is not None else None)
        self.names = _names(self.references)

    @staticmethod
    def field(model, key: str) -> models.Field | None:
        try:
            return model._meta.get_field(key) if model is not None else None
        except Exception:  # a field since removed, or a key of a message ("UMKM")
            return None

    def shown(self, field: models.Field | None, key: str, value: object) -> str:
        if value in (None, "", []):
            return "—"
        if value == HIDDEN:
            return _("(disembunyikan)")
        if field is None:
            return str(value)
        target = _target(field)
        if target is not None:
            items = value if isinstance(value, list) else [value]
            return ", ".join(self.names.get((target, str(item)), f"#{item}") for item in items)
        if key in MASKED_FIELDS:
            return mask_nik(str(value))
        if key in MONEY_FIELDS:
            return format_rupiah(value)
        if key == "phone":
            return format_phone(str(value))
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(field, models.DateTimeField):
            return _date(value, with_time=True)
        if isinstance(field, models.DateField):
            return _date(value, with_time=False)
        if isinstance(field, models.BooleanField):
            return _("ya") if value else _("tidak")
        return str(value)

    def rows(self, change: ObjectChange) -> list[Row]:
        model = change.content_type.model_class()
        rows = []
        for key, old, new in change.diff():
            if key in NOT_SHOWN or (old in (None, "", []) and new in (None, "", [])):
                continue
            field = self.field(model, key)
            label = str(LABELS.get(key) or (field.verbose_name if field is not None else key))
            if isinstance(field, models.FileField) and HIDDEN not in (old, new):
                shown_old, shown_new = _photo(old, new)
            else:
                shown_old, shown_new = self.shown(field, key, old), self.shown(field, key, new)
            rows.append(Row(label, shown_old, shown_new))
        return rows


def readable_history(changes: list[ObjectChange]) -> list[ObjectChange]:
    """The changes, each with `rows` (label, before, after) to show and `actor_display`, the actor's name."""
    reader = _Reader(changes)
    for change in changes:
        change.rows = reader.rows(change)
        change.actor_display = _user_name(change.actor) if change.actor is not None else change.actor_name
    return changes
