"""Writes to the registry. Each function checks scope, saves, and logs the change."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
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
    PersonProposal,
    Product,
    ProposalStatus,
    SizeClassChange,
    StatusChange,
)
from sentra.registry.owners import keeps, refresh_homes, same_person_name

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


def save_person(*, actor, person: Person, home_regency_id: str | None = None) -> Person:
    """Create or update an owner; their businesses' search text follows a new name.

    Changing an owner is for the office that keeps their record (docs/owners.md);
    a new owner is kept by `home_regency_id`, the regency of their first business.
    """
    if person.pk:
        if not keeps(actor, person, "change"):
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
            if home_regency_id and not person.home_regency_id:
                person.home_regency_id = home_regency_id
            person.save()
            log_change(actor=actor, instance=person, action=ChangeAction.CREATE, after=snapshot(person))
    return person


# What another office may propose about an owner it does not keep.
PROPOSABLE_FIELDS = ("full_name", "sex", "birth_date", "phone", "address")
# What the keeping office's form sets, the owner's village too.
OWNER_FORM_FIELDS = (*PROPOSABLE_FIELDS, "village")


def _proposable(person: Person, values: dict) -> dict:
    """The typed values that would change `person`, as JSON; names only when more than spelling differs."""
    differing = {}
    for name in PROPOSABLE_FIELDS:
        value = values.get(name)
        if value in (None, ""):
            continue
        if name == "full_name" and same_person_name(value, person.full_name) and len(value) <= len(person.full_name):
            continue  # `Siti Aminah` typed for `Hj. Siti Aminah`: nothing to propose
        if getattr(person, name) != value:
            differing[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return differing


def propose_person_change(
    *, actor, person: Person, values: dict, business: Business | None = None, source: str = ""
) -> PersonProposal | None:
    """Keep what `actor` typed about an owner whose record another office keeps, for that office to decide.

    Nothing of the person changes; None when the typed values change nothing.
    """
    differing = _proposable(person, values)
    if not differing:
        return None
    user = actor if actor is not None and actor.is_authenticated else None
    proposal = PersonProposal.objects.create(
        person=person,
        business=business,
        office_id=getattr(user, "office_id", None),
        proposed_by=user,
        values=differing,
        source=source[:100],
    )
    log_change(
        actor=actor,
        instance=proposal,
        action=ChangeAction.CREATE,
        # The values stay on the proposal, for the offices that may read them; the log names the fields.
        after={str(_("diusulkan")): ", ".join(str(Person._meta.get_field(name).verbose_name) for name in differing)},
        related=person,
        message=_("usulan perubahan data pemilik"),
    )
    return proposal


@transaction.atomic
def decide_person_proposal(*, actor, proposal: PersonProposal, accept: bool) -> PersonProposal:
    """The keeping office accepts (the values are applied, logged like any edit) or declines a proposal."""
    proposal = PersonProposal.objects.select_for_update().select_related("person").get(pk=proposal.pk)
    if not keeps(actor, proposal.person, "change"):
        raise PermissionDenied(_("Hanya kantor yang mengelola data pemilik ini yang dapat memutuskan usulannya."))
    if proposal.status != ProposalStatus.PENDING:
        raise ValidationError(_("Usulan ini sudah diputuskan."))
    if accept:
        person = proposal.person
        for name, value in proposal.values.items():
            field = Person._meta.get_field(name)
            setattr(person, field.attname, field.to_python(value))
        person.full_clean(exclude=["nik", "village", "home_regency"])
        save_person(actor=actor, person=person)
    before = {"status": proposal.status}
    proposal.status = ProposalStatus.ACCEPTED if accept else ProposalStatus.DECLINED
    proposal.decided_by, proposal.decided_at = actor, timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
    log_change(
        actor=actor,
        instance=proposal,
        action=ChangeAction.UPDATE,
        before=before,
        after={"status": proposal.status},
        related=proposal.person,
    )
    return proposal


@dataclass
class SavedBusiness:
    business: Business
    proposal: PersonProposal | None = None  # what was typed about an owner kept elsewhere
    linked_elsewhere: bool = False  # the NIK named an owner kept by another regency's office


OWNER_NAME_MISMATCH = _(
    "NIK ini sudah terdaftar untuk pemilik dengan nama lain. Periksa kembali NIK dan nama pemilik; "
    "bila pemiliknya memang sama, tulis namanya seperti di KTP."
)


@transaction.atomic
def save_business_with_owner(
    *,
    actor,
    business: Business,
    owner_values: dict,
    fostering_offices: Iterable[Office] | None = None,
) -> SavedBusiness:
    """Register or change a business and its owner as the business form does, by the owner rule.

    `owner_values` are the owner's typed fields (`nik` blank: the business keeps its owner).
    A NIK already registered links the business to that person: their record takes the typed
    values when `actor`'s office keeps it, else it stays as it is and the values become a
    proposal to the keeping office. Raises ValidationError (on `nik`) when the NIK is
    registered under another name.
    """
    creating = business.pk is None
    current = None if creating else Business.objects.select_related("owner").get(pk=business.pk).owner
    nik = owner_values.get("nik") or None
    existing = Person.objects.filter(nik=nik).first() if nik and (current is None or nik != current.nik) else None
    proposal = None
    linked_elsewhere = False
    if existing is not None:
        owner = existing
        if keeps(actor, existing, "change"):
            _apply_owner_values(existing, owner_values, village_id=business.village_id)
            save_person(actor=actor, person=existing)
        else:
            if not same_person_name(owner_values.get("full_name") or "", existing.full_name):
                raise ValidationError({"nik": OWNER_NAME_MISMATCH})
            linked_elsewhere = True
    elif current is not None and (nik is None or nik == current.nik or keeps(actor, current, "change")):
        owner = current
        if keeps(actor, current, "change"):
            _apply_owner_values(current, owner_values, nik=nik, blanks=True, village_id=business.village_id)
            save_person(actor=actor, person=current)
    else:
        owner = Person(nik=nik)
        _apply_owner_values(owner, owner_values, village_id=business.village_id)
        save_person(actor=actor, person=owner, home_regency_id=business.village_id[:5])
    business.owner = owner
    if creating:
        saved = create_business(actor=actor, business=business, fostering_offices=fostering_offices or ())
        if existing is not None:
            log_owner_link(actor=actor, person=owner, business=saved)
    else:
        saved = update_business(actor=actor, business=business, fostering_offices=fostering_offices)
    if not keeps(actor, owner, "change"):
        proposal = propose_person_change(
            actor=actor, person=owner, values=owner_values, business=saved, source=str(_("formulir UMKM"))
        )
    if current is not None and current.pk != owner.pk:
        refresh_homes([current.pk, owner.pk])
    return SavedBusiness(business=saved, proposal=proposal, linked_elsewhere=linked_elsewhere)


def log_owner_link(*, actor, person: Person, business: Business, message: str = "") -> None:
    """On the owner's own history: a new business joined them (every office sharing them sees it)."""
    log_change(
        actor=actor,
        instance=person,
        action=ChangeAction.UPDATE,
        before={"UMKM": None},
        after={"UMKM": f"{business.name} (#{business.pk})"},
        message=message or _("UMKM baru untuk pemilik ini"),
    )


