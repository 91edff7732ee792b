"""While one office imports a large file, another office's officer saves a business without waiting
for the whole import: on SQLite the import holds the single write lock one chunk at a time."""

import os
import signal
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from conftest import make_business, make_office, make_user
from sentra.accounts.models import OfficeKind
from sentra.imports.progress import PHASES
from sentra.registry import services
from sentra.registry.models import Business
from tests.child_process import database_url
from tests.process.test_import_killed import write_csv

pytestmark = pytest.mark.process
# Far below the time the whole import would hold the database in one transaction (tens of seconds
# for 60,000 rows, more on a busy machine), and far above what one chunk of 1,000 rows takes even
# on a busy CI machine.
WAIT_MS = 10_000


@pytest.mark.skipif(
    "os.environ.get('DATABASE_URL', '').startswith('postgres')", reason="PostgreSQL never locks the database"
)
def test_another_office_saves_while_an_import_writes(tmp_path):
    blora = make_office("dinkop-blora", OfficeKind.KOPERASI_UKM, "33", "33.16")
    pesawaran = make_office("dinkop-pesawaran", OfficeKind.KOPERASI_UKM, "18", "18.09")
    officer = make_user("pesawaran_officer", pesawaran)
    theirs = make_business("18.09.01.2001", "Keripik Pisang Way Lima", offices=[pesawaran])
    path = write_csv(tmp_path / "umkm.csv")

    child = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "import_businesses", str(path), "--office", blora.code],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DATABASE_URL": database_url(),
            "PYTHONUNBUFFERED": "1",
            "REGISTRY_BULK_WRITE_CHUNK": "1000",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    writing = str(PHASES["writing"])
    saves = 0
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {WAIT_MS}")
        for line in child.stderr:
            label, _, rest = line.partition(": ")
            if label != writing or not rest or rest.startswith("0/"):
                continue
            done, _, total = rest.split(" ")[0].partition("/")
            if done == total:
                break
            theirs.annual_turnover = 1_000_000 * (saves + 1)
            services.update_business(actor=officer, business=theirs)  # "database is locked" if it waited too long
            saves += 1
    except BaseException:
        child.send_signal(signal.SIGKILL)
        raise
    finally:
        child.wait(timeout=300)
    assert child.returncode == 0
    assert saves >= 2, "the import finished before the other office could write during it"
    theirs.refresh_from_db()
    assert theirs.annual_turnover == 1_000_000 * saves
    assert Business.objects.filter(name__startswith="Usaha ").count() == 60_000
