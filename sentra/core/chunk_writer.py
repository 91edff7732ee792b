"""Writing prepared chunks on connections of their own while the caller prepares the next.

A bulk import spends about as long in Python making a chunk's rows as PostgreSQL
spends storing them (COPY, index upkeep, the deferred foreign-key checks at commit);
one after the other, the import takes the sum. PostgreSQL works in processes of its
own and a thread waiting on it releases the GIL, so writer threads that hand the
chunks to the server let the next chunk be made meanwhile, and two of them keep the
server busy while either waits for the other's turn. Each chunk is written by
`write(chunk, in_turn)` in its own transaction (which `write` opens) on its thread's
connection. A chunk whose rows refer to rows of an earlier chunk (a second business of
an owner the earlier chunk created) must not commit before it: its `write` calls
`in_turn()` last thing before committing, which waits until every earlier chunk has
committed. Other chunks commit as they are done. At most `depth` chunks wait, which
bounds the memory held.

SQLite writes in this process (a thread would only take turns with the caller), and
a caller inside a transaction must see its own writes (and a test's transaction
holds its data), so both write inline: the same `write`, in the same order.
"""

import contextvars
import queue
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Generic, TypeVar

from django.conf import settings
from django.db import connection, connections

Chunk = TypeVar("Chunk")
_STOP = object()


class _Abandoned(Exception):
    """Raised by `in_turn` when an earlier chunk failed or the caller left: this chunk rolls back."""


def writes_apart() -> bool:
    """Whether chunks are written on threads of their own, here and now (see the module's note)."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def _inline_turn() -> None:
    """Written inline, every earlier chunk has committed already."""


class ChunkWriter(Generic[Chunk]):
    """`send` chunks to `write`; leaving the block waits for the last and raises what `write` raised.

    An error in `write` is raised by the next `send` (or at the end), and the chunks after it are
    dropped unwritten (those being written roll back at their turn). Leaving the block on an error
    stops the threads likewise, so the caller's clean-up runs with nothing still being written.
    """

    def __init__(
        self,
        write: Callable[[Chunk, Callable[[], None]], None],
        *,
        apart: bool | None = None,
        threads: int | None = None,
        depth: int = 1,
    ) -> None:
        self._write = write
        self._apart = writes_apart() if apart is None else apart
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._failed: BaseException | None = None
        self._stopping = False
        self._sent = 0  # chunks numbered as sent, from 1
        self._committed = 0  # every chunk up to this number has committed
        self._done: set[int] = set()  # chunks committed after one still being written
        self._turns = threading.Condition()
        self._context = contextvars.copy_context()  # the sender's (the request id the change log keeps)
        count = settings.IMPORT_WRITER_THREADS if threads is None else threads
        self._threads = [
            threading.Thread(target=self._run, name=f"chunk-writer-{number}", daemon=True)
            for number in range(count if self._apart else 0)
        ]
        for thread in self._threads:
            thread.start()

    @property
    def apart(self) -> bool:
        """Whether chunks are written on the threads (else by `send` itself)."""
        return self._apart

    @property
    def committed(self) -> int:
        """How many of the chunks sent have committed, every one before them too."""
        return self._committed

    def send(self, chunk: Chunk) -> None:
        """Write `chunk`, now or on a thread (after every chunk sent before it, when it waits its turn)."""
        self._raise_failure()
        self._sent += 1
        if not self._threads:
            self._write(chunk, _inline_turn)
            self._committed = self._sent
            return
        self._queue.put((self._sent, chunk))

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
            self._abandon()  # the chunks not yet committed are not wanted: the caller is failing
            self._stop()

    def _stop(self) -> None:
        for _thread in self._threads:
            self._queue.put(_STOP)
        for thread in self._threads:
            thread.join()
        self._threads = []

    def _abandon(self) -> None:
        with self._turns:
            self._stopping = True
            self._turns.notify_all()

    def _raise_failure(self) -> None:
        if self._failed is not None:
            failed, self._failed = self._failed, None
            self._abandon()
            raise failed

    def _run(self) -> None:
        context = self._context.copy()  # a context is entered by one thread at a time
        try:
            while (item := self._queue.get()) is not _STOP:
                number, chunk = item
                if self._stopping:
                    continue  # drained, so that the sender never blocks on a full queue
                try:
                    context.run(self._write, chunk, lambda number=number: self._wait_turn(number))
                except _Abandoned:
                    continue
                except BaseException as error:  # handed to the sending thread, which raises it
                    with self._turns:
                        self._failed = self._failed or error
                        self._stopping = True
                        self._turns.notify_all()
                    continue
                with self._turns:
                    self._done.add(number)
                    while self._committed + 1 in self._done:
                        self._committed += 1
                        self._done.discard(self._committed)
                    self._turns.notify_all()
        finally:
            connections.close_all()  # this thread's own connections

    def _wait_turn(self, number: int) -> None:
        """Block until every chunk before `number` has committed; _Abandoned if that will not happen."""
        with self._turns:
            self._turns.wait_for(lambda: self._stopping or self._committed >= number - 1)
            if self._stopping:
                raise _Abandoned
