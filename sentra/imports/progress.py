"""How far a running import has got, readable by the page while the worker writes.

The import's own transaction hides its writes until it commits (that is the
all-or-nothing promise), so progress goes to the cache instead, which every
process of the installation shares.
"""

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

PHASES = {
    "reading": _("Membaca berkas"),
    "checking": _("Memeriksa baris"),
    "matching": _("Mencocokkan dengan data terdaftar"),
    "writing": _("Menyimpan"),
    "done": _("Selesai"),
}
KEEP_SECONDS = 24 * 3600


def _key(batch_id: int) -> str:
    return f"sentra:import-progress:{batch_id}"


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
            state = {"phase": phase, "done": done, "total": total, "at": time.time()}
            cache.set(_key(self.batch_id), state, KEEP_SECONDS)
        if self.echo is not None:
            self.echo(phase, done, total)


def progress_of(batch_id: int) -> dict:
    """`{"phase", "label", "done", "total", "percent"}` of a batch, or the starting state."""
    state = cache.get(_key(batch_id)) or {"phase": "reading", "done": 0, "total": 0}
    total = state["total"]
    state["percent"] = min(100, round(100 * state["done"] / total)) if total else None
    state["label"] = str(PHASES.get(state["phase"], state["phase"]))
    return state


def seconds_since_progress(batch_id: int, started: dt.datetime) -> float:
    """How long a running batch has reported nothing (since `started` if it never did)."""
    state = cache.get(_key(batch_id))
    last = state["at"] if state else started.timestamp()
    return time.time() - last


def clear_progress(batch_id: int) -> None:
    cache.delete(_key(batch_id))


def no_progress(phase: str, done: int = 0, total: int = 0) -> None:
    """For callers that don't watch."""
