"""`manage.py import_businesses FILE --office CODE [--dry-run] [--json]`."""

import json
import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from sentra.accounts.models import Office, User
from sentra.imports.progress import PHASES
from sentra.imports.services import ImportRefused, import_file

BAR_WIDTH = 30


class ProgressBar:
    """A progress bar on stderr: redrawn in place on a terminal, one line per tenth otherwise."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.interactive = stream.isatty()
        self.shown: tuple[str, int] = ("", -1)

    def __call__(self, phase: str, done: int, total: int) -> None:
        label = str(PHASES.get(phase, phase))
        percent = int(100 * done / total) if total else 0
        if self.interactive:
            filled = BAR_WIDTH * percent // 100
            bar = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {percent:3d}%" if total else ""
            end = "\n" if phase == "done" else ""
            self.stream.write(f"\r{label:<36} {bar} {done:,}/{total:,}".rstrip() + " " * 4 + end)
        elif (phase, percent // 10) != (self.shown[0], self.shown[1] // 10 if self.shown[1] >= 0 else -1):
            self.stream.write(f"{label}: {done:,}/{total:,} ({percent}%)\n" if total else f"{label}\n")
        self.shown = (phase, percent)
        self.stream.flush()


class Command(BaseCommand):
    help = "Import an office's UMKM spreadsheet (xlsx, xls, ods, csv): all rows or none."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--office", required=True, help="the office's code, e.g. dinkop-blora")
        parser.add_argument("--user", help="act as this user (their scope applies); default: the system")
        parser.add_argument("--dry-run", action="store_true", help="report what would happen, write nothing")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")
        parser.add_argument("--no-progress", action="store_true", help="don't draw the progress bar on stderr")

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            office = Office.objects.get(code=options["office"])
        except Office.DoesNotExist:
            raise CommandError(f"No office with code {options['office']!r}") from None
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"No user {options['user']!r}")
        progress = (lambda *_: None) if options["no_progress"] else ProgressBar(sys.stderr)
        try:
            result = import_file(path=path, office=office, actor=actor, dry_run=options["dry_run"], progress=progress)
        except (ImportRefused, PermissionDenied) as error:
            raise CommandError(str(error)) from error
        summary = {
            **result.counts,
            "dry_run": options["dry_run"],
            "batch": result.batch.pk if result.batch else None,
            "rejected_rows": [
                {"sheet": row.sheet, "row": row.number, "reasons": row.errors}
                for row, outcome, _note in result.rows
                if outcome == "rejected"
            ],
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, default=str))
            return
        counts = ", ".join(f"{value} {name}" for name, value in result.counts.items())
        prefix = "Dry run: would be " if options["dry_run"] else "Imported: "
        self.stdout.write(self.style.SUCCESS(prefix + counts))
        for rejected in summary["rejected_rows"][:20]:
            reasons = "; ".join(f"{k}: {v}" for k, v in rejected["reasons"].items())
            self.stdout.write(f"  {rejected['sheet']} row {rejected['row']}: {reasons}")
