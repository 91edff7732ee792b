"""How far a running import has got, readable by the page while the worker writes.

The import's own transaction hides its writes until it commits (that is the
all-or-nothing promise), so progress goes to the cache (see core/progress.py).
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from sentra.core.progress import ProgressBoard

PHASES = {
    "reading": _("Membaca berkas"),
    "checking": _("Memeriksa baris"),
    "matching": _("Mencocokkan dengan data terdaftar"),
    "writing": _("Menyimpan"),
    "done": _("Selesai"),
}


BOARD = ProgressBoard("import", PHASES, "reading")
JOB_KIND = "import"  # what the worker's heartbeat for a batch is filed under (core/jobs.py)


@dataclass
class Progress:
    """Reports `(phase, done, total)`, at most every `interval` seconds unless the phase changes."""

    batch_id: int | None = None
    echo: Callable[[str, int, int], None] | None = None
    interval: float = 0.5

    def __post_init__(self) -> None:
        self._last_phase = ""
        self._last_time = 0.0

    def __call__(self, phase: str, done: int = 0, total: int = 0) -> None:
        now = time.monotonic()
        if phase == self._last_phase and now - self._last_time < self.interval and done < total:
            return
        self._last_phase, self._last_time = phase, now
        if self.batch_id is not None:
            BOARD.record(self.batch_id, phase, done, total)
        if self.echo is not None:
            self.echo(phase, done, total)


progress_of = BOARD.state
clear_progress = BOARD.clear


def no_progress(phase: str, done: int = 0, total: int = 0) -> None:
    """For callers that don't watch."""
