"""`tandem access-rules`: every access rule and scope, with the module that declares it and
what it says, for reviewers and auditors ("who may do X?" has one answer)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandParser
from rich.console import Console
from rich.table import Table

from tandem.access.rules import registry


class Command(BaseCommand):
    help = "List every access rule and scope with its module and docstring."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--json", action="store_true", help="Print JSON (one object per rule or scope)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        entries = registry()
        if options["json"]:
            self.stdout.write(json.dumps([asdict(entry) for entry in entries], indent=2))
            return
        # Piped into a file or a pager, rich would assume 80 columns and squeeze the prose.
        console = Console(
            file=cast(TextIO, self.stdout), width=None if self.stdout.isatty() else 140
        )
        for kind, title in (("rule", "Access rules"), ("scope", "Scopes")):
            rows = [entry for entry in entries if entry.kind == kind]
            table = Table(title=f"{title} ({len(rows)})", title_justify="left", show_lines=False)
            table.add_column("Action" if kind == "rule" else "Model", no_wrap=True)
            table.add_column("Declared in", no_wrap=True)
            table.add_column("Who may", ratio=1)
            for entry in rows:
                table.add_row(entry.name, entry.module.removeprefix("tandem."), entry.doc)
            console.print(table)
