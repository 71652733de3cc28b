"""`tandem import-attributes FILE [--dry-run]`: people's protected attributes (gender,
ethnicity, age band, disability, and any other column) from a CSV or XLSX file keyed by
employee_id. All or nothing; an empty cell clears the value (not given)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console

from tandem.access.rules import SYSTEM
from tandem.audit.context import origin
from tandem.core.management.progress import stage_bars
from tandem.fairness.services.attributes import AttributeImportResult, import_attributes


class Command(BaseCommand):
    help = (
        "Import people's protected attributes from a CSV or XLSX file keyed by employee_id. "
        "All or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV (UTF-8, comma or semicolon) or XLSX file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and count what would change, without changing anything",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        size = path.stat().st_size
        if size > settings.IMPORT_MAX_BYTES:
            raise CommandError(
                f"{path} is {size / 1024 / 1024:.1f} MB; the limit is "
                f"{settings.IMPORT_MAX_BYTES / 1024 / 1024:.0f} MB (TANDEM_IMPORT_MAX_MB)."
            )
        with (
            stage_bars(verbosity=options["verbosity"], width=20) as report,
            origin(None, "cli"),
        ):
            result = import_attributes(
                data=path.read_bytes(),
                file_name=path.name,
                by=SYSTEM,
                dry_run=options["dry_run"],
                progress=report,
            )
        self._print(result)
        if not result.ok:
            raise CommandError(
                f"{path.name} was not imported: {len(result.problems)} problem(s), "
                "listed above. Nothing was changed."
            )

    def _print(self, result: AttributeImportResult) -> None:
        buffer = io.StringIO()
        console = Console(file=buffer, width=120, highlight=False, soft_wrap=True)
        if not result.ok:
            console.print(
                f"{result.file_name}: {len(result.problems)} problem(s); nothing was changed.",
                markup=False,
            )
            for problem in result.problems:
                console.print(f"  {problem}", style="red", markup=False)
        else:
            heading = "Imported" if result.applied else "Dry run, nothing changed"
            console.print(f"{heading}: {result.file_name}: {result.summary}.", markup=False)
            console.print("Attributes: " + ", ".join(result.attributes), markup=False)
            if result.new_attributes:
                console.print("New attributes: " + ", ".join(result.new_attributes), markup=False)
        self.stdout.write(buffer.getvalue(), ending="")
