"""The scope matrix: who sees and who changes which UMKM, through every selector."""

import pytest
from django.contrib.auth.models import AnonymousUser

from conftest import make_nik, make_user
from sentra.accounts.models import Role, User
from sentra.core.pagination import capped_count
from sentra.registry.filters import BusinessFilterSet
from sentra.registry.models import (
    Business,
    ChannelKind,
    DigitalChannel,
    Licence,
    LicenceKind,
    Person,
    Product,
    StatusChange,
)
from sentra.registry.search import filter_by_search
from sentra.registry.selectors import business_list_page, filtered_businesses

FOSTERED, PLAIN, PESAWARAN = "blora_fostered", "blora_plain", "pesawaran"
ALL = {FOSTERED, PLAIN, PESAWARAN}
BLORA = {FOSTERED, PLAIN}
NONE: set[str] = set()

# user: (what they may view, what they may change)
MATRIX: dict[str, tuple[set[str], set[str]]] = {
    "blora_admin": (BLORA, BLORA),
    "blora_officer": (BLORA, BLORA),
    "blora_viewer": (BLORA, NONE),
    "pesawaran_officer": ({PESAWARAN}, {PESAWARAN}),
    "jateng_officer": (BLORA, NONE),  # province office, no may_edit_province
    "jateng_editor": (BLORA, BLORA),  # province office, may_edit_province
    "industry_officer": ({FOSTERED}, {FOSTERED}),  # partner agency: what it fosters
    "industry_viewer": ({FOSTERED}, NONE),
    "superuser": (ALL, ALL),
    "anonymous": (NONE, NONE),
    "nobody": (NONE, NONE),  # user is None
    "inactive_officer": (NONE, NONE),
    "inactive_superuser": (NONE, NONE),
    "no_office": (NONE, NONE),
    "no_office_staff": (NONE, NONE),
}
VIEW_CASES = [pytest.param(user, view, id=user) for user, (view, _change) in MATRIX.items()]
ACTION_CASES = [
    pytest.param(user, action, MATRIX[user][column], id=f"{user}-{action}")
    for action, column in (("view", 0), ("change", 1))
    for user in MATRIX
]


@pytest.fixture
def everyone(users, offices) -> dict[str, User | AnonymousUser | None]:
    """The shared users plus the edge cases of the matrix."""
    inactive_superuser = User.objects.create_superuser("pusat_lama", "lama@example.org", "x")
    inactive_superuser.is_active = False
    inactive_superuser.save()
    return {
        **users,
        "jateng_editor": make_user("jateng_editor", offices["jateng"], Role.OFFICER, may_edit_province=True),
        "industry_viewer": make_user("industry_viewer", offices["blora_industry"], Role.VIEWER),
        "anonymous": AnonymousUser(),
        "nobody": None,
        "inactive_officer": make_user("blora_officer_lama", offices["blora"], Role.OFFICER, is_active=False),
        "inactive_superuser": inactive_superuser,
        "no_office": make_user("tanpa_kantor", None, Role.OFFICER),
        "no_office_staff": make_user("staf_tanpa_kantor", None, Role.ADMIN, is_staff=True),
    }


def test_matrix_covers_every_shared_user(users):
    assert set(users) <= set(MATRIX)


def keys_of(queryset, businesses) -> set[str]:
    by_pk = {business.pk: key for key, business in businesses.items()}
    return {by_pk[pk] for pk in queryset.values_list("pk", flat=True) if pk in by_pk}


@pytest.mark.parametrize(("user", "action", "expected"), ACTION_CASES)
def test_business_restrict(everyone, businesses, user, action, expected):
    visible = Business.objects.restrict(everyone[user], action)
    assert keys_of(visible, businesses) == expected
    assert visible.count() == len(expected)


@pytest.mark.parametrize(("user", "action", "expected"), ACTION_CASES)
def test_person_restrict(everyone, businesses, user, action, expected):
    owner_of = {business.owner_id: key for key, business in businesses.items()}
    visible = Person.objects.restrict(everyone[user], action).values_list("pk", flat=True)
    assert {owner_of[pk] for pk in visible if pk in owner_of} == expected


@pytest.mark.parametrize(("user", "action", "expected"), ACTION_CASES)
def test_owner_without_a_business_is_seen_only_by_an_active_superuser(everyone, db, user, action, expected):
    lone = Person.objects.create(nik=make_nik(), full_name="Pemilik Tanpa Usaha", sex="L")
    visible = Person.objects.restrict(everyone[user], action).filter(pk=lone.pk).exists()
    assert visible == (expected == ALL)


@pytest.fixture
def children(businesses):
    """A product, a licence, a channel and a status row for each business."""
    for business in businesses.values():
        Product.objects.create(business=business, name=f"Produk {business.name}")
        Licence.objects.create(business=business, kind=LicenceKind.PIRT, number=f"P-{business.pk}")
        DigitalChannel.objects.create(business=business, kind=ChannelKind.WHATSAPP, name=business.name)
        StatusChange.objects.create(business=business, status="active", changed_at=business.created_at)
    return businesses


@pytest.mark.parametrize("model", [Product, Licence, DigitalChannel, StatusChange], ids=lambda m: m.__name__)
@pytest.mark.parametrize(("user", "action", "expected"), ACTION_CASES)
def test_child_restrict(everyone, children, model, user, action, expected):
    key_of = {business.pk: key for key, business in children.items()}
    visible = model.objects.restrict(everyone[user], action).values_list("business_id", flat=True)
    assert sorted(key_of[pk] for pk in visible) == sorted(expected)


