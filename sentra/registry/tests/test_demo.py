"""The demo data generator and `manage.py seed_demo`: deterministic, valid, consistent, idempotent."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from sentra.accounts.models import Office, Role, User
from sentra.core.validators import nik_birth_date, normalize_phone, validate_nik
from sentra.registry import demo
from sentra.registry.models import Business, MaturityChange, Person, StatusChange
from sentra.registry.search import filter_by_search
from sentra.registry.sizing import size_class_for

TODAY = dt.date(2026, 6, 15)
DERIVED = ("district_id", "regency_id", "province_id", "kbli_section", "size_class", "size_basis", "search_text")


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    # The real PBKDF2 hash takes most of a second; these tests only check that a password is set.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seeded(db) -> demo.SeedResult:
    return demo.seed_demo(300, today=TODAY)


def make_generator(seed: int = demo.DEFAULT_SEED) -> demo.DemoGenerator:
    offices = demo.ensure_offices()
    users = demo.ensure_users(offices)
    return demo.DemoGenerator(
        seed=seed,
        villages=demo.load_villages(),
        kbli_sections=demo.load_kbli_sections(),
        offices={code: office.pk for code, office in offices.items()},
        users={name: user.pk for name, user in users.items()},
        today=TODAY,
    )


def test_same_seed_gives_the_same_rows_and_another_seed_other_rows(db):
    first = make_generator().batch(0, 200, 1, 1)
    again = make_generator().batch(0, 200, 1, 1)
    other = make_generator(seed=7).batch(0, 200, 1, 1)
    assert first == again
    assert [row[1] for row in first.businesses] != [row[1] for row in other.businesses]


def test_seeded_rows_are_what_the_generator_makes(db):
    person_id, business_id = demo._next_id(Person), demo._next_id(Business)
    expected = make_generator().batch(0, 300, person_id, business_id)
    demo.seed_demo(300, today=TODAY)
    names = list(Business.objects.filter(pk__gte=business_id).order_by("pk").values_list("name", flat=True))
    niks = list(Person.objects.filter(pk__gte=person_id).order_by("pk").values_list("nik", flat=True))
    assert names == [row[1] for row in expected.businesses]
    assert niks == [row[1] for row in expected.persons]


def test_seed_creates_every_demo_office_and_user(seeded):
    assert set(Office.objects.values_list("code", flat=True)) >= {spec.code for spec in demo.OFFICES}
    blora = Office.objects.get(code="dinkop-blora")
    assert blora.name == "Dinas Koperasi dan UKM Kabupaten Blora"
    assert Office.objects.get(code="dinkop-babel").regency_id is None
    roles = {u.username: u.role for u in User.objects.filter(office=blora)}
    assert roles == {"blora.admin": Role.ADMIN, "blora.petugas": Role.OFFICER, "blora.pemantau": Role.VIEWER}
    for spec in demo.USERS:
        user = User.objects.get(username=spec.username)
        assert user.check_password(demo.PASSWORD)
        assert user.is_staff == (spec.role == Role.ADMIN)
        assert user.first_name and user.last_name
    assert User.objects.get(username="pusat").is_superuser
    assert User.objects.get(username="disperin.blora").office.is_partner_agency


def test_seed_runs_again_without_duplicating_and_adds_what_is_missing(seeded):
    assert (seeded.created, seeded.total) == (300, 300)
    connection.check_constraints()  # foreign keys are deferred: the test transaction never commits
    persons = Person.objects.count()
    again = demo.seed_demo(300, today=TODAY)
    assert (again.created, again.total) == (0, 300)
    assert Person.objects.count() == persons
    assert User.objects.filter(username__in=[spec.username for spec in demo.USERS]).count() == len(demo.USERS)
    more = demo.seed_demo(450, today=TODAY)
    assert (more.created, Business.objects.count()) == (150, 450)
    assert Person.objects.count() > persons
    assert Person.objects.values("nik").distinct().count() == Person.objects.count()
    assert Office.objects.filter(code__in=[spec.code for spec in demo.OFFICES]).count() == len(demo.OFFICES)


def test_owners_have_valid_niks_matching_birth_date_and_sex_and_e164_phones(seeded):
    owners = list(Person.objects.all())
    assert len(owners) < 300  # some own two businesses
    assert Person.objects.filter(businesses__isnull=True).count() == 0
    for person in owners:
        assert validate_nik(person.nik) == person.nik
        born, sex = nik_birth_date(person.nik)
        assert (born, sex) == (person.birth_date, person.sex)
        assert person.nik[:6] == person.village_id[:8].replace(".", "")
        if person.phone:
            assert normalize_phone(person.phone) == person.phone
            assert 10 <= len(person.phone) - 3 <= 13
    assert {person.sex for person in owners} == {"L", "P"}


def test_businesses_are_in_the_founding_regencies_with_consistent_derived_fields(seeded):
    businesses = list(Business.objects.select_related("owner", "kbli").prefetch_related("products"))
    assert {b.regency_id for b in businesses} <= set(demo.DEMO_REGENCIES)
    assert len({b.regency_id for b in businesses}) == len(demo.DEMO_REGENCIES)
    for business in businesses:
        stored = {name: getattr(business, name) for name in DERIVED}
        business.refresh_derived_fields()
        assert stored == {name: getattr(business, name) for name in DERIVED}, business.name
        assert (business.size_class, business.size_basis) == size_class_for(business.capital, business.annual_turnover)
        assert business.kbli.level == "subclass"
        assert 1 <= len(business.products.all()) <= 3
        assert business.created_at <= business.updated_at
        assert business.start_year is None or 1995 <= business.start_year <= business.created_at.year
    nibs = [b.nib for b in businesses if b.nib]
    assert all(len(nib) == 13 and nib.isdigit() for nib in nibs)
    assert len(set(nibs)) == len(nibs)
    assert 0.15 < len(nibs) / len(businesses) < 0.5
    assert any(b.capital is None and b.size_basis == "turnover" for b in businesses)


def test_every_business_is_fostered_by_its_regency_office_and_has_a_history(seeded):
    dinkop = {spec.regency: spec.code for spec in demo.OFFICES if spec.code.startswith("dinkop-") and spec.regency}
    for business in Business.objects.prefetch_related("fostering_offices", "status_history", "maturity_history"):
        assert dinkop[business.regency_id] in {office.code for office in business.fostering_offices.all()}
        statuses = sorted(business.status_history.all(), key=lambda change: change.changed_at)
        assert statuses[0].previous_status == "" and statuses[-1].status == business.status
        stages = sorted(business.maturity_history.all(), key=lambda change: change.changed_at)
        assert stages[0].previous_stage == "" and stages[-1].stage == business.maturity
        assert all(change.changed_at >= business.created_at for change in [*statuses, *stages])
    assert StatusChange.objects.exclude(previous_status="").exists()
    assert MaturityChange.objects.exclude(previous_stage="").exists()


def test_search_finds_seeded_products_and_scope_limits_each_office(seeded):
    everything = Business.objects.all()
    for word in ("batik", "keripik", "kop"):  # "kop" is a prefix: kopi, koperasi
        found = filter_by_search(everything, word)
        assert found.exists(), word
        assert all(
            any(w.startswith(word) for w in text.split()) for text in found.values_list("search_text", flat=True)
        )
    blora_officer = User.objects.get(username="blora.petugas")
    visible = Business.objects.restrict(blora_officer)
    assert visible.exists() and set(visible.values_list("regency_id", flat=True)) == {"33.16"}
    partner = User.objects.get(username="disperin.blora")
    fostered = Business.objects.restrict(partner)
    assert fostered.count() < visible.count()
    assert not fostered.exclude(fostering_offices__code="disperin-blora").exists()
    province = Business.objects.restrict(User.objects.get(username="babel.provinsi"))
    assert set(province.values_list("province_id", flat=True)) == {"19"}


def test_command_prints_the_demo_logins(db):
    out = StringIO()
    call_command("seed_demo", businesses=20, stdout=out)
    text = out.getvalue()
    assert Business.objects.count() == 20
    for spec in demo.USERS:
        assert spec.username in text
    assert demo.PASSWORD in text and "Dinas Koperasi dan UKM Kabupaten Blora" in text


def test_bulk_load_path_over_several_transactions(db, monkeypatch):
    """What a million-row seed does, in miniature: several transactions, checks skipped, index filled after."""
    monkeypatch.setattr(demo, "BATCH_SIZE", 50)
    monkeypatch.setattr(demo, "TRANSACTION_SIZE", 100)
    monkeypatch.setattr(demo, "BULK_LOAD_FROM", 100)
    first_id = demo._next_id(Business)
    demo.seed_demo(250, today=TODAY)
    assert list(Business.objects.order_by("pk").values_list("pk", flat=True)) == list(range(first_id, first_id + 250))
    # References hold although the foreign key checks may have been skipped.
    assert Business.objects.filter(owner__isnull=False, village__isnull=False, kbli__isnull=False).count() == 250
    assert not Person.objects.filter(businesses__isnull=True).exists()
    # Every business reached the full-text index, through the trigger or the bulk insert.
    batik = Business.objects.filter(search_text__regex=r"(^| )batik")
    assert set(filter_by_search(Business.objects.all(), "batik")) == set(batik) != set()
    # The id sequences moved past the explicit ids.
    owner = Person.objects.create(full_name="Siti Aminah", sex="P")
    added = Business.objects.create(name="Usaha Baru", owner=owner, village_id="33.16.01.2001")
    assert added.pk == first_id + 250
