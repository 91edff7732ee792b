"""`manage.py import_businesses FILE --office CODE [--dry-run] [--json]`."""

import json
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from sentra.accounts.models import Office, User
from sentra.imports.services import ImportRefused, import_file


class Command(BaseCommand):
    help = "Import an office's UMKM spreadsheet (xlsx, xls, ods, csv): all rows or none."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--office", required=True, help="the office's code, e.g. dinkop-blora")
        parser.add_argument("--user", help="act as this user (their scope applies); default: the system")
        parser.add_argument("--dry-run", action="store_true", help="report what would happen, write nothing")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

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
        try:
            result = import_file(path=path, office=office, actor=actor, dry_run=options["dry_run"])
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
