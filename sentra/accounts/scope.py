"""Which offices a user may name (a business's fostering offices).

Which records a user may see or change is decided in one place, `core/scope.py`
(`Model.objects.restrict(user, action)`); the registry's rule for businesses is
`registry/scope.py`.
"""


def offices_visible_to(user):
    """Offices a user may pick as fostering office: those of the same province."""
    from sentra.accounts.models import Office

    if user.is_superuser:
        return Office.objects.all()
    if user.office is None:
        return Office.objects.none()
    return Office.objects.filter(province_id=user.office.province_id)
