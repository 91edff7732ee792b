"""Recount the dashboards' tallies now, rather than on the next read."""

import time

from django.core.management.base import BaseCommand

from sentra.dashboards import tallies


class Command(BaseCommand):
    help = "Recount the stale villages' tallies (with --all, every village's), so the next dashboard read is fast."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="recount every village, stale or not")
        parser.add_argument("--region", default="", help="only this province, regency or district code")

    def handle(self, *args, **options):
        started = time.perf_counter()
        if options["all"]:
            tallies.mark_all_stale()
        count = tallies.refresh_tallies(options["region"])
        self.stdout.write(f"{count} villages recounted in {time.perf_counter() - started:.1f} s")
