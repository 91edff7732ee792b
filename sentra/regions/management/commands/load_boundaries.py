"""`manage.py load_boundaries FILE --source TEXT`: district outlines for the maps, from a GeoJSON file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sentra.regions.boundaries import BoundaryFileError, load_boundaries
from sentra.regions.models import Regency


class Command(BaseCommand):
    help = (
        "Load district outlines from a GeoJSON FeatureCollection whose features name their district by "
        "Kemendagri code, or by name inside --regency. Loading again replaces a district's outline."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--source", required=True, help="where the outlines come from and their licence, shown on the map"
        )
        parser.add_argument("--code-property", help="the property holding the district code (default: guessed)")
        parser.add_argument("--name-property", help="the property holding the district name (default: guessed)")
        parser.add_argument("--regency", help="place features without a code by district name in this regency")

    def handle(self, *args, **options) -> None:
        regency = options["regency"]
        if regency and not Regency.objects.filter(code=regency).exists():
            raise CommandError(f"No regency {regency}; give its Kemendagri code, e.g. 33.16.")
        try:
            result = load_boundaries(
                options["file"],
                source=options["source"],
                code_property=options["code_property"],
                name_property=options["name_property"],
                regency=regency,
            )
        except BoundaryFileError as error:
            raise CommandError(str(error)) from None
        for reason in result.unplaced:
            self.stderr.write(f"left out: {reason}")
        if not result.loaded:
            raise CommandError("No district outline could be placed; see above.")
        self.stdout.write(self.style.SUCCESS(f"{len(result.loaded):,} district outlines loaded."))