def _apply_owner_values(
    person: Person, values: dict, nik: str | None = None, blanks: bool = False, village_id: str = ""
) -> None:
    """Set the typed owner fields on a person this office keeps.

    Blank fields clear what is stored only when the form showed the stored values (`blanks`):
    a form that named another, already registered owner by NIK never erases their details.
    An owner left without a village lives where the business is (`village_id`), as the form says.
    """
    if nik:
        person.nik = nik
    for name in OWNER_FORM_FIELDS:
        value = values.get(name)
        if value not in (None, "") or (blanks and name in values and name != "full_name"):
            setattr(person, name, "" if value is None and name not in ("birth_date", "village") else value)
    if person.village_id is None and village_id:
        person.village_id = village_id


@transaction.atomic
def create_business(*, actor, business: Business, fostering_offices: Iterable[Office] = ()) -> Business:
    """Register a new UMKM. The owner must already be saved (see `save_person`).

    A partner agency's users always foster what they register.
    """
    business.created_by = actor if actor.is_authenticated else None
    business.registered_by_office = actor.office if actor.is_authenticated else None
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
    if stored.regency_id != business.regency_id or stored.owner_id != business.owner_id:
        refresh_homes([stored.owner_id, business.owner_id])
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
def confirm_size_figures(*, actor, business: Business) -> Business:
    """Record that the business's capital and turnover are true though they point to different size
    classes: the size conflict flag stays clear until either changes."""
    ensure_can_change(actor, business)
    stored = Business.objects.select_for_update().get(pk=business.pk)
    fields = ("size_confirmed_capital", "size_confirmed_turnover")
    before = {name: getattr(stored, name) for name in fields}
    stored.size_confirmed_capital, stored.size_confirmed_turnover = stored.capital, stored.annual_turnover
    stored.save(update_fields=[*fields, "updated_at"])
    log_change(
        actor=actor,
        instance=stored,
        action=ChangeAction.UPDATE,
        before=before,
        after={name: getattr(stored, name) for name in fields},
        message=_("modal dan omzet dipastikan benar"),
    )
    return stored


