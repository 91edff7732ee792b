"""`manage.py load_kbli`: load (or refresh) the KBLI 2020 codes."""

from django.core.management.base import BaseCommand

from sentra.kbli.services import load_kbli


class Command(BaseCommand):
    help = "Load the KBLI 2020 classification (idempotent)."

    def handle(self, *args, **options) -> None:
        count = load_kbli()
        self.stdout.write(self.style.SUCCESS(f"KBLI loaded: {count:,} codes"))
