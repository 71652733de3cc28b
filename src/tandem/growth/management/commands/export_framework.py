"""`tandem export-framework [--track KEY] [--format yaml|json]`: career tracks as a
framework file on standard output, in the format `tandem import-framework` reads."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.growth.framework_files import dump
from tandem.growth.models import Track
from tandem.growth.services.frameworks import export_content


class Command(BaseCommand):
    help = "Write career frameworks as YAML or JSON to standard output."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--track", metavar="KEY", help="one track by its key (default: all)")
        parser.add_argument("--format", choices=("yaml", "json"), default="yaml")

    def handle(self, *args: Any, **options: Any) -> None:
        tracks = Track.objects.all()
        if options["track"]:
            tracks = tracks.filter(key=options["track"])
            if not tracks.exists():
                keys = ", ".join(Track.objects.values_list("key", flat=True)) or "none yet"
                raise CommandError(f"No track with the key {options['track']} (tracks: {keys}).")
        self.stdout.write(dump(export_content(list(tracks)), options["format"]), ending="")
