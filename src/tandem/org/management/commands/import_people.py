"""`tandem import-people FILE [--dry-run] [--deactivate-missing]`: upsert people from an
HRIS export (CSV or XLSX). All or nothing; see docs/import.md."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from tandem.access.rules import SYSTEM
from tandem.audit.context import origin
from tandem.core.management.progress import stage_bars
from tandem.org.services.imports import ImportResult, import_people

CHANGES_SHOWN = 50  # at verbosity 1; -v 2 lists every change


class Command(BaseCommand):
    help = "Create and update people from an HRIS export (CSV or XLSX). All or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV (UTF-8, comma or semicolon) or XLSX file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and show what would change, without changing anything",
        )
        parser.add_argument(
            "--deactivate-missing",
            action="store_true",
            help="people who are active in Tandem but not in the file leave (status left)",
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
        data = path.read_bytes()
        with (
            stage_bars(verbosity=options["verbosity"], width=38) as report,
            origin(None, "cli"),
        ):
            result = import_people(
                data=data,
                file_name=path.name,
                by=SYSTEM,
                dry_run=options["dry_run"],
                deactivate_missing=options["deactivate_missing"],
                progress=report,
            )
        self._print(result, verbosity=options["verbosity"])
        if not result.ok:
            raise CommandError(
                f"{path.name} was not imported: {len(result.problems)} problem(s), "
                "listed above. Nothing was changed."
            )

    def _print(self, result: ImportResult, *, verbosity: int) -> None:
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
        heading = "Dry run, nothing changed" if result.dry_run else "Imported"
        counts = Table(title=f"{heading}: {result.file_name} ({result.rows} rows)")
        for column in ("created", "updated", "unchanged", "deactivated"):
            counts.add_column(column, justify="right")
        counts.add_row(
            str(result.created),
            str(result.updated),
            str(result.unchanged),
            str(result.deactivated),
        )
        console.print(counts)
        if result.new_departments:
            say("New departments: " + ", ".join(result.new_departments))
        shown = result.changes if verbosity >= 2 else result.changes[:CHANGES_SHOWN]
        if shown:
            say("Changes:")
        for change in shown:
            where = f"row {change.row}" if change.row else "not in file"
            fields = "; ".join(
                f"{name}: {old or '—'} → {new or '—'}" for name, old, new in change.fields
            )
            say(f"  {where:>11}  {change.action:<10} {change.person}: {fields}")
        if len(result.changes) > len(shown):
            say(f"  … and {len(result.changes) - len(shown)} more (use -v 2 to list all).")
        if verbosity >= 1:
            say(f"{result.summary} in {result.seconds:.1f} s.")
        self.stdout.write(buffer.getvalue(), ending="")
