"""How far a piece of background work has got, kept in the cache every process of the installation shares.

A worker's own transaction hides its writes until it commits, so a page polling
for progress reads the cache instead. Imports and reports each keep one board.
"""

import time

from django.core.cache import cache

KEEP_SECONDS = 24 * 3600


class ProgressBoard:
    """Progress of one kind of job: `(phase, done, total)` per job id, with the phases' labels."""

    def __init__(self, kind: str, labels: dict, first_phase: str) -> None:
        self.kind, self.labels, self.first_phase = kind, labels, first_phase

    def _key(self, job_id: int) -> str:
        return f"sentra:{self.kind}-progress:{job_id}"

    def record(self, job_id: int, phase: str, done: int = 0, total: int = 0) -> None:
        state = {"phase": phase, "done": done, "total": total, "at": time.time()}
        cache.set(self._key(job_id), state, KEEP_SECONDS)

    def state(self, job_id: int) -> dict:
        """`{"phase", "label", "done", "total", "percent"}` of a job, or its first phase when it reported nothing."""
        state = cache.get(self._key(job_id)) or {"phase": self.first_phase, "done": 0, "total": 0}
        total = state["total"]
        state["percent"] = min(100, round(100 * state["done"] / total)) if total else None
        state["label"] = str(self.labels.get(state["phase"], state["phase"]))
        return state

    def clear(self, job_id: int) -> None:
        cache.delete(self._key(job_id))
