"""Whether a background job is still being worked on.

A worker running a job beats every `JOB_HEARTBEAT_SECONDS` from a thread of its own,
into the cache every process of the installation shares (as progress does). A job
still marked running whose beat stopped for `JOB_DEAD_AFTER_SECONDS` lost its worker
(killed, out of memory, machine restarted): its app fails it with a reason, and its
user may try again at once instead of waiting for a timeout.
"""

import datetime as dt
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _

KEEP_SECONDS = 24 * 3600
# Sent when a service asks for background work: `name` names the job ("imports.run"), `args` are its
# task's arguments. The app's tasks.py answers (connected in its AppConfig.ready) by queueing its
# task once the transaction commits, and returns True: a service never imports its tasks, which
# import it.
job_requested = Signal()
# Sent to settle every job whose worker died (when a worker starts): each app that runs jobs
# connects a receiver that fails its dead jobs and returns how many it settled.
dead_job_sweep = Signal()
DEAD_MESSAGE = _(
    "Proses latar berhenti sebelum selesai (server dimatikan atau kehabisan memori). "
    "Tidak ada data yang berubah; silakan coba lagi."
)


def _key(kind: str, job_id: int) -> str:
    return f"sentra:{kind}-beat:{job_id}"


def beat(kind: str, job_id: int) -> None:
    cache.set(_key(kind, job_id), time.time(), KEEP_SECONDS)


@contextmanager
def heartbeat(kind: str, job_id: int) -> Iterator[None]:
    """Beat for the job while the block runs (and once more when it ends, for a clean hand-over)."""
    stop = threading.Event()

    def keep_beating() -> None:
        while not stop.wait(settings.JOB_HEARTBEAT_SECONDS):
            beat(kind, job_id)

    beat(kind, job_id)
    thread = threading.Thread(target=keep_beating, name=f"heartbeat-{kind}-{job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        beat(kind, job_id)


def is_dead(kind: str, job_id: int, since: dt.datetime) -> bool:
    """Whether a job marked running has had no beat for too long (`since`: when it was last known alive)."""
    last = cache.get(_key(kind, job_id))
    if last is None:
        last = since.timestamp()
    return time.time() - last > settings.JOB_DEAD_AFTER_SECONDS


def request_job(name: str, *args: object) -> None:
    """Queue the job `name` with `args`, after the current transaction commits (`job_requested`)."""
    if not any(queued for _receiver, queued in job_requested.send(sender=None, name=name, args=args)):
        raise LookupError(f"no app's tasks queue the job {name!r}")


def serve_jobs(app: str, tasks: dict[str, Any]) -> None:
    """Answer `job_requested` for `tasks` (a job's name → its task) by queueing the task once the
    transaction commits; an app's AppConfig.ready calls it with its tasks.py's `JOBS`."""

    def queue(sender, name: str, args: tuple, **kwargs) -> bool:
        task = tasks.get(name)
        if task is None:
            return False
        transaction.on_commit(lambda: task.enqueue(*args))
        return True

    job_requested.connect(queue, weak=False, dispatch_uid=f"jobs-{app}")


def sweep_dead_jobs() -> int:
    """Settle the dead jobs of every app; returns how many."""
    return sum(count or 0 for _receiver, count in dead_job_sweep.send(sender=None))
