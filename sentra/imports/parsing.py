"""A big file's rows parsed in a child process while the import writes the rows parsed before them.

Parsing a row (names, NIK, phones, money, places) costs about as much Python
time as writing it; in a child it runs on another core beside the matching and
writing (services.import_file). The child reads the file itself, at the same
time as the parent reads it for its header, and sends the rows back in file
order without their cells, which the parent has. It needs no database: the
parent hands it the `RowContext`.
"""

import logging
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from sentra.imports import parse_child
from sentra.imports.files import ImportRefused, ParsedFile, RowContext
from sentra.imports.reading import child_processes
from sentra.imports.rows import ParsedRow

logger = logging.getLogger(__name__)


def row_chunks(parsed: ParsedFile, context: RowContext) -> Iterator[list[ParsedRow]]:
    """The file's rows parsed here, a chunk at a time, in file order."""
    size = settings.IMPORT_PARSE_CHUNK_ROWS
    chunk: list[ParsedRow] = []
    for row in parsed.rows(context):
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class ParsingChild:
    """A child process parsing the file at `path`, started before the parent reads it."""

    def __init__(self, path: Path, corrections: dict[str, str] | None, context: RowContext) -> None:
        processes = child_processes()
        self.connection, theirs = processes.Pipe()
        # Not a daemon: reading a workbook, it starts its own capped reader (reading.py).
        self.process = processes.Process(
            target=parse_child.main,
            args=(
                str(path.resolve()),
                corrections or {},
                translation.get_language() or settings.LANGUAGE_CODE,
                settings.IMPORT_PARSE_CHUNK_ROWS,
                theirs,
            ),
        )
        self.process.start()
        theirs.close()
        self.path = path
        self.messages: queue.SimpleQueue[tuple] = queue.SimpleQueue()
        self.receiver = threading.Thread(target=self._receive, args=(context,), name="import-rows", daemon=True)
        self.receiver.start()

    def chunks(self, parsed: ParsedFile) -> Iterator[list[ParsedRow]]:
        """The rows the child sends, with their cells from `parsed` (the parent's own reading of the file)."""
        cells = {sheet.name: sheet.rows for sheet, _header in parsed.sheets}
        while True:
            # The receiver's last message is always "done", "failed" or "died". (Polling the child
            # and the receiver for life instead raced with their last message: both could end just
            # after a wait had found the queue empty, and a finished parse read as a death.)
            message = self.messages.get()
            if message[0] == "done":
                return
            if message[0] == "failed":
                raise ImportRefused(message[1])
            if message[0] == "died":
                self.process.join(timeout=5)
                logger.error("the child parsing %s stopped (exit code %s)", self.path.name, self.process.exitcode)
                raise ImportRefused(
                    _("Pemeriksaan baris berhenti sebelum selesai; tidak ada yang tersimpan. Coba impor lagi.")
                )
            rows = message[1]
            for row in rows:
                row.cells = cells[row.sheet][row.number - 1]
            yield rows

    def _receive(self, context: RowContext) -> None:
        """In a thread: hand the child its context (it takes it once Django is set up, while the
        parent reads the file), then take each message off the pipe as it comes, so the child never
        waits to send while the import writes (a pipe holds 64 KB; a chunk of rows several hundred).
        Whatever ends it, its last message ends the parent's wait."""
        ended = False
        try:
            self.connection.send(context)
            while not ended:
                message = self.connection.recv()
                self.messages.put(message)
                ended = message[0] in ("done", "failed")
        except (EOFError, OSError):  # BrokenPipeError too: the child is gone
            pass
        finally:
            if not ended:  # the child died, or its rows could not be read back
                self.messages.put(("died",))

    def stop(self) -> None:
        if self.process.is_alive():  # stopped early (the import failed): the rows are not wanted
            self.process.kill()
        self.process.join()
        self.receiver.join(timeout=5)
        self.connection.close()


@contextmanager
def parsed_apart(path: Path, corrections: dict[str, str] | None, context: RowContext) -> Iterator[ParsingChild]:
    """A child parsing `path`, stopped when the block ends however it ends."""
    child = ParsingChild(path, corrections, context)
    try:
        yield child
    finally:
        child.stop()
