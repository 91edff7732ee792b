"""Runs the task worker (`manage.py db_worker`) and starts it again whenever it exits.

An idle db_worker exits when one of its lock waits times out (SQLite busy during a long import),
and nothing else would start it again: imports and reports would then wait for ever. Beside it,
a thread settles the jobs of workers that died (sentra/core/jobs.py) every JOB_DEAD_AFTER_SECONDS. `make run`
and `make serve` use this command; in production systemd's Restart=always does the same
(deploy/sentra-worker.service).
"""

import logging
import signal
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connections

from sentra.core.jobs import sweep_dead_jobs

logger = logging.getLogger("sentra.worker")
# A worker that ran this long before exiting was healthy: the next restart waits the shortest time again.
HEALTHY_RUN_SECONDS = 60


class Command(BaseCommand):
    help = "Run `manage.py db_worker` and start it again, after a short growing pause, whenever it exits."

    def add_arguments(self, parser):
        parser.add_argument("--backoff", type=float, default=1.0, help="seconds before the first restart (default 1)")
        parser.add_argument(
            "--max-backoff", type=float, default=30.0, help="the pause doubles on each quick exit up to this (30)"
        )
        parser.add_argument("worker_args", nargs="*", help="arguments for db_worker, after --")

    def handle(self, *args, backoff: float, max_backoff: float, worker_args: list[str], **options) -> None:
        command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "db_worker", "--no-reload", *worker_args]
        stopping = False
        worker: subprocess.Popen | None = None

        def stop(signum, frame) -> None:
            nonlocal stopping
            stopping = True
            if worker is not None and worker.poll() is None:
                worker.send_signal(signum)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        sweeping = threading.Event()
        threading.Thread(target=self._sweep, args=(sweeping,), name="dead-job-sweep", daemon=True).start()
        pause = backoff
        while not stopping:
            started = time.monotonic()
            # Its own session: Ctrl+C in a terminal reaches it once, through `stop`, not twice
            # (a second signal makes db_worker abandon the task it is running).
            worker = subprocess.Popen(command, start_new_session=True)  # noqa: S603 - our own manage.py
            logger.info("Task worker started (pid %d)", worker.pid)
            if stopping:  # the signal came before the worker existed to receive it
                worker.terminate()
            code = worker.wait()
            if stopping:
                break
            if time.monotonic() - started >= HEALTHY_RUN_SECONDS:
                pause = backoff
            logger.warning(
                "Task worker (pid %d) exited with code %s; starting it again in %.1f s", worker.pid, code, pause
            )
            resume_at = time.monotonic() + pause
            while not stopping and time.monotonic() < resume_at:
                time.sleep(0.1)
            pause = min(pause * 2, max_backoff)
        sweeping.set()
        logger.info("Task worker stopped")

    @staticmethod
    def _sweep(stop: threading.Event) -> None:
        """Settle the jobs of dead workers (this one's last, after a kill) now and then, so that a killed
        import's hidden rows go and its page says so even when nobody opens it."""
        while True:
            try:
                settled = sweep_dead_jobs()
                if settled:
                    logger.warning("Settled %d job(s) whose worker had died", settled)
            except Exception:
                logger.exception("Sweeping dead jobs failed")
            finally:
                connections.close_all()
            if stop.wait(settings.JOB_DEAD_AFTER_SECONDS):
                return
