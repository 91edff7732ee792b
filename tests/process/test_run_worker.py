"""`manage.py run_worker` starts the task worker again when it dies, and stops it when told to."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.child_process import database_url

pytestmark = pytest.mark.process
STARTED = re.compile(r"Task worker started \(pid (\d+)\)")


def next_line_matching(stream, pattern: re.Pattern, seen: list[str]) -> re.Match:
    for line in stream:
        seen.append(line)
        if match := pattern.search(line):
            return match
    pytest.fail("run_worker ended before: " + pattern.pattern + "\n" + "".join(seen))


def running_worker(stream, seen: list[str]) -> int:
    """The next worker run_worker starts that is still running (on a busy machine one may exit at once,
    its first lock wait timing out, and be started again: that is what run_worker is for)."""
    while True:
        pid = int(next_line_matching(stream, STARTED, seen).group(1))
        if "db_worker" in command_of(pid):
            return pid


def command_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except FileNotFoundError:  # it has ended
        return ""


def test_a_killed_worker_is_started_again_and_stopped_with_run_worker():
    supervisor = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "run_worker", "--backoff", "0.2", "--", "--interval", "0.2"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": database_url(), "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen: list[str] = []
    try:
        while True:
            first = running_worker(supervisor.stderr, seen)
            try:
                os.kill(first, signal.SIGKILL)
                break
            except ProcessLookupError:  # it ended on its own just now: take the next one
                continue  # as when a lock wait ends the worker, but harder

        # -9 as a rule; on a busy machine the worker may have ended on its own just before the kill
        # (a zombie still takes the signal), and then its own code is what run_worker reports.
        next_line_matching(
            supervisor.stderr, re.compile(rf"pid {first}\) exited with code -?\d+; starting it again"), seen
        )
        second = running_worker(supervisor.stderr, seen)
        assert second != first

        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=60) == 0, "".join(seen)
        rest = supervisor.stderr.read()
        assert "Task worker stopped" in rest
        # The worker it ran last (the second, or a later one if that one also ended) went with it.
        last = int(STARTED.findall(rest)[-1]) if STARTED.search(rest) else second
        deadline = time.monotonic() + 30
        while "db_worker" in command_of(last):
            assert time.monotonic() < deadline, "the worker outlived run_worker"
            time.sleep(0.1)
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
            supervisor.wait()
