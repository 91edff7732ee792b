"""Writing prepared chunks on a second connection while the caller prepares the next.

A bulk import spends about as long in Python making a chunk's rows as PostgreSQL
spends storing them (COPY, index upkeep, the deferred foreign-key checks at commit);
one after the other, the import takes the sum. PostgreSQL works in its own process
and a thread waiting on it releases the GIL, so a writer thread that hands each chunk
to the server lets the next chunk be made meanwhile. Each chunk is written by
`write` in its own transaction (which `write` opens) on the thread's connection, in
the order sent; at most `depth` chunks wait, which bounds the memory held.

SQLite writes in this process (a thread would only take turns with the caller), and
a caller inside a transaction must see its own writes (and a test's transaction
holds its data), so both write inline: the same `write`, in the same order.
"""

import queue
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Generic, TypeVar

from django.db import connection, connections

Chunk = TypeVar("Chunk")
_STOP = object()


def writes_apart() -> bool:
    """Whether chunks are written on a thread of their own, here and now (see the module's note)."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


class ChunkWriter(Generic[Chunk]):
    """`send` chunks to `write`; leaving the block waits for the last and raises what `write` raised.

    An error in `write` is raised by the next `send` (or at the end), and the chunks sent after it
    are dropped unwritten. Leaving the block on an error stops the thread after the chunk it is
    writing, so the caller's clean-up runs with nothing still being written.
    """

    def __init__(self, write: Callable[[Chunk], None], *, apart: bool | None = None, depth: int = 1) -> None:
        self._write = write
        self._apart = writes_apart() if apart is None else apart
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._failed: BaseException | None = None
        self._stopping = False
        self._thread: threading.Thread | None = None
        if self._apart:
            self._thread = threading.Thread(target=self._run, name="chunk-writer", daemon=True)
            self._thread.start()

    @property
    def apart(self) -> bool:
        """Whether chunks are written on the thread (else by `send` itself)."""
        return self._apart

    def send(self, chunk: Chunk) -> None:
        """Write `chunk`, now or on the thread once the ones before it are written."""
        self._raise_failure()
        if self._thread is None:
            self._write(chunk)
        else:
            self._queue.put(chunk)

    def close(self) -> None:
        """Wait until every chunk sent is written; raise what writing one raised."""
        self._stop()
        self._raise_failure()

    def __enter__(self) -> "ChunkWriter[Chunk]":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is None:
            self.close()
        else:
            self._stopping = True  # the chunks still waiting are not written: the caller is failing
            self._stop()

    def _stop(self) -> None:
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join()
            self._thread = None

    def _raise_failure(self) -> None:
        if self._failed is not None:
            failed, self._failed = self._failed, None
            self._stopping = True
            raise failed

    def _run(self) -> None:
        try:
            while (chunk := self._queue.get()) is not _STOP:
                if self._failed is not None or self._stopping:
                    continue  # drained, so that the sender never blocks on a full queue
                try:
                    self._write(chunk)
                except BaseException as error:  # handed to the sending thread, which raises it
                    self._failed = error
        finally:
            connections.close_all()  # this thread's own connections
