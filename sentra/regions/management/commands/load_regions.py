"""`manage.py load_regions`: load (or refresh) Kemendagri provinces to villages."""

import time

from django.core.management.base import BaseCommand

from sentra.regions.services import load_regions


class Command(BaseCommand):
    help = "Load every Indonesian province, regency, district and village (idempotent)."

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        counts = load_regions()
        elapsed = time.perf_counter() - started
        summary = ", ".join(f"{count:,} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Regions loaded: {summary} in {elapsed:.1f} s"))
