"""Progress bars for long commands (rich), on stderr so the command's output stays clean."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

Report = Callable[[str, int, int], None]


@contextmanager
def stage_bars(*, verbosity: int, width: int = 24) -> Iterator[Report]:
    """One bar per stage an import reports ("Reading", "Checking rows", "Saving"…): yields
    `report(stage, done, total)`. Bars vanish when done; `--verbosity 0` shows none."""
    progress = Progress(
        TextColumn(f"{{task.description:<{width}}}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
        disable=verbosity == 0,
    )
    tasks: dict[str, TaskID] = {}

    def report(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = progress.add_task(stage, total=total)
        progress.update(tasks[stage], completed=done, total=total)

    with progress:
        yield report
