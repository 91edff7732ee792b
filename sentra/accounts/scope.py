"""The one place that decides which UMKM a user may see or change.

Every list, detail page, search, export, API endpoint and admin list reaches
businesses through `Business.objects.restrict(user, action)`, which asks
`business_scope` for its filter.
"""

from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q

Action = Literal["view", "change", "archive"]
NOTHING = Q(pk__in=[])


def business_scope(user, action: Action = "view") -> Q:
    """A filter on Business for what `user` may `view` or `change`.

    - superuser: everything;
    - regency cooperative office: businesses located in its regency;
    - province cooperative office: every regency of the province, changes
      only when an admin granted `may_edit_province`;
    - partner agency (industry, agriculture, ...): only the businesses its
      office fosters, inside its own region;
    - viewers never change; users without an office see nothing;
    - `archive` (archive and restore): what the user may change that their office registered,
      never for a partner agency, which may only stop fostering. What no office registered (an
      import) or a partner agency did is held by the cooperative office of its regency.
    """
    from sentra.accounts.models import OfficeKind
    from sentra.registry.models import Business

    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return Q()
    office = user.office
    if office is None:
        return NOTHING
    if action in ("change", "archive") and not user.can_edit_registry:
        return NOTHING
    if action == "archive":
        if office.is_partner_agency:
            return NOTHING
        held = Q(registered_by_office_id=office.pk)
        if office.regency_id:
            unheld = Q(registered_by_office__isnull=True) | ~Q(registered_by_office__kind=OfficeKind.KOPERASI_UKM)
            held |= unheld & Q(regency_id=office.regency_id)
        return business_scope(user, "change") & held
    if office.is_partner_agency:
        fostered = Business.fostering_offices.through.objects.filter(business_id=OuterRef("pk"), office_id=office.pk)
        region = Q(regency_id=office.regency_id) if office.regency_id else Q(province_id=office.province_id)
        return Q(Exists(fostered)) & region
    if office.regency_id:
        return Q(regency_id=office.regency_id)
    return Q(province_id=office.province_id)


def offices_visible_to(user):
    """Offices a user may pick as fostering office: those of the same province."""
    from sentra.accounts.models import Office

    if user.is_superuser:
        return Office.objects.all()
    if user.office is None:
        return Office.objects.none()
    return Office.objects.filter(province_id=user.office.province_id)


def ensure_office_editor(actor, office_id: int | None, message: str) -> None:
    """Work an office owns (its imports, agency lists, merges) is done by its own editors, or by the system.

    Raises PermissionDenied with `message` for anyone else.
    """
    if actor is None or actor.is_superuser:
        return
    if not actor.can_edit_registry or actor.office_id != office_id:
        raise PermissionDenied(message)
