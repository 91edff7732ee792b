"""Logging many changes at once writes what logging them one by one writes."""

import datetime as dt
import uuid

import pytest
from django.db import transaction

from sentra.audit.middleware import current_request_id
from sentra.audit.models import ChangeAction, ObjectChange
from sentra.audit.services import log_change, log_changes
from sentra.registry.models import Business

COMPARED = (
    "actor_id",
    "actor_name",
    "request_id",
    "action",
    "content_type_id",
    "object_id",
    "object_repr",
    "related_content_type_id",
    "related_object_id",
    "prechange_data",
    "postchange_data",
    "message",
)


@pytest.mark.django_db
def test_log_changes_writes_what_log_change_writes(users, businesses):
    business = businesses["blora_plain"]
    officer = users["blora_officer"]
    before = {"name": "Parcel Lama", "capital": None}
    after = {"name": str(business), "capital": 5_000_000, "started_on": dt.date(2020, 3, 1).isoformat()}
    token = current_request_id.set(uuid.uuid4())
    try:
        one = log_change(
            actor=officer, instance=business, action=ChangeAction.UPDATE, before=before, after=after, message="uji"
        )
        started = dt.datetime.now(dt.UTC)
        with transaction.atomic():
            log_changes(
                actor=officer,
                model=Business,
                action=ChangeAction.UPDATE,
                entries=[(business.pk, str(business), before, after)],
                message="uji",
            )
    finally:
        current_request_id.reset(token)
    many = ObjectChange.objects.exclude(pk=one.pk).get(object_id=business.pk, message="uji")
    one.refresh_from_db()
    assert {name: getattr(many, name) for name in COMPARED} == {name: getattr(one, name) for name in COMPARED}
    assert many.request_id is not None
    assert started - dt.timedelta(seconds=5) <= many.time <= dt.datetime.now(dt.UTC)


@pytest.mark.django_db
def test_log_changes_by_the_system_and_with_long_names(businesses):
    business = businesses["blora_plain"]
    with transaction.atomic():
        log_changes(
            actor=None,
            model=Business,
            action=ChangeAction.CREATE,
            entries=[(business.pk, "x" * 400, None, {"name": "Ünïcode “kutip”"})],
            message="m" * 400,
        )
    entry = ObjectChange.objects.get(object_id=business.pk, message="m" * 300)
    assert entry.actor_id is None and entry.request_id is None
    assert entry.prechange_data is None
    assert entry.postchange_data == {"name": "Ünïcode “kutip”"}
    assert len(entry.object_repr) == 300 and len(entry.message) == 300
