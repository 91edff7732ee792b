"""`manage.py import_businesses FILE --office CODE [--template NAME] [--map "HEADER=field"]…
[--kbli suggested [--kbli-confidence 0.8]] [--dry-run] [--json]`: what the preview does, in one go."""

import json
import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from sentra.accounts.models import Office, User
from sentra.imports import workflow
from sentra.imports.files import ImportRefused, MissingColumns
from sentra.imports.headers import normalize_label
from sentra.imports.mappings import FIELD_LABELS, column_letter
from sentra.imports.models import RowOutcome
from sentra.imports.progress import PHASES
from sentra.imports.services import DEFAULT_KBLI_CONFIDENCE, import_file

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
        parser.add_argument("--template", help="a saved column mapping, by name (the shipped SIDT one included)")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="HEADER=field",
            help='map a column, e.g. --map "NO. HP / WA=phone"; an empty field ignores it (repeatable)',
        )
        parser.add_argument(
            "--kbli",
            choices=["suggested"],
            help="give rows without a KBLI code the suggestion for their activity, when it is sure enough",
        )
        parser.add_argument(
            "--kbli-confidence",
            type=float,
            default=DEFAULT_KBLI_CONFIDENCE,
            help=f"the least score (0–1) a suggestion taken without review has; default {DEFAULT_KBLI_CONFIDENCE}",
        )
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
        corrections = self._corrections(office, options["template"], options["map"])
        if not 0 <= options["kbli_confidence"] <= 1:
            raise CommandError("--kbli-confidence is a score between 0 and 1, e.g. 0.8")
        progress = (lambda *_: None) if options["no_progress"] else ProgressBar(sys.stderr)
        try:
            result = import_file(
                path=path,
                office=office,
                actor=actor,
                dry_run=options["dry_run"],
                corrections=corrections,
                kbli_confidence=options["kbli_confidence"] if options["kbli"] else None,
                progress=progress,
            )
        except MissingColumns as error:
            raise CommandError(self._how_to_map(error)) from error
        except (ImportRefused, PermissionDenied) as error:
            raise CommandError(str(error)) from error
        summary = _summary(result, dry_run=options["dry_run"])
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, default=str))
            return
        counts = ", ".join(f"{value} {name}" for name, value in result.counts.items())
        prefix = "Dry run: would be " if options["dry_run"] else "Imported: "
        self.stdout.write(self.style.SUCCESS(prefix + counts))
        for sheet in summary["skipped_sheets"]:
            self.stdout.write(f"  sheet {sheet['sheet']} skipped: {sheet['reason']}")
        for column in summary["ignored_columns"]:
            proposal = f' (perhaps --map "{column["header"]}={column["proposal"]}")' if column["proposal"] else ""
            self.stdout.write(
                f"  column {column['column']} {column['header']!r} ignored, e.g. {column['sample']!r}{proposal}"
            )
        for rejected in summary["rejected_rows"][:20]:
            reasons = "; ".join(f"{k}: {v}" for k, v in rejected["reasons"].items())
            self.stdout.write(f"  {rejected['sheet']} row {rejected['row']} ({rejected['business_name']}): {reasons}")
        for warned in summary["warnings"][:20]:
            self.stdout.write(
                f"  {warned['sheet']} row {warned['row']} warning, {warned['field']}: {warned['message']}"
            )
        if options["kbli"]:
            review = summary["kbli"]["for_review"]
            self.stdout.write(
                f"  KBLI: {len(summary['kbli']['accepted'])} activities coded, {len(review)} left for review"
            )
            for entry in review[:20]:
                self.stdout.write(
                    f"    {entry['text']!r} ({entry['rows']} rows): suggested {entry['code'] or 'nothing'}"
                )

    def _corrections(self, office: Office, template_name: str | None, maps: list[str]) -> dict[str, str]:
        """The saved template's mapping, overlaid with each `--map`, keyed as the preview keys them."""
        corrections: dict[str, str] = {}
        if template_name:
            templates = workflow.templates_for(office)
            # The office's own template first, then the shipped one of that name.
            template = templates.filter(name__iexact=template_name).order_by("office_id").first()
            if template is None:
                names = ", ".join(repr(name) for name in templates.values_list("name", flat=True))
                raise CommandError(f"No template {template_name!r} for this office; saved: {names or 'none'}")
            corrections.update(template.mapping)
        for given in maps:
            header, equals, target = given.rpartition("=")
            target = target.strip()
            if not equals or not normalize_label(header):
                raise CommandError(f'--map takes "HEADER=field", e.g. --map "NO. HP / WA=phone"; got {given!r}')
            if target not in FIELD_LABELS and target not in ("", "-"):
                raise CommandError(f"No field {target!r}; the fields are: {', '.join(FIELD_LABELS)}")
            corrections[normalize_label(header)] = "" if target == "-" else target
        return corrections

    def _how_to_map(self, error: MissingColumns) -> str:
        missing = ", ".join(error.missing)
        headers = ", ".join(repr(label) for label in error.labels)
        return (
            f'{error}\nRequired columns not found: {missing}. Say which column holds each with --map "HEADER=field" '
            "(repeatable).\n"
            f"Headers found: {headers}\nFields: {', '.join(FIELD_LABELS)}"
        )


def _summary(result, *, dry_run: bool) -> dict:
    """What `--json` prints: counts, what was left out and why, each reject and warning, the KBLI taken."""
    parsed = result.parsed
    return {
        **result.counts,
        "dry_run": dry_run,
        "batch": result.batch.pk if result.batch else None,
        "skipped_sheets": [{"sheet": name, "reason": str(reason)} for name, reason in parsed.skipped_sheets],
        "ignored_columns": [
            {
                "sheet": column["sheet"],
                "column": column_letter(column["index"]),
                "header": column["label"],
                "sample": column["sample"],
                "proposal": column["proposal"],
            }
            for column in parsed.ignored()
        ],
        "rejected_rows": [
            {
                "sheet": row.sheet,
                "row": row.number,
                "business_name": row.values.get("business_name", ""),
                "owner_name": row.values.get("owner_name", ""),
                "reasons": row.errors,
            }
            for row, outcome, _note in result.rows
            if outcome == RowOutcome.REJECTED
        ],
        "warnings": [
            {"sheet": row.sheet, "row": row.number, "field": name, "message": message}
            for row, outcome, _note in result.rows
            if outcome != RowOutcome.REJECTED
            for name, message in row.warnings.items()
        ],
        "kbli": {
            "accepted": [_kbli_entry(entry) for entry in result.kbli if entry["accepted"]],
            "for_review": [_kbli_entry(entry) for entry in result.kbli if not entry["accepted"]],
        },
    }


def _kbli_entry(entry: dict) -> dict:
    return {key: entry[key] for key in ("text", "rows", "code", "title", "score")}
