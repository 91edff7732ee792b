"""A workbook that makes calamine abort kills only the capped reading child: the worker and the command live on."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import make_office, make_user
from sentra.accounts.models import OfficeKind
from sentra.imports.models import ImportBatch, ImportStatus
from sentra.imports.tests.test_workflow import sheet_bytes
from sentra.imports.tests.workbooks import far_cell_xlsx
from sentra.imports.workflow import receive_upload
from tests.child_process import database_url

pytestmark = pytest.mark.process


def wait_for(batch: ImportBatch, statuses: tuple[str, ...], seconds: float = 90) -> ImportBatch:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        if batch.status in statuses:
            return batch
        time.sleep(0.2)
    pytest.fail(f"batch {batch.pk} still {batch.status} after {seconds} s")


@pytest.fixture
def worker(private_media):
    process = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": database_url(), "PRIVATE_MEDIA_ROOT": str(private_media)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield process
    process.terminate()
    process.wait(timeout=30)


def test_the_worker_survives_a_workbook_that_aborts_its_reader(worker, tmp_path):
    office = make_office("dinkop-blora", OfficeKind.KOPERASI_UKM, "33", "33.16")
    officer = make_user("blora_officer", office)
    # Without a <dimension>, nothing warns before calamine asks for 512 GiB and aborts.
    hostile = far_cell_xlsx(tmp_path / "umkm.xlsx", dimension=False)
    batch = receive_upload(upload=SimpleUploadedFile("umkm.xlsx", hostile.read_bytes()), office=office, actor=officer)
    batch = wait_for(batch, (ImportStatus.FAILED, ImportStatus.CHECKED))
    assert batch.status == ImportStatus.FAILED and "terlalu besar atau rusak" in batch.error
    assert worker.poll() is None, "the worker died with the file"

    # The same worker goes on with the next office's file.
    good = sheet_bytes(["NAMA PEMILIK", "NAMA USAHA", "DESA"], [["Sri Wahyuni", "Terasi Bu Sri", "Bangkleyan"]])
    batch = receive_upload(upload=SimpleUploadedFile("baik.xlsx", good), office=office, actor=officer)
    batch = wait_for(batch, (ImportStatus.FAILED, ImportStatus.CHECKED))
    assert batch.status == ImportStatus.CHECKED and batch.preview["counts"]["created"] == 1
    assert worker.poll() is None


@pytest.mark.parametrize("dimension", [True, False])
def test_the_command_refuses_the_far_cell_workbook_in_indonesian(tmp_path, dimension):
    make_office("dinkop-blora", OfficeKind.KOPERASI_UKM, "33", "33.16")
    path = far_cell_xlsx(tmp_path / "umkm.xlsx", dimension=dimension)
    done = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "import_businesses", str(path), "--office", "dinkop-blora", "--no-progress"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": database_url()},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr[-2000:]  # a CommandError, not a killed process
    expected = "berukuran 1.048.576 baris × 16.384 kolom" if dimension else "Berkas terlalu besar atau rusak"
    assert expected in done.stderr
