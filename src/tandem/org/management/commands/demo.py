"""`tandem demo [--people N] [--seed S] [--if-empty]`: load the demo company."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO, cast

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from tandem.audit.context import origin
from tandem.org import demo


class Command(BaseCommand):
    help = "Load a realistic demo company (people, departments, history) into an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--people",
            type=int,
            default=demo.DEFAULT_PEOPLE,
            help=f"How many people, leavers included (default {demo.DEFAULT_PEOPLE}).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=demo.DEFAULT_SEED,
            help="The same seed always gives the same company.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (but print the demo log-ins) when people already exist.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = cast(TextIO, self.stdout._out)
        # A pipe gets rich's 80 columns by default, too narrow for the log-ins table.
        console = Console(file=out, highlight=False, width=None if out.isatty() else 120)
        if options["people"] < demo.MIN_PEOPLE:
            raise CommandError(
                f"--people: the demo needs at least {demo.MIN_PEOPLE} people "
                f"(got {options['people']})."
            )
        if options["if_empty"] and not demo.org_is_empty():
            console.print("The database already has people; the demo was not loaded.")
            self._print_logins(console, demo.demo_logins())
            return

        if not demo.org_is_empty():
            raise CommandError(
                "The database already has people; the demo only loads into an empty one. "
                "Use --if-empty to skip loading quietly."
            )
        started = time.perf_counter()
        bar = Progress(
            TextColumn("[bold]{task.description:<16}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(file=sys.stderr),
            transient=False,
        )
        tasks: list[TaskID] = []

        def part_started(name: str) -> None:
            # One bar per part; the one before stops its clock where it ended.
            if tasks:
                bar.stop_task(tasks[-1])
            tasks.append(bar.add_task(name, total=None))

        def progress(stage: str, done: int, total: int) -> None:
            if tasks:
                bar.update(tasks[-1], description=stage, completed=done, total=total)

        try:
            with bar, origin(ip_address=None, via="cli"):
                result = demo.load_demo(
                    people=options["people"],
                    seed=options["seed"],
                    progress=progress,
                    part_started=part_started,
                )
                if tasks:
                    bar.stop_task(tasks[-1])
        except demo.DemoRefused as error:
            raise CommandError(f"{error} Use --if-empty to skip loading quietly.") from None
        seconds = time.perf_counter() - started
        console.print(
            f"Loaded the demo company: {result.people:,} people, {result.departments} "
            f"departments, {result.reporting_lines:,} reporting lines in {seconds:.1f} s."
        )
        self._print_parts(console, result.parts, seconds)
        self._print_logins(console, result.logins)

    def _print_parts(self, console: Console, parts: list[demo.DemoPart], seconds: float) -> None:
        table = Table(title="Time and memory of each part")
        table.add_column("Part")
        table.add_column("Seconds", justify="right")
        table.add_column("CPU seconds (this process)", justify="right")
        table.add_column("Peak memory so far (MB)", justify="right")
        for part in parts:
            table.add_row(
                part.name, f"{part.seconds:.1f}", f"{part.cpu_seconds:.1f}", f"{part.peak_mb:,.0f}"
            )
        cpu = sum(part.cpu_seconds for part in parts)
        table.add_row(
            "total", f"{seconds:.1f}", f"{cpu:.1f}", f"{demo.peak_rss_mb():,.0f}", style="bold"
        )
        console.print(table)

    def _print_logins(self, console: Console, logins: list[demo.DemoLogin]) -> None:
        present = [login for login in logins if login.name]
        if not present:
            console.print("No demo log-ins in this database.")
            return
        table = Table(title=f"Demo log-ins ({settings.SITE_URL})")
        table.add_column("Role")
        table.add_column("E-mail", no_wrap=True)
        table.add_column("Password", no_wrap=True)
        table.add_column("Name")
        table.add_column("Title")
        for login in present:
            table.add_row(login.role, login.email, demo.DEMO_PASSWORD, login.name, login.title)
        console.print(table)
