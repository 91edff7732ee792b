"""`manage.py seed_demo`: the demo offices, users and UMKM registry, then the logins to try."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sentra.registry import demo


class Command(BaseCommand):
    help = (
        "Create the demo offices and users and fill the registry with deterministic demo UMKM. "
        "Safe to run again: only the businesses missing up to --businesses are added."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--businesses",
            type=int,
            default=demo.DEFAULT_BUSINESSES,
            help=f"How many businesses the registry should hold (default {demo.DEFAULT_BUSINESSES:,}).",
        )
        parser.add_argument(
            "--seed", type=int, default=demo.DEFAULT_SEED, help="Random seed; the same seed gives the same data."
        )

    def handle(self, *args, businesses: int, seed: int, **options) -> None:
        if businesses < 0:
            raise CommandError("--businesses cannot be negative.")
        try:
            result = demo.seed_demo(businesses, seed, progress=self.stdout.write)
        except LookupError as error:
            raise CommandError(str(error)) from error
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Added {result.created:,} demo UMKM in {result.seconds:.1f} s ({result.total:,} in the registry)."
                )
            )
        else:
            self.stdout.write(f"The registry already holds {result.total:,} UMKM; nothing to add.")
        self.write_logins()

    def write_logins(self) -> None:
        rows = [("Username", "Password", "Kantor", "Peran"), *demo.demo_logins()]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo logins:"))
        for number, row in enumerate(rows):
            self.stdout.write("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
            if number == 0:
                self.stdout.write("  " + "  ".join("-" * width for width in widths))
