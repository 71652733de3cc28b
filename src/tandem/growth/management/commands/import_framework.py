"""`tandem import-framework FILE [--dry-run]`: create or update career tracks from a YAML or
JSON framework file (docs/growth.md, "Frameworks"). All or nothing; importing the same
file again changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from tandem.access.rules import SYSTEM
from tandem.audit.context import origin
from tandem.growth.framework_files import MAX_FILE_BYTES, FrameworkFileError, parse
from tandem.growth.services.frameworks import import_frameworks


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = "Import career frameworks (tracks, levels, competencies) from a YAML or JSON file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a .yaml/.yml or .json framework file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and say what would change, without changing anything",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CommandError(f"{path} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
        try:
            tracks = parse(path.read_bytes(), name=path.name)
            with origin(None, "cli"), transaction.atomic():
                result = import_frameworks(by=SYSTEM, tracks=tracks)
                if options["dry_run"]:
                    raise _DryRun
        except FrameworkFileError as error:
            raise CommandError(
                f"{path}: nothing imported.\n" + "\n".join(f"  {p}" for p in error.problems)
            ) from error
        except ValidationError as error:
            raise CommandError(f"{path}: nothing imported. " + " ".join(error.messages)) from error
        except _DryRun:
            self.stdout.write("Dry run: nothing was changed.")
            return
        for label, names in (
            ("Created", result.created),
            ("Updated", result.updated),
            ("Unchanged", result.unchanged),
        ):
            if names:
                self.stdout.write(f"{label}: {', '.join(names)}")
