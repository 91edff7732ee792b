"""Which UMKM a user may see, change or archive: the registry's rule behind
`Business.objects.restrict(user, action)` (`core/scope.py` is the gate every model shares).

Every list, detail page, search, export, API endpoint and admin list reaches
businesses through that gate, and so through `business_scope`.
"""

from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from sentra.accounts.models import OfficeKind
from sentra.core.scope import NOTHING, Action, signed_in


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
    if not signed_in(user):
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
        fostering = apps.get_model("registry", "Business").fostering_offices.through  # models import this module
        fostered = fostering.objects.filter(business_id=OuterRef("pk"), office_id=office.pk)
        return Q(Exists(fostered)) & office.area_filter()
    if office.regency_id:
        return Q(regency_id=office.regency_id)
    return Q(province_id=office.province_id)
