"""All or nothing for real: kill the import process while it writes, and nothing has changed.

The import commits its rows in chunks (so other offices can write meanwhile), hidden until it
publishes them: after the kill nothing of it shows, and settling the dead job removes it all.
"""

import csv
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from conftest import make_business, make_office
from sentra.accounts.models import OfficeKind
from sentra.core.jobs import sweep_dead_jobs
from sentra.imports.models import ImportBatch, ImportRow
from sentra.imports.progress import PHASES
from sentra.regions.models import Village
from sentra.registry.models import Business, Person, Product
from sentra.registry.search import filter_by_search
from tests.child_process import database_url

pytestmark = pytest.mark.process
ROWS = 60_000  # written in chunks of 5,000, so the kill lands between two of them


def write_csv(path: Path) -> Path:
    villages = list(Village.objects.filter(district__regency_id="33.16").values_list("name", "district__name"))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["NAMA PEMILIK", "NAMA USAHA", "PRODUK", "DESA", "KECAMATAN", "OMZET"])
        for number in range(ROWS):
            village, district = villages[number % len(villages)]
            writer.writerow([f"Pemilik {number}", f"Usaha {number:06d}", "keripik", village, district, "12 juta"])
    return path


def test_killing_the_import_while_it_writes_leaves_the_registry_as_it_was(tmp_path, settings):
    office = make_office("dinkop-blora", OfficeKind.KOPERASI_UKM, "33", "33.16")
    make_business("33.16.01.2001", "Batik Sekar Jati", offices=[office])
    before = [model.objects.count() for model in (Business, Person, Product, ImportBatch, ImportRow)]
    path = write_csv(tmp_path / "umkm.csv")

    child = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "import_businesses", str(path), "--office", office.code],
        cwd=django_settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": database_url(), "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    writing = str(PHASES["writing"])
    killed_at = None
    for line in child.stderr:
        label, _, rest = line.partition(": ")
        if label == writing and rest and not rest.startswith("0/"):
            done, _, total = rest.split(" ")[0].partition("/")
            if done != total:
                child.send_signal(signal.SIGKILL)
                killed_at = line.strip()
                break
    child.wait(timeout=120)
    assert killed_at, "the import finished before it could be killed mid-way"
    assert child.returncode == -signal.SIGKILL

    # Nothing of the import shows, though some of its chunks are committed.
    assert Business.objects.count() == before[0], f"killed at {killed_at!r}"
    assert list(Business.objects.values_list("name", flat=True)) == ["Batik Sekar Jati"]
    assert Business.all_objects.count() > before[0], "the kill came before any chunk was committed"

    # The dead job is settled: its rows are removed and the batch says why.
    settings.JOB_DEAD_AFTER_SECONDS = 0
    assert sweep_dead_jobs() >= 1
    after = [model.objects.count() for model in (Business, Person, Product, ImportBatch, ImportRow)]
    assert after == [*before[:3], before[3] + 1, before[4]]
    assert Business.all_objects.count() == before[0]
    batch = ImportBatch.objects.get()
    assert batch.status == "failed" and "berhenti" in batch.error

    # The database took no harm: the search index and its triggers are as they were.
    assert list(filter_by_search(Business.objects.all(), "sekar").values_list("name", flat=True)) == [
        "Batik Sekar Jati"
    ]
