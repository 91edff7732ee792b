"""The child process that parses a big file's rows for an import (parsing.py starts it).

This module is the child's entry point, so it imports nothing of Django at the
top: the fork server that starts the child has only `sentra.imports.reading`
loaded, and Django's models can be imported only after `django.setup()`.
"""

import gc
import resource


def main(path: str, corrections: dict[str, str], language: str, chunk_rows: int, connection) -> None:
    """Set Django up, take the row context from the parent, then send the file's rows in chunks."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    gc.disable()  # the rows are sent and dropped: nothing for the collector to find
    import django

    django.setup()
    from pathlib import Path

    from django.utils import translation

    from sentra.imports.files import ImportRefused, read_file
    from sentra.imports.planning import business_derived, row_keys

    translation.activate(language)  # the rows' reasons in the parent's language
    try:
        context = connection.recv()
        try:
            parsed = read_file(Path(path), corrections)
        except ImportRefused as error:  # the parent, reading the same file, says the same
            connection.send(("failed", str(error)))
            return
        chunk = []
        for row in parsed.rows(context):
            row.cells = []  # the parent has them
            if not row.skip_reason and not row.rejected:
                row.keys = row_keys(row)  # the normalising of names, done here beside the parent's writing
                row.derived = business_derived(row.values)
            chunk.append(row)
            if len(chunk) == chunk_rows:
                connection.send(("rows", chunk))
                chunk = []
        if chunk:
            connection.send(("rows", chunk))
        connection.send(("done",))
    except (BrokenPipeError, EOFError):
        pass  # the parent stopped (its import failed or was killed): nothing left to do
    finally:
        connection.close()
