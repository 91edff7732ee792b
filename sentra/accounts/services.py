"""Writes to offices and users, each logged in the change log (never a password or its hash)."""

from django.db import models

from sentra.audit.models import ChangeAction
from sentra.audit.services import log_change

# What the change log keeps of a user: who they are and what they may do.
USER_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "office_id",
    "role",
    "may_edit_province",
    "may_export_full_data",
    "is_active",
    "is_staff",
    "is_superuser",
)
OFFICE_FIELDS = ("code", "name", "kind", "province_id", "regency_id", "address", "phone")


def _fields(instance: models.Model) -> tuple[str, ...]:
    return USER_FIELDS if instance._meta.model_name == "user" else OFFICE_FIELDS


def account_snapshot(instance: models.Model) -> dict[str, object]:
    """The logged fields of a user or an office, keyed by field name as the change log shows them."""
    return {name.removesuffix("_id"): getattr(instance, name) for name in _fields(instance)}


def log_account_change(*, actor, instance: models.Model, before: dict | None, message: str = "") -> None:
    """A user or office was created (`before` None) or changed."""
    action = ChangeAction.CREATE if before is None else ChangeAction.UPDATE
    log_change(
        actor=actor, instance=instance, action=action, before=before, after=account_snapshot(instance), message=message
    )


def log_account_deletion(*, actor, instance: models.Model) -> None:
    log_change(actor=actor, instance=instance, action=ChangeAction.DELETE, before=account_snapshot(instance))


def log_password_change(*, actor, user) -> None:
    """A password set by someone (the user or an admin): when and by whom, never the password."""
    log_change(
        actor=actor,
        instance=user,
        action=ChangeAction.UPDATE,
        before={"kata sandi": "***"},
        after={"kata sandi": "*** (baru)"},
        message="kata sandi diubah",
    )
