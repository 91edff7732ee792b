"""A data subject's access request (UU 27/2022 PDP, Pasal 7 and 32): everything Sentra holds about one
NIK, across every office, as one file.

It gathers the owner record and each business of theirs (with products, licences, channels and
histories), proposals about them, the import rows and agency-list rows that carry the NIK, the change
log about all of these, and who was shown the full NIK. Only superusers run it, and each run is logged.
"""

import datetime as dt
import decimal
import json
import uuid
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from sentra.audit.models import ExportKind, NikReveal, ObjectChange
from sentra.audit.services import log_export
from sentra.imports.models import ImportRow
from sentra.linkage.models import SourceRecord
from sentra.registry.models import Business, Person, PersonProposal


def _plain(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    return value


def _record(instance: models.Model, exclude: Iterable[str] = ()) -> dict:
    skipped = {"search_text", *exclude}
    return {
        field.name: _plain(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        if field.name not in skipped
    }


def _changes(model: type[models.Model], ids: list[int]) -> list[dict]:
    content_type = ContentType.objects.get_for_model(model)
    rows = ObjectChange.objects.filter(
        Q(content_type=content_type, object_id__in=ids)
        | Q(related_content_type=content_type, related_object_id__in=ids)
    ).order_by("time", "id")
    return [
        {
            "time": _plain(row.time),
            "by": row.actor_name,
            "action": row.action,
            "record": f"{row.content_type.model} #{row.object_id}",
            "before": row.prechange_data,
            "after": row.postchange_data,
            "message": row.message,
        }
        for row in rows.select_related("content_type")
    ]


def subject_data(nik: str) -> dict:
    """Everything held about the person with `nik` (who may have no owner record, only rows in lists)."""
    person = Person.objects.filter(nik=nik).first()
    businesses = list(Business.objects.filter(owner=person).order_by("pk")) if person else []
    ids = [business.pk for business in businesses]
    data: dict = {
        "nik": nik,
        "generated_at": timezone.now().isoformat(),
        "owner": _record(person) if person else None,
        "businesses": [
            {
                **_record(business),
                "fostering_offices": [office.name for office in business.fostering_offices.all()],
                "products": [_record(p, ["business"]) for p in business.products.all()],
                "licences": [_record(x, ["business"]) for x in business.licences.all()],
                "channels": [_record(x, ["business"]) for x in business.channels.all()],
                "status_history": [_record(x, ["business"]) for x in business.status_history.all()],
                "maturity_history": [_record(x, ["business"]) for x in business.maturity_history.all()],
                "size_history": [_record(x, ["business"]) for x in business.size_history.all()],
            }
            for business in businesses
        ],
        "proposals": [_record(x) for x in PersonProposal.objects.filter(person=person)] if person else [],
        # Rows of imports and agency lists that name the NIK, as the offices' files had them.
        "import_rows": [
            {"import": row.batch_id, "office": row.batch.office.name, **_record(row, ["batch"])}
            for row in ImportRow.objects.filter(Q(business_id__in=ids) | Q(cells__icontains=nik)).select_related(
                "batch__office"
            )
        ],
        "agency_list_rows": [
            {"list": record.source.name, "office": record.source.office.name, **_record(record, ["source"])}
            for record in SourceRecord.objects.filter(Q(nik=nik) | Q(business_id__in=ids)).select_related(
                "source__office"
            )
        ],
        "change_log": (_changes(Person, [person.pk]) if person else []) + _changes(Business, ids),
        "nik_shown_to": [
            {"time": _plain(reveal.time), "user": reveal.actor.get_username(), "ip_address": reveal.ip_address}
            for reveal in NikReveal.objects.filter(person=person).select_related("actor")
        ]
        if person
        else [],
    }
    return data


def subject_access_file(*, actor, nik: str, ip_address: str | None = None) -> bytes:
    """The request's file (JSON, UTF-8), logged as an export of personal data with the full NIK."""
    data = subject_data(nik)
    log_export(
        actor=actor,
        kind=ExportKind.SUBJECT_ACCESS,
        description=f"NIK {nik[:6]}**********",
        full_nik=True,
        row_count=len(data["businesses"]) + len(data["import_rows"]) + len(data["agency_list_rows"]),
        ip_address=ip_address,
    )
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
