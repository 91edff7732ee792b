"""The one gate to every record: `Model.objects.restrict(user, action)`.

As NetBox's `RestrictedQuerySet`: each model's queryset says, as a filter, which
of its rows a user may `view`, `change` or `archive`. The registry's businesses
go by their region and the offices fostering them (`registry/scope.py`); the
records an office owns (its imports, agency lists, duplicate pairs, reports,
its users' change log) go by that office, through the path each model names:

    class ImportRow(models.Model):
        objects = OfficeOwnedQuerySet.through("batch__office").as_manager()

Lists, pages, exports, the API and the admin all read through `restrict`; a
write checks the same rule (`restrict(actor, "change")`, or `ensure_may` for
work an office owns that has no row yet).

Nothing here imports another app: a user is anything with the fields the
rules read (`is_superuser`, `office_id`, `can_edit_registry`).
"""

from typing import Any, Literal, Self

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q

Action = Literal["view", "change", "archive"]
NOTHING = Q(pk__in=[])


def signed_in(user: Any) -> bool:
    """Whether `user` is an active, signed-in account (`None` for work the system does itself)."""
    return user is not None and user.is_authenticated and user.is_active


class ScopedQuerySet(models.QuerySet):
    """A queryset narrowed by `restrict`; subclasses say how, in `scope`."""

    def scope(self, user: Any, action: Action) -> Q:
        raise NotImplementedError(f"{self.model.__name__}'s queryset does not say who may {action} its rows")

    def restrict(self, user: Any, action: Action = "view") -> Self:
        """Narrow to the rows `user` may `view`, `change` or `archive`."""
        return self.filter(self.scope(user, action))


def may(user: Any, action: Action, office_id: int | None) -> bool:
    """Whether `user` may `action` what office `office_id` owns: its own users view it, its editors
    change it, a superuser everything (`OfficeOwnedQuerySet.scope`'s rule, for an office id in hand)."""
    if not signed_in(user):
        return False
    if user.is_superuser:
        return True
    if user.office_id is None or user.office_id != office_id:
        return False
    return action == "view" or user.can_edit_registry


def is_editor(user: Any) -> bool:
    """Whether `user` may change what their own office owns (a superuser: any office's)."""
    return may(user, "change", getattr(user, "office_id", None))


def ensure_may(user: Any, action: Action, office_id: int | None, message: str) -> None:
    """`may`, for work done on the office's behalf: the system (`user` None) may; anyone else not
    allowed gets PermissionDenied with `message`."""
    if user is not None and not may(user, action, office_id):
        raise PermissionDenied(message)


class OfficeOwnedQuerySet(ScopedQuerySet):
    """Records an office owns, found through `office_path` (`office`, `source__office`, …): its own
    users see them, its editors change them. With `shared_when_blank`, a row without an office
    (a template Sentra ships) is for every user to read."""

    office_path = "office"
    shared_when_blank = False

    @classmethod
    def through(cls, office_path: str, *, shared_when_blank: bool = False) -> type["OfficeOwnedQuerySet"]:
        """This queryset for a model whose office is at `office_path`."""
        name = f"OfficeOwnedQuerySet_{office_path}"
        return type(name, (cls,), {"office_path": office_path, "shared_when_blank": shared_when_blank})

    def scope(self, user: Any, action: Action) -> Q:
        if not signed_in(user):
            return NOTHING
        if user.is_superuser:
            return Q()
        if user.office_id is None or (action != "view" and not user.can_edit_registry):
            return NOTHING
        owned = Q(**{f"{self.office_path}_id": user.office_id})
        if self.shared_when_blank and action == "view":
            owned |= Q(**{f"{self.office_path}__isnull": True})
        return owned
