"""`tandem import-ratings FILE [--dry-run]`: bring past ratings from a spreadsheet or
another tool into closed, imported review cycles (CSV or XLSX). All or nothing; importing
the same file again adds nothing. See reviews.importer for the columns."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from tandem.access.rules import SYSTEM
from tandem.audit.context import origin
from tandem.core.management.progress import stage_bars
from tandem.reviews.services.imports import (
    COMMAND_MAX_BYTES,
    RatingsImportResult,
    import_ratings,
)


class Command(BaseCommand):
    help = (
        "Import past ratings (CSV or XLSX: cycle, period_start, period_end, employee_id, "
        "reviewer_employee_id, relationship, rating, scale_points) as closed, imported "
        "cycles. All or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV (UTF-8, comma or semicolon) or XLSX file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and say what would be added, without changing anything",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        size = path.stat().st_size
        if size > COMMAND_MAX_BYTES:
            raise CommandError(
                f"{path} is {size / 1024 / 1024:.1f} MB; the limit is "
                f"{COMMAND_MAX_BYTES / 1024 / 1024:.0f} MB. Split it by cycle or by year."
            )
        with (
            stage_bars(verbosity=options["verbosity"], width=24) as report,
            origin(None, "cli"),
        ):
            result = import_ratings(
                data=path.read_bytes(),
                file_name=path.name,
                by=SYSTEM,
                dry_run=options["dry_run"],
                progress=report,
                max_bytes=COMMAND_MAX_BYTES,
            )
        self._print(result)
        if not result.ok:
            raise CommandError(
                f"{path.name} was not imported: {len(result.problems)} problem(s), "
                "listed above. Nothing was changed."
            )

    def _print(self, result: RatingsImportResult) -> None:
        buffer = io.StringIO()
        console = Console(file=buffer, width=120, highlight=False, soft_wrap=True)

        def say(text: str = "", style: str | None = None) -> None:
            console.print(text, style=style, markup=False)

        if not result.ok:
            say(f"{result.file_name}: {len(result.problems)} problem(s); nothing was changed.")
            for problem in result.problems:
                say(f"  {problem}", style="red")
            self.stdout.write(buffer.getvalue(), ending="")
            return
        for warning in result.warnings:
            say(f"Note: {warning}", style="yellow")
        heading = "Checked, nothing changed" if result.dry_run else "Imported"
        table = Table(title=f"{heading}: {result.file_name} ({result.rows} rows)")
        for column in ("cycle", "period", "points", "", "new ratings"):
            table.add_column(column, justify="right" if column == "new ratings" else "left")
        for cycle in result.cycles:
            table.add_row(
                cycle["name"],
                f"{cycle['period_start']} – {cycle['period_end']}",
                str(cycle["points"]),
                "new" if cycle["new"] else "added to",
                str(cycle["ratings"]),
            )
        if result.cycles:
            console.print(table)
        say(f"{result.summary} in {result.seconds:.1f} s.")
        self.stdout.write(buffer.getvalue(), ending="")
