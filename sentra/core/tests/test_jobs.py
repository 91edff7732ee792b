"""A background job whose worker died is settled with a reason and may be retried at once."""

import datetime as dt
import time

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from conftest import run_queued_tasks
from sentra.core import jobs
from sentra.imports.models import ImportBatch, ImportRow, ImportStatus
from sentra.imports.progress import JOB_KIND
from sentra.imports.tests.test_import_file import GOOD, write_sheet
from sentra.linkage.models import Source, SourceStatus
from sentra.registry import bulk
from sentra.registry.models import Business, Person
from sentra.reports.models import Report, ReportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_death(settings):
    settings.JOB_HEARTBEAT_SECONDS = 0.05
    settings.JOB_DEAD_AFTER_SECONDS = 0.3
    yield
    cache.clear()


def _long_ago() -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=1)


def test_a_heartbeat_keeps_a_long_job_alive_and_stops_with_it():
    started = _long_ago()
    with jobs.heartbeat("test", 1):
        time.sleep(0.6)  # longer than the dead time: the thread's beats keep it alive
        assert not jobs.is_dead("test", 1, started)
    time.sleep(0.4)
    assert jobs.is_dead("test", 1, started)


def test_a_job_that_never_beat_is_dead_only_after_the_dead_time():
    assert not jobs.is_dead("test", 2, timezone.now())
    assert jobs.is_dead("test", 2, _long_ago())


def _uploaded(client, tmp_path, capture) -> ImportBatch:
    from django.core.files.uploadedfile import SimpleUploadedFile

    path = write_sheet(tmp_path / "umkm.xlsx", GOOD)
    with capture(execute=True):
        client.post(reverse("imports:upload"), {"file": SimpleUploadedFile("umkm.xlsx", path.read_bytes())})
    run_queued_tasks()
    cache.clear()  # the worker's beats, gone with it
    return ImportBatch.objects.latest("id")


def test_a_dead_import_is_undone_and_can_be_started_again(
    client, users, private_media, tmp_path, django_capture_on_commit_callbacks
):
    """Killed mid-write: its hidden rows go, the batch returns to its preview with the reason."""
    client.force_login(users["blora_officer"])
    batch = _uploaded(client, tmp_path, django_capture_on_commit_callbacks)
    assert batch.status == ImportStatus.CHECKED
    # The worker took the import, wrote a chunk, and was killed.
    write = bulk.start(f"impor #{batch.pk}")
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.IMPORTING, bulk_write=write, created_at=_long_ago()
    )
    owner = Person.objects.create(full_name="Sisa", sex="L", bulk_write=write, home_regency_id="33.16")
    half = Business.objects.create(name="Setengah Jadi", owner=owner, village_id="33.16.01.2001", bulk_write=write)
    ImportRow.objects.create(batch=batch, sheet="S", number=2, outcome="created", business=half)
    page = client.get(reverse("imports:batch_detail", args=[batch.pk])).content.decode()
    assert "Proses latar berhenti sebelum selesai" in page
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED  # "Impor" again, at once
    assert not Business.all_objects.filter(pk=half.pk).exists() and not Person.objects.filter(pk=owner.pk).exists()
    assert not ImportRow.objects.filter(batch=batch).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:batch_action", args=[batch.pk]), {"action": "import"})
    run_queued_tasks()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE and batch.created_count == 3


def test_a_dead_check_fails_and_is_retried(client, users, private_media, tmp_path, django_capture_on_commit_callbacks):
    client.force_login(users["blora_officer"])
    batch = _uploaded(client, tmp_path, django_capture_on_commit_callbacks)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.CHECKING, created_at=_long_ago())
    response = client.get(reverse("imports:batch_progress", args=[batch.pk]))
    assert response.status_code == 204 and response["HX-Refresh"] == "true"
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and "berhenti" in batch.error
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:batch_action", args=[batch.pk]), {"action": "retry"})
    assert response.status_code == 302
    run_queued_tasks()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED


def test_a_running_import_with_a_live_worker_is_left_alone(users, offices):
    from sentra.imports.workflow import fail_if_dead

    batch = ImportBatch.objects.create(office=offices["blora"], file_name="a.xlsx", status=ImportStatus.IMPORTING)
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=_long_ago())
    jobs.beat(JOB_KIND, batch.pk)
    assert fail_if_dead(ImportBatch.objects.get(pk=batch.pk)).status == ImportStatus.IMPORTING


def test_the_sweep_settles_every_app(users, offices):
    report = Report.objects.create(
        office=offices["blora"],
        created_by=users["blora_officer"],
        area_code="33.16",
        area_name="Blora",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 6, 30),
        status=ReportStatus.RUNNING,
    )
    source = Source.objects.create(
        office=offices["blora"], agency_name="Disperin", name="daftar", file_name="d.xlsx", status=SourceStatus.LINKING
    )
    batch = ImportBatch.objects.create(office=offices["blora"], file_name="a.xlsx", status=ImportStatus.IMPORTING)
    for model, obj in ((Report, report), (Source, source), (ImportBatch, batch)):
        model.objects.filter(pk=obj.pk).update(created_at=_long_ago())
    assert jobs.sweep_dead_jobs() == 3
    report.refresh_from_db()
    source.refresh_from_db()
    batch.refresh_from_db()
    assert (report.status, source.status, batch.status) == (ReportStatus.FAILED, SourceStatus.FAILED, "failed")
    assert "berhenti" in report.error and "berhenti" in source.error
    assert jobs.sweep_dead_jobs() == 0


def test_a_job_is_asked_for_by_name_and_queued_by_its_apps_tasks_once_committed(django_capture_on_commit_callbacks):
    """Services ask `core.jobs` for work by name; each app's tasks.py queues its own (no service
    imports its tasks). Nothing is queued before the transaction commits; an unknown name is an error."""
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        jobs.request_job("reports.generate", 12345)
        assert not DBTaskResult.objects.exists()
    assert len(callbacks) == 1
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "sentra.reports.tasks.generate_report" and queued.args_kwargs["args"] == [12345]
    with pytest.raises(LookupError, match="no app's tasks queue the job 'reports.nothing'"):
        jobs.request_job("reports.nothing")
