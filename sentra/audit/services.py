"""Writing the change log. Services call `log_change` for every write they make."""

import datetime as dt
import decimal
import json
import uuid
from collections.abc import Iterable, Iterator

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone

from sentra.audit.middleware import current_request_id
from sentra.audit.models import ChangeAction, ExportLog, NikReveal, ObjectChange
from sentra.core.bulk import insert_rows

SKIPPED_FIELDS = {"search_text", "updated_at", "created_at"}


def _jsonable(value: object) -> object:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    return value


def snapshot(instance: models.Model, m2m: tuple[str, ...] = ()) -> dict[str, object]:
    """The record's field values as JSON, foreign keys as ids, named m2m as sorted id lists."""
    data: dict[str, object] = {}
    for field in instance._meta.concrete_fields:
        if field.name in SKIPPED_FIELDS or field.primary_key:
            continue
        data[field.name] = _jsonable(getattr(instance, field.attname))
    for name in m2m:
        data[name] = sorted(getattr(instance, name).values_list("pk", flat=True)) if instance.pk else []
    return data


def log_change(
    *,
    actor,
    instance: models.Model,
    action: str,
    before: dict | None = None,
    after: dict | None = None,
    related: models.Model | None = None,
    message: str = "",
) -> ObjectChange | None:
    """Record one change; an update that changed nothing is not recorded."""
    if action == ChangeAction.UPDATE and before == after:
        return None
    return ObjectChange.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor.get_username() if actor is not None and actor.is_authenticated else "",
        request_id=current_request_id.get(),
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=instance.pk,
        object_repr=str(instance)[:300],
        related_content_type=ContentType.objects.get_for_model(related) if related is not None else None,
        related_object_id=related.pk if related is not None else None,
        prechange_data=before,
        postchange_data=after,
        message=message[:300],
    )


# One entry of `log_changes`: (object id, object repr, before, after), before and after as JSON values.
Entry = tuple[int, str, dict | None, dict | None]


CHANGE_COLUMNS = [
    "time",
    "actor",
    "actor_name",
    "request_id",
    "action",
    "content_type",
    "message",
    "object_id",
    "object_repr",
    "prechange_data",
    "postchange_data",
]


def change_rows(
    *, actor, model: type[models.Model], action: str, entries: Iterable[Entry], message: str = ""
) -> Iterator[tuple]:
    """The change-log rows (`CHANGE_COLUMNS`) of many changes of one kind by one actor, made apart from
    writing them (`insert_changes`): an import's are made as its writer's thread writes them. What
    needs the database (the content type, the request) is read now, in the caller's thread."""
    actor = actor if actor is not None and actor.is_authenticated else None
    now = timezone.now()
    fields = ObjectChange._meta
    common = (
        now if connection.vendor == "postgresql" else connection.ops.adapt_datetimefield_value(now),
        actor.pk if actor else None,
        actor.get_username() if actor else "",
        fields.get_field("request_id").get_db_prep_value(current_request_id.get(), connection),
        action,
        ContentType.objects.get_for_model(model, for_concrete_model=True).pk,
        message[:300],
    )
    dumps = json.dumps
    # Only this is left for when the rows are read: never a query, which a COPY in progress could not take.
    return (
        (
            *common,
            object_id,
            str(repr_)[:300],
            None if before is None else dumps(before),
            None if after is None else dumps(after),
        )
        for object_id, repr_, before, after in entries
    )


def insert_changes(rows: Iterable[tuple]) -> None:
    """Insert change-log rows made by `change_rows`; use inside the writing transaction."""
    insert_rows(ObjectChange, CHANGE_COLUMNS, rows)


def log_changes(*, actor, model: type[models.Model], action: str, entries: Iterable[Entry], message: str = "") -> None:
    """Record many changes of one kind by one actor at once, as `log_change` would one by one.

    For an import's thousands of creations: the rows go in through `insert_rows`,
    since `bulk_create` spends more time preparing JSON than the database writing it.
    Use inside the writing transaction.
    """
    insert_changes(change_rows(actor=actor, model=model, action=action, entries=entries, message=message))


def log_nik_reveal(*, actor, person, ip_address: str | None = None) -> NikReveal:
    return NikReveal.objects.create(
        actor=actor, person=person, request_id=current_request_id.get(), ip_address=ip_address
    )


def log_export(
    *,
    actor,
    kind: str,
    description: str = "",
    filters: dict | None = None,
    full_nik: bool = False,
    row_count: int | None = None,
    ip_address: str | None = None,
) -> ExportLog:
    """Record that `actor` took a file of personal data; a streamed file sets its `row_count` when done."""
    user = actor if actor is not None and actor.is_authenticated else None
    return ExportLog.objects.create(
        actor=user,
        actor_name=user.get_username() if user else "",
        office_id=getattr(user, "office_id", None),
        request_id=current_request_id.get(),
        ip_address=ip_address,
        kind=kind,
        description=description[:300],
        filters={key: _jsonable(value) for key, value in (filters or {}).items()},
        full_nik=full_nik,
        row_count=row_count,
    )


def finish_export(log: ExportLog, row_count: int) -> None:
    """The number of rows a streamed export wrote, once it has written them."""
    ExportLog.objects.filter(pk=log.pk).update(row_count=row_count)


def changes_of(instance: models.Model):
    """Changes made to a record or to the records shown under it, newest first."""
    content_type = ContentType.objects.get_for_model(instance)
    return ObjectChange.objects.filter(
        models.Q(content_type=content_type, object_id=instance.pk)
        | models.Q(related_content_type=content_type, related_object_id=instance.pk)
    ).select_related("content_type")
