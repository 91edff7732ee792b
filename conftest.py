"""Shared pytest fixtures: the real region and KBLI tables, offices and one user per role."""

import itertools

import pytest
from django.core.management import call_command

from sentra.accounts.models import Office, OfficeKind, Role, User
from sentra.registry.models import Business, Person

PASSWORD = "rahasia-uji-123"
_nik_serial = itertools.count(1)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load every region and KBLI code once per test session, as `make run` does."""
    with django_db_blocker.unblock():
        call_command("load_regions", verbosity=0)
        call_command("load_kbli", verbosity=0)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2 makes each test user cost a third of a second; tests need no strong hashes."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def own_cache(settings, tmp_path):
    """Each test its own cache: what one test (or the other database's run) cached never answers another."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"test-{tmp_path}"}
    }


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Each test's private files (uploads, agency lists, reports) in its own folder, not in var/private."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def make_office(code: str, kind: str, province: str, regency: str | None = None) -> Office:
    return Office.objects.create(
        code=code, name=code.replace("-", " ").title(), kind=kind, province_id=province, regency_id=regency
    )


def make_user(username: str, office: Office | None, role: str = Role.OFFICER, **extra) -> User:
    return User.objects.create_user(username=username, password=PASSWORD, office=office, role=role, **extra)


def make_nik(district_code: str = "33.16.01", day: int = 12, month: int = 5, year: int = 85) -> str:
    """A valid NIK registered in `district_code`, with a fresh serial each call."""
    return f"{district_code.replace('.', '')}{day:02d}{month:02d}{year:02d}{next(_nik_serial):04d}"


def make_business(village_code: str, name: str = "Usaha Uji", offices=(), **fields) -> Business:
    """A business saved directly (no service, no audit), for read-side tests."""
    owner = Person.objects.create(
        nik=make_nik(village_code[:8], day=52), full_name=fields.pop("owner_name", "Siti Aminah"), sex="P"
    )
    business = Business.objects.create(name=name, owner=owner, village_id=village_code, **fields)
    business.fostering_offices.set(offices)
    return business


@pytest.fixture
def offices(db) -> dict[str, Office]:
    """Blora's and Pesawaran's cooperative offices, Central Java's province office,
    and Blora's industry office (a partner agency)."""
    return {
        "blora": make_office("dinkop-blora", OfficeKind.KOPERASI_UKM, "33", "33.16"),
        "pesawaran": make_office("dinkop-pesawaran", OfficeKind.KOPERASI_UKM, "18", "18.09"),
        "jateng": make_office("dinkop-jateng", OfficeKind.KOPERASI_UKM, "33"),
        "blora_industry": make_office("disperin-blora", OfficeKind.PERINDUSTRIAN, "33", "33.16"),
    }


@pytest.fixture
def users(offices) -> dict[str, User]:
    return {
        "blora_admin": make_user("blora_admin", offices["blora"], Role.ADMIN, is_staff=True),
        "blora_officer": make_user("blora_officer", offices["blora"], Role.OFFICER),
        "blora_viewer": make_user("blora_viewer", offices["blora"], Role.VIEWER),
        "pesawaran_officer": make_user("pesawaran_officer", offices["pesawaran"], Role.OFFICER),
        "jateng_officer": make_user("jateng_officer", offices["jateng"], Role.OFFICER),
        "industry_officer": make_user("industry_officer", offices["blora_industry"], Role.OFFICER),
        "superuser": User.objects.create_superuser("pusat", "pusat@example.org", PASSWORD),
    }


@pytest.fixture
def businesses(offices) -> dict[str, Business]:
    """One business in Blora fostered by the industry office, one in Blora not, one in Pesawaran."""
    return {
        "blora_fostered": make_business(
            "33.16.01.2001",
            "Batik Sekar Jati",
            offices=[offices["blora"], offices["blora_industry"]],
            capital=50_000_000,
        ),
        "blora_plain": make_business("33.16.01.2002", "Parcel Barokah", offices=[offices["blora"]]),
        "pesawaran": make_business("18.09.01.2001", "Keripik Pisang Way Lima", owner_name="Ahmad Fauzi"),
    }


def run_queued_tasks() -> None:
    """Run the queued tasks as `manage.py db_worker` does, until the queue is empty.

    The worker's own loop closes database connections between tasks, which would
    end the test's transaction; its task runner is used as it is.
    """
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    while (task := DBTaskResult.objects.ready().first()) is not None:
        task.claim(worker.worker_id)
        worker.run_task(task)