ARCHIVE_FIELDS = ("archived_at", "archived_by", "archive_reason")


def _archive_state(business: Business) -> dict:
    return {name: value for name, value in snapshot(business).items() if name in ARCHIVE_FIELDS}


def _set_archived(actor, stored: Business, *, archived: bool, reason: str, message: str) -> Business:
    """Archive or restore the locked `stored`, log it, and move its owner's home if it must move."""
    before = _archive_state(stored)
    stored.archived_at = timezone.now() if archived else None
    stored.archived_by = actor if archived and actor.is_authenticated else None
    stored.archive_reason = reason.strip()[:300] if archived else ""
    stored.save(update_fields=[*ARCHIVE_FIELDS, "updated_at"])
    log_change(
        actor=actor,
        instance=stored,
        action=ChangeAction.UPDATE,
        before=before,
        after=_archive_state(stored),
        message=message,
    )
    refresh_homes([stored.owner_id])
    return stored


@transaction.atomic
def archive_business(*, actor, business: Business, reason: str = "") -> Business:
    """Take a business out of every list, search, export and figure, restorably; deleting is archiving.

    Only the office holding the business may (`restrict(user, "archive")`); a partner agency stops
    fostering it instead (`stop_fostering`).
    """
    if not Business.objects.restrict(actor, "archive").filter(pk=business.pk).exists():
        raise PermissionDenied(_("Hanya kantor yang mendaftarkan UMKM ini yang dapat mengarsipkannya."))
    stored = Business.objects.select_for_update().get(pk=business.pk)
    return _set_archived(actor, stored, archived=True, reason=reason, message=_("UMKM diarsipkan"))


@transaction.atomic
def restore_business(*, actor, business: Business) -> Business:
    """Bring an archived business back, for an admin of the office holding it."""
    archived = Business.with_archived.restrict(actor, "archive").filter(pk=business.pk, archived_at__isnull=False)
    if not actor.is_office_admin or not archived.exists():
        raise PermissionDenied(_("Hanya admin kantor yang mendaftarkan UMKM ini yang dapat memulihkannya."))
    stored = Business.with_archived.select_for_update().get(pk=business.pk)
    if stored.nib and Business.objects.filter(nib=stored.nib).exists():
        raise ValidationError(
            _("NIB %(nib)s kini dipakai UMKM lain; ubah NIB salah satunya sebelum memulihkan.") % {"nib": stored.nib}
        )
    return _set_archived(actor, stored, archived=False, reason="", message=_("UMKM dipulihkan dari arsip"))


@transaction.atomic
def stop_fostering(*, actor, business: Business) -> Business:
    """The actor's office no longer fosters the business (a partner agency's "delete"); nothing else changes."""
    office = actor.office
    if office is None or not actor.can_edit_registry or not business.fostering_offices.filter(pk=office.pk).exists():
        raise PermissionDenied(_("Kantor Anda tidak membina UMKM ini."))
    before = snapshot(business, BUSINESS_M2M)
    business.fostering_offices.remove(office)
    log_change(
        actor=actor,
        instance=business,
        action=ChangeAction.UPDATE,
        before={"fostering_offices": before["fostering_offices"]},
        after={"fostering_offices": snapshot(business, BUSINESS_M2M)["fostering_offices"]},
        message=_("%(office)s berhenti membina UMKM ini") % {"office": office.name},
    )
    return business


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