# --- search and filters never widen the scope ----------------------------------------


@pytest.mark.parametrize("target", sorted(ALL))
@pytest.mark.parametrize(("user", "visible"), VIEW_CASES)
def test_search_by_name_never_widens_scope(everyone, businesses, user, visible, target):
    name = businesses[target].name
    expected = {target} & visible
    found = filter_by_search(Business.objects.restrict(everyone[user]), name)
    assert keys_of(found, businesses) == expected
    _filterset, filtered = filtered_businesses(everyone[user], {"q": name})
    assert keys_of(filtered, businesses) == expected


@pytest.mark.parametrize(("user", "visible"), VIEW_CASES)
def test_search_by_owner_name_never_widens_scope(everyone, businesses, user, visible):
    _filterset, found = filtered_businesses(everyone[user], {"q": "ahmad fauzi"})
    assert keys_of(found, businesses) == {PESAWARAN} & visible
    _filterset, found = filtered_businesses(everyone[user], {"q": "siti aminah"})
    assert keys_of(found, businesses) == BLORA & visible


@pytest.mark.parametrize(("user", "visible"), VIEW_CASES)
def test_unfiltered_list_is_the_scope(everyone, businesses, user, visible):
    _filterset, found = filtered_businesses(everyone[user], {})
    assert keys_of(found, businesses) == visible
    page = business_list_page(everyone[user], {})[1]
    assert {business.pk for business in page.items} == {businesses[key].pk for key in visible}
    assert capped_count(found, 1000) == (len(visible), False)


WIDENING_ATTEMPTS = {
    "other regency": {"regency": "18.09"},
    "own regency": {"regency": "33.16"},
    "other district": {"district": "18.09.01"},
    "other regency and district": {"regency": "18.09", "district": "18.09.01"},
    "other village": {"regency": "18.09", "district": "18.09.01", "village": "18.09.01.2001"},
    "other's name": {"q": "keripik pisang"},
    "other's owner": {"q": "fauzi"},
    "other's fostering office": {"fostering_office": "{pesawaran}"},
    "partner fostering office": {"fostering_office": "{blora_industry}"},
    "status": {"status": "active"},
    "size": {"size_class": "unknown"},
}


@pytest.mark.parametrize("params", list(WIDENING_ATTEMPTS.values()), ids=list(WIDENING_ATTEMPTS))
@pytest.mark.parametrize(("user", "visible"), VIEW_CASES)
def test_no_filter_widens_scope(everyone, offices, businesses, user, visible, params):
    params = {
        key: value.format(**{code: office.pk for code, office in offices.items()}) for key, value in params.items()
    }
    _filterset, found = filtered_businesses(everyone[user], params)
    assert keys_of(found, businesses) <= visible
    assert found.count() == len(keys_of(found, businesses))


@pytest.mark.parametrize(
    ("user", "params"),
    [
        ("blora_officer", {"district": "18.09.01"}),  # a Pesawaran district
        ("blora_officer", {"village": "18.09.01.2001", "district": "18.09.01"}),
        ("pesawaran_officer", {"district": "33.16.01"}),
        ("industry_officer", {"district": "18.09.01"}),
        ("jateng_officer", {"district": "18.09.01"}),
        ("jateng_officer", {"regency": "18.09", "district": "18.09.01"}),  # another province
    ],
)
def test_filters_on_another_regency_find_nothing(everyone, businesses, user, params):
    filterset, found = filtered_businesses(everyone[user], params)
    assert not filterset.is_valid()
    assert keys_of(found, businesses) == NONE


@pytest.mark.parametrize(
    ("user", "params", "expected"),
    [
        ("blora_officer", {"district": "33.16.01"}, BLORA),
        ("blora_officer", {"fostering_office": "{blora_industry}"}, {FOSTERED}),
        ("industry_officer", {"district": "33.16.01"}, {FOSTERED}),
        ("industry_officer", {"fostering_office": "{blora}"}, {FOSTERED}),
        ("blora_viewer", {"q": "parcel", "district": "33.16.01"}, {PLAIN}),
        ("superuser", {"regency": "18.09", "district": "18.09.01"}, {PESAWARAN}),
        ("jateng_officer", {"regency": "33.16", "district": "33.16.01"}, BLORA),
        ("superuser", {"fostering_office": "{blora}"}, BLORA),
    ],
)
def test_filters_narrow_within_scope(everyone, offices, businesses, user, params, expected):
    params = {
        key: value.format(**{code: office.pk for code, office in offices.items()}) for key, value in params.items()
    }
    filterset = BusinessFilterSet(params, queryset=Business.objects.restrict(everyone[user]), user=everyone[user])
    assert filterset.is_valid(), filterset.errors
    assert keys_of(filterset.qs, businesses) == expected


def test_fostering_office_of_another_province_is_not_a_choice(everyone, offices, businesses):
    params = {"fostering_office": str(offices["pesawaran"].pk)}
    filterset, found = filtered_businesses(everyone["blora_officer"], params)
    assert "fostering_office" in filterset.errors
    assert keys_of(found, businesses) == NONE
