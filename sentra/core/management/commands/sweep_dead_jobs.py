"""Settle background jobs whose worker died: run when a task worker starts (and as often as liked)."""

from django.core.management.base import BaseCommand

from sentra.core.jobs import sweep_dead_jobs


class Command(BaseCommand):
    help = "Fail (or return to their preview) the jobs whose worker stopped, and remove their unpublished rows."

    def handle(self, *args, **options) -> None:
        settled = sweep_dead_jobs()
        self.stdout.write(f"{settled} dead job(s) settled")
