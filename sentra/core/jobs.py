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

from django.conf import settings
from django.core.cache import cache
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _

KEEP_SECONDS = 24 * 3600
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


def sweep_dead_jobs() -> int:
    """Settle the dead jobs of every app; returns how many."""
    return sum(count or 0 for _receiver, count in dead_job_sweep.send(sender=None))
