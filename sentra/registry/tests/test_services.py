"""Registry writes: scope checks, audit rows and stage history, called the way views call them."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from conftest import make_nik, make_user
from sentra.accounts.models import Role
from sentra.audit.models import ChangeAction, ObjectChange
from sentra.audit.services import changes_of
from sentra.registry.models import (
    Business,
    ChannelKind,
    DigitalChannel,
    Licence,
    LicenceKind,
    Maturity,
    MaturityChange,
    OperatingStatus,
    Person,
    Product,
    StatusChange,
)
from sentra.registry.search import filter_by_search
from sentra.registry.services import (
    create_business,
    delete_business_child,
    save_business_child,
    save_person,
    update_business,
    verify_business_status,
)

BLORA_VILLAGE = "33.16.01.2001"
BLORA_OTHER_VILLAGE = "33.16.02.2001"
PESAWARAN_VILLAGE = "18.09.01.2001"
SEMARANG_VILLAGE = "33.74.01.1001"  # Kota Semarang: Central Java, not Blora


@pytest.fixture
def actors(users, offices):
    """The shared users plus a province officer an admin allowed to edit regency data."""
    return {
        **users,
        "jateng_editor": make_user("jateng_editor", offices["jateng"], Role.OFFICER, may_edit_province=True),
    }


def fresh(business: Business) -> Business:
    """The business as a view loads it before binding a form."""
    return Business.objects.get(pk=business.pk)


def changes_for(instance) -> list[ObjectChange]:
    content_type = ContentType.objects.get_for_model(instance)
    return list(ObjectChange.objects.filter(content_type=content_type, object_id=instance.pk).order_by("id"))


def diff_of(change: ObjectChange) -> dict[str, tuple]:
    return {field: (old, new) for field, old, new in change.diff()}


def new_owner(actor, name="Sri Wahyuni", district="33.16.01") -> Person:
    return save_person(actor=actor, person=Person(nik=make_nik(district), full_name=name, sex="P"))


def search(query: str) -> set[int]:
    return set(filter_by_search(Business.objects.all(), query).values_list("pk", flat=True))


# --- create -------------------------------------------------------------------


def test_create_business_logs_creation_and_first_stages(users, offices):
    officer = users["blora_officer"]
    owner = new_owner(officer)
    business = create_business(
        actor=officer,
        business=Business(
            name="Kerupuk Rambak Sari Rasa",
            owner=owner,
            village_id=BLORA_VILLAGE,
            capital=75_000_000,
            maturity=Maturity.MODERN,
        ),
        fostering_offices=[offices["blora"]],
    )

    stored = Business.objects.get(pk=business.pk)
    assert stored.created_by == officer
    assert (stored.regency_id, stored.size_class) == ("33.16", "micro")
    assert list(stored.fostering_offices.all()) == [offices["blora"]]

    [change] = changes_for(business)
    assert change.action == ChangeAction.CREATE
    assert (change.actor, change.actor_name) == (officer, "blora_officer")
    assert change.prechange_data is None
    assert change.postchange_data["name"] == "Kerupuk Rambak Sari Rasa"
    assert change.postchange_data["village"] == BLORA_VILLAGE
    assert change.postchange_data["capital"] == 75_000_000
    assert change.postchange_data["fostering_offices"] == [offices["blora"].pk]
    assert "search_text" not in change.postchange_data

    [status] = StatusChange.objects.filter(business=business)
    assert (status.status, status.previous_status, status.changed_by) == (OperatingStatus.ACTIVE, "", officer)
    [stage] = MaturityChange.objects.filter(business=business)
    assert (stage.stage, stage.previous_stage, stage.changed_by) == (Maturity.MODERN, "", officer)

    [owner_change] = changes_for(owner)
    assert (owner_change.action, owner_change.actor) == (ChangeAction.CREATE, officer)
    assert owner_change.postchange_data["full_name"] == "Sri Wahyuni"

    assert search("rambak") == {business.pk}
    assert search("wahyuni") == {business.pk}


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        ([], {"blora_industry"}),
        (["blora"], {"blora", "blora_industry"}),
        (["blora", "blora_industry"], {"blora", "blora_industry"}),
    ],
)
def test_partner_agency_fosters_what_it_registers(users, offices, chosen, expected):
    officer = users["industry_officer"]
    business = create_business(
        actor=officer,
        business=Business(name="Mebel Jati Randublatung", owner=new_owner(officer), village_id=BLORA_VILLAGE),
        fostering_offices=[offices[key] for key in chosen],
    )
    assert set(business.fostering_offices.all()) == {offices[key] for key in expected}
    assert Business.objects.restrict(officer, "change").filter(pk=business.pk).exists()


def test_cooperative_office_does_not_foster_automatically(users):
    officer = users["blora_officer"]
    business = create_business(
        actor=officer, business=Business(name="Tahu Pong", owner=new_owner(officer), village_id=BLORA_VILLAGE)
    )
    assert list(business.fostering_offices.all()) == []


@pytest.mark.parametrize(
    ("actor", "village", "allowed"),
    [
        ("blora_officer", BLORA_VILLAGE, True),
        ("blora_admin", BLORA_OTHER_VILLAGE, True),
        ("blora_viewer", BLORA_VILLAGE, False),
        ("blora_officer", PESAWARAN_VILLAGE, False),
        ("pesawaran_officer", BLORA_VILLAGE, False),
        ("pesawaran_officer", PESAWARAN_VILLAGE, True),
        ("jateng_officer", BLORA_VILLAGE, False),
        ("jateng_editor", SEMARANG_VILLAGE, True),
        ("jateng_editor", PESAWARAN_VILLAGE, False),
        ("superuser", PESAWARAN_VILLAGE, True),
    ],
)
def test_create_business_scope(actors, actor, village, allowed):
    user = actors[actor]
    owner = Person.objects.create(nik=make_nik(), full_name="Pemilik Uji", sex="L")
    counts_before = (Business.objects.count(), ObjectChange.objects.count(), StatusChange.objects.count())
    business = Business(name="Usaha Baru", owner=owner, village_id=village)
    if allowed:
        create_business(actor=user, business=business)
        assert Business.objects.filter(name="Usaha Baru", village_id=village).exists()
    else:
        with pytest.raises(PermissionDenied):
            create_business(actor=user, business=business)
        counts_after = (Business.objects.count(), ObjectChange.objects.count(), StatusChange.objects.count())
        assert counts_after == counts_before


# --- update -------------------------------------------------------------------


def test_update_business_logs_old_and_new_values(users, businesses):
    officer = users["blora_officer"]
    business = fresh(businesses["blora_fostered"])
    business.name = "Batik Sekar Jati Blora"
    business.capital = 2_000_000_000
    update_business(actor=officer, business=business)

    [change] = changes_for(business)
    assert change.action == ChangeAction.UPDATE
    assert (change.actor, change.actor_name) == (officer, "blora_officer")
    assert diff_of(change) == {
        "name": ("Batik Sekar Jati", "Batik Sekar Jati Blora"),
        "capital": (50_000_000, 2_000_000_000),
        "size_class": ("micro", "small"),
    }
    assert fresh(business).name == "Batik Sekar Jati Blora"


def test_update_that_changes_nothing_writes_no_change(users, businesses):
    business = fresh(businesses["blora_fostered"])
    update_business(actor=users["blora_officer"], business=business)
    update_business(
        actor=users["blora_officer"], business=fresh(business), fostering_offices=business.fostering_offices.all()
    )
    assert changes_for(business) == []
    assert not StatusChange.objects.filter(business=business).exists()
    assert not MaturityChange.objects.filter(business=business).exists()


def test_update_fostering_offices_logs_the_id_lists(users, offices, businesses):
    business = fresh(businesses["blora_plain"])
    update_business(
        actor=users["blora_officer"],
        business=business,
        fostering_offices=[offices["blora"], offices["blora_industry"]],
    )
    [change] = changes_for(business)
    assert diff_of(change) == {
        "fostering_offices": (
            [offices["blora"].pk],
            sorted([offices["blora"].pk, offices["blora_industry"].pk]),
        )
    }


def test_status_and_maturity_changes_are_recorded(users, businesses):
    officer = users["blora_officer"]
    business = fresh(businesses["blora_plain"])
    business.status = OperatingStatus.DORMANT
    business.maturity = Maturity.DIGITAL
    update_business(actor=officer, business=business)

    [status] = StatusChange.objects.filter(business=business)
    assert (status.previous_status, status.status, status.changed_by) == ("active", "dormant", officer)
    [stage] = MaturityChange.objects.filter(business=business)
    assert (stage.previous_stage, stage.stage, stage.changed_by) == ("traditional", "digital", officer)

    stored = fresh(business)
    assert stored.status_verified_on == timezone.localdate()
    assert stored.status_verified_by == officer
    assert StatusChange.objects.restrict(officer).filter(business=business).count() == 1


def test_maturity_only_change_writes_no_status_row(users, businesses):
    business = fresh(businesses["blora_plain"])
    business.maturity = Maturity.MODERN
    update_business(actor=users["blora_officer"], business=business)
    assert not StatusChange.objects.filter(business=business).exists()
    assert MaturityChange.objects.filter(business=business, stage=Maturity.MODERN).count() == 1


def test_verify_business_status(users, businesses):
    officer = users["blora_officer"]
    business = verify_business_status(
        actor=officer, business=fresh(businesses["blora_plain"]), status=OperatingStatus.CLOSED
    )
    stored = fresh(business)
    assert (stored.status, stored.status_verified_on, stored.status_verified_by) == (
        OperatingStatus.CLOSED,
        timezone.localdate(),
        officer,
    )
    [status] = StatusChange.objects.filter(business=business)
    assert (status.previous_status, status.status) == ("active", "closed")
    [change] = changes_for(business)
    assert diff_of(change) == {
        "status": ("active", "closed"),
        "status_verified_on": (None, timezone.localdate().isoformat()),
        "status_verified_by": (None, officer.pk),
    }


def test_verifying_an_unchanged_status_records_the_check_but_no_status_row(users, businesses):
    officer = users["blora_officer"]
    business = verify_business_status(actor=officer, business=fresh(businesses["blora_plain"]), status="active")
    assert fresh(business).status_verified_on == timezone.localdate()
    assert not StatusChange.objects.filter(business=business).exists()
    assert len(changes_for(business)) == 1
    verify_business_status(actor=officer, business=fresh(business), status="active")  # again, same day
    assert len(changes_for(business)) == 1


UPDATE_MATRIX = [
    # actor, business, allowed
    ("blora_admin", "blora_fostered", True),
    ("blora_admin", "pesawaran", False),
    ("blora_officer", "blora_plain", True),
    ("blora_officer", "pesawaran", False),
    ("blora_viewer", "blora_plain", False),
    ("pesawaran_officer", "pesawaran", True),
    ("pesawaran_officer", "blora_plain", False),
    ("jateng_officer", "blora_plain", False),
    ("jateng_editor", "blora_plain", True),
    ("jateng_editor", "pesawaran", False),
    ("industry_officer", "blora_fostered", True),
    ("industry_officer", "blora_plain", False),
    ("superuser", "pesawaran", True),
]


@pytest.mark.parametrize(("actor", "business_key", "allowed"), UPDATE_MATRIX)
def test_update_business_scope(actors, businesses, actor, business_key, allowed):
    business = fresh(businesses[business_key])
    old_name = business.name
    business.name = "Nama Diubah"
    if allowed:
        update_business(actor=actors[actor], business=business)
        assert fresh(business).name == "Nama Diubah"
        assert changes_for(business)[0].actor == actors[actor]
    else:
        with pytest.raises(PermissionDenied):
            update_business(actor=actors[actor], business=business)
        assert fresh(business).name == old_name
        assert changes_for(business) == []


@pytest.mark.parametrize(("actor", "business_key", "allowed"), UPDATE_MATRIX)
def test_verify_business_status_scope(actors, businesses, actor, business_key, allowed):
    business = fresh(businesses[business_key])
    if allowed:
        verify_business_status(actor=actors[actor], business=business, status=OperatingStatus.DORMANT)
        assert fresh(business).status == OperatingStatus.DORMANT
    else:
        with pytest.raises(PermissionDenied):
            verify_business_status(actor=actors[actor], business=business, status=OperatingStatus.DORMANT)
        assert fresh(business).status == OperatingStatus.ACTIVE
        assert not StatusChange.objects.filter(business=business).exists()


@pytest.mark.parametrize(
    ("actor", "business_key", "village"),
    [
        ("blora_officer", "blora_plain", PESAWARAN_VILLAGE),
        ("blora_officer", "blora_plain", SEMARANG_VILLAGE),  # same province, other regency
        ("pesawaran_officer", "pesawaran", BLORA_VILLAGE),
        ("jateng_editor", "blora_plain", PESAWARAN_VILLAGE),  # out of the province
    ],
)
def test_moving_a_business_out_of_scope_is_denied_and_rolled_back(actors, businesses, actor, business_key, village):
    business = fresh(businesses[business_key])
    old_village = business.village_id
    business.village_id = village
    business.status = OperatingStatus.MOVED
    with pytest.raises(PermissionDenied):
        update_business(actor=actors[actor], business=business)
    stored = fresh(business)
    assert (stored.village_id, stored.regency_id, stored.status) == (old_village, old_village[:5], "active")
    assert changes_for(business) == []
    assert not StatusChange.objects.filter(business=business).exists()


def test_moving_within_the_regency_is_allowed(users, businesses):
    business = fresh(businesses["blora_plain"])
    business.village_id = BLORA_OTHER_VILLAGE
    update_business(actor=users["blora_officer"], business=business)
    stored = fresh(business)
    assert (stored.village_id, stored.district_id) == (BLORA_OTHER_VILLAGE, "33.16.02")
    assert diff_of(changes_for(business)[0])["village"] == ("33.16.01.2002", BLORA_OTHER_VILLAGE)


def test_partner_agency_cannot_drop_its_own_fostering(users, offices, businesses):
    business = fresh(businesses["blora_fostered"])
    with pytest.raises(PermissionDenied):
        update_business(actor=users["industry_officer"], business=business, fostering_offices=[offices["blora"]])
    assert set(business.fostering_offices.all()) == {offices["blora"], offices["blora_industry"]}


# --- owners -------------------------------------------------------------------


def test_renaming_an_owner_logs_it_and_updates_search(users, businesses):
    officer = users["pesawaran_officer"]
    business = businesses["pesawaran"]
    person = Person.objects.get(pk=business.owner_id)
    person.full_name = "Ahmad Fauzan"
    save_person(actor=officer, person=person)

    [change] = changes_for(person)
    assert (change.action, change.actor) == (ChangeAction.UPDATE, officer)
    assert diff_of(change) == {"full_name": ("Ahmad Fauzi", "Ahmad Fauzan")}
    assert search("fauzan") == {business.pk}
    assert search("fauzi") == set()


def test_saving_an_unchanged_owner_writes_no_change(users, businesses):
    person = Person.objects.get(pk=businesses["blora_plain"].owner_id)
    save_person(actor=users["blora_officer"], person=person)
    assert changes_for(person) == []


@pytest.mark.parametrize(
    ("actor", "business_key"),
    [
        ("blora_viewer", "blora_plain"),
        ("blora_officer", "pesawaran"),
        ("jateng_officer", "blora_plain"),
        ("industry_officer", "blora_plain"),
    ],
)
def test_changing_an_owner_out_of_scope_is_denied(actors, businesses, actor, business_key):
    person = Person.objects.get(pk=businesses[business_key].owner_id)
    old_name = person.full_name
    person.full_name = "Nama Palsu"
    with pytest.raises(PermissionDenied):
        save_person(actor=actors[actor], person=person)
    assert Person.objects.get(pk=person.pk).full_name == old_name
    assert changes_for(person) == []


def test_viewer_cannot_create_an_owner(users):
    with pytest.raises(PermissionDenied):
        save_person(actor=users["blora_viewer"], person=Person(nik=make_nik(), full_name="Pemilik Baru", sex="L"))
    assert not Person.objects.filter(full_name="Pemilik Baru").exists()


# --- products, licences, channels -----------------------------------------------


def test_product_changes_are_logged_on_the_business_and_searchable(users, businesses):
    officer = users["blora_officer"]
    business = fresh(businesses["blora_plain"])

    product = save_business_child(actor=officer, child=Product(business=business, name="Keranjang Parsel Rotan"))
    [created] = changes_for(product)
    assert (created.action, created.actor) == (ChangeAction.CREATE, officer)
    assert (created.related_content_type, created.related_object_id) == (
        ContentType.objects.get_for_model(Business),
        business.pk,
    )
    assert created.postchange_data["name"] == "Keranjang Parsel Rotan"
    assert search("rotan") == {business.pk}

    product = Product.objects.get(pk=product.pk)
    product.name = "Keranjang Parsel Bambu"
    product.price = 85_000
    save_business_child(actor=officer, child=product)
    updated = changes_for(product)[-1]
    assert updated.action == ChangeAction.UPDATE
    assert diff_of(updated) == {"name": ("Keranjang Parsel Rotan", "Keranjang Parsel Bambu"), "price": (None, 85_000)}
    assert search("bambu") == {business.pk}
    assert search("rotan") == set()

    delete_business_child(actor=officer, child=Product.objects.get(pk=product.pk))
    deleted = changes_for(product)[-1]
    assert (deleted.action, deleted.related_object_id, deleted.postchange_data) == (
        ChangeAction.DELETE,
        business.pk,
        None,
    )
    assert not Product.objects.filter(pk=product.pk).exists()
    assert search("bambu") == set()
    assert search("parcel barokah") == {business.pk}

    assert [change.action for change in changes_of(business).order_by("id")] == ["create", "update", "delete"]


def test_saving_an_unchanged_product_writes_no_change(users, businesses):
    officer = users["blora_officer"]
    product = save_business_child(actor=officer, child=Product(business=businesses["blora_plain"], name="Parsel"))
    save_business_child(actor=officer, child=Product.objects.get(pk=product.pk))
    assert [change.action for change in changes_for(product)] == ["create"]


@pytest.mark.parametrize(
    "make_child",
    [
        lambda business: Licence(business=business, kind=LicenceKind.HALAL, number="ID33110012345678"),
        lambda business: DigitalChannel(
            business=business, kind=ChannelKind.INSTAGRAM, name="batiksekarjati", url="https://instagram.com/x"
        ),
    ],
    ids=["licence", "channel"],
)
def test_licences_and_channels_are_logged_on_the_business(users, businesses, make_child):
    officer = users["industry_officer"]
    business = fresh(businesses["blora_fostered"])
    child = save_business_child(actor=officer, child=make_child(business))
    [change] = changes_for(child)
    assert (change.action, change.actor, change.related_object_id) == (ChangeAction.CREATE, officer, business.pk)
    delete_business_child(actor=officer, child=type(child).objects.get(pk=child.pk))
    assert not type(child).objects.filter(pk=child.pk).exists()
    assert [c.action for c in changes_of(business).order_by("id")] == ["create", "delete"]


@pytest.mark.parametrize(
    ("actor", "business_key"),
    [
        ("blora_viewer", "blora_plain"),
        ("blora_officer", "pesawaran"),
        ("industry_officer", "blora_plain"),
        ("jateng_officer", "blora_fostered"),
    ],
)
def test_child_changes_out_of_scope_are_denied(actors, businesses, actor, business_key):
    business = fresh(businesses[business_key])
    existing = Product.objects.create(business=business, name="Produk Lama")
    user = actors[actor]
    with pytest.raises(PermissionDenied):
        save_business_child(actor=user, child=Product(business=business, name="Produk Baru"))
    existing.name = "Produk Diubah"
    with pytest.raises(PermissionDenied):
        save_business_child(actor=user, child=existing)
    with pytest.raises(PermissionDenied):
        delete_business_child(actor=user, child=Product.objects.get(pk=existing.pk))
    assert list(Product.objects.filter(business=business).values_list("name", flat=True)) == ["Produk Lama"]
    assert changes_of(business).count() == 0
