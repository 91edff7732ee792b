"""Writes to the registry. Each function checks scope, saves, and logs the change."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sentra.accounts.models import Office
from sentra.audit.models import ChangeAction
from sentra.audit.services import log_change, snapshot
from sentra.registry.models import (
    Business,
    DigitalChannel,
    Licence,
    MaturityChange,
    Person,
    Product,
    SizeClassChange,
    StatusChange,
)

BUSINESS_M2M = ("fostering_offices",)
CHILD_MODELS = {"product": Product, "licence": Licence, "channel": DigitalChannel}


def ensure_can_change(user, business: Business) -> None:
    """Raise PermissionDenied unless `user` may change `business` (scope included)."""
    if not Business.objects.restrict(user, "change").filter(pk=business.pk).exists():
        raise PermissionDenied(_("Anda tidak berwenang mengubah data UMKM ini."))


def _record_stage_changes(business: Business, actor, before: dict | None) -> None:
    now = timezone.now()
    old_status = (before or {}).get("status", "")
    if business.status != old_status:
        StatusChange.objects.create(
            business=business, status=business.status, previous_status=old_status, changed_at=now, changed_by=actor
        )
    old_stage = (before or {}).get("maturity", "")
    if business.maturity != old_stage:
        MaturityChange.objects.create(
            business=business, stage=business.maturity, previous_stage=old_stage, changed_at=now, changed_by=actor
        )
    old_size = (before or {}).get("size_class", "")
    if business.size_class != old_size:
        SizeClassChange.objects.create(
            business=business,
            size_class=business.size_class,
            previous_size_class=old_size,
            changed_at=now,
            changed_by=actor,
        )


def record_size_class_changes(changes: Iterable[tuple[int, str, str]], *, actor, when) -> None:
    """History rows for businesses whose size class a bulk writer changed: (business id, before, after)."""
    actor = actor if actor is not None and actor.is_authenticated else None
    SizeClassChange.objects.bulk_create(
        [
            SizeClassChange(
                business_id=pk, size_class=after, previous_size_class=before, changed_at=when, changed_by=actor
            )
            for pk, before, after in changes
            if before != after
        ],
        batch_size=2000,
    )


def save_person(*, actor, person: Person) -> Person:
    """Create or update an owner; their businesses' search text follows a new name.

    Changing an owner needs change scope over one of their businesses.
    """
    if person.pk:
        if not Person.objects.restrict(actor, "change").filter(pk=person.pk).exists():
            raise PermissionDenied(_("Anda tidak berwenang mengubah data pemilik usaha ini."))
    elif not actor.can_edit_registry:
        raise PermissionDenied(_("Anda tidak berwenang menambah pemilik usaha."))
    with transaction.atomic():
        if person.pk:
            previous = Person.objects.select_for_update().get(pk=person.pk)
            before = snapshot(previous)
            person.save()
            after = snapshot(person)
            log_change(actor=actor, instance=person, action=ChangeAction.UPDATE, before=before, after=after)
            if previous.full_name != person.full_name:
                for business in person.businesses.all():
                    business.owner = person
                    business.save(update_fields=["search_text", "updated_at"])
        else:
            person.save()
            log_change(actor=actor, instance=person, action=ChangeAction.CREATE, after=snapshot(person))
    return person


@transaction.atomic
def create_business(*, actor, business: Business, fostering_offices: Iterable[Office] = ()) -> Business:
    """Register a new UMKM. The owner must already be saved (see `save_person`).

    A partner agency's users always foster what they register.
    """
    business.created_by = actor if actor.is_authenticated else None
    offices = list(fostering_offices)
    if actor.office is not None and actor.office.is_partner_agency and actor.office not in offices:
        offices.append(actor.office)
    business.save()
    business.fostering_offices.set(offices)
    ensure_can_change(actor, business)
    _record_stage_changes(business, actor, None)
    log_change(actor=actor, instance=business, action=ChangeAction.CREATE, after=snapshot(business, BUSINESS_M2M))
    return business


@transaction.atomic
def update_business(*, actor, business: Business, fostering_offices: Iterable[Office] | None = None) -> Business:
    """Save the changes made to `business` in memory (a bound form's instance)."""
    ensure_can_change(actor, business)
    stored = Business.objects.select_for_update().get(pk=business.pk)
    before = snapshot(stored, BUSINESS_M2M)
    if business.status != stored.status or business.status_verified_on != stored.status_verified_on:
        # A new status with the old date untouched was verified today.
        if business.status_verified_on is None or business.status_verified_on == stored.status_verified_on:
            business.status_verified_on = timezone.localdate()
        business.status_verified_by = actor
    business.save()
    if fostering_offices is not None:
        business.fostering_offices.set(list(fostering_offices))
    ensure_can_change(actor, business)  # the new village must still be in scope
    _record_stage_changes(business, actor, before)
    log_change(
        actor=actor,
        instance=business,
        action=ChangeAction.UPDATE,
        before=before,
        after=snapshot(business, BUSINESS_M2M),
    )
    return business


@transaction.atomic
def verify_business_status(*, actor, business: Business, status: str) -> Business:
    """Record that an officer checked the business's status today."""
    business.status = status
    business.status_verified_on = timezone.localdate()
    business.status_verified_by = actor
    return update_business(actor=actor, business=business)


@transaction.atomic
def delete_business(*, actor, business: Business) -> None:
    ensure_can_change(actor, business)
    before = snapshot(business, BUSINESS_M2M)
    log_change(actor=actor, instance=business, action=ChangeAction.DELETE, before=before)
    business.delete()


@transaction.atomic
def save_business_child(*, actor, child: models.Model) -> models.Model:
    """Create or update a product, licence or digital channel of a business."""
    business = child.business
    ensure_can_change(actor, business)
    stored = type(child).objects.select_related("business").get(pk=child.pk) if child.pk else None
    if stored is not None and stored.business_id != business.pk:
        ensure_can_change(actor, stored.business)
    before = snapshot(stored) if stored is not None else None
    child.full_clean()
    child.save()
    log_change(
        actor=actor,
        instance=child,
        action=ChangeAction.UPDATE if before else ChangeAction.CREATE,
        before=before,
        after=snapshot(child),
        related=business,
    )
    if isinstance(child, Product):
        business.save(update_fields=["search_text", "updated_at"])
    return child


@transaction.atomic
def delete_business_child(*, actor, child: models.Model) -> None:
    business = child.business
    ensure_can_change(actor, business)
    log_change(actor=actor, instance=child, action=ChangeAction.DELETE, before=snapshot(child), related=business)
    child.delete()
    if isinstance(child, Product):
        business.save(update_fields=["search_text", "updated_at"])
