"""What each feature can export in the background, by name.

A feature registers a builder at start-up: `register("goals", build_goals)`, where
`build_goals(person, params)` returns a `Table` of the rows `person` may export *now*
under `params`, or raises `Http404`/`PermissionDenied` when they may not (the same check
as the immediate export's, evaluated when the task runs: someone who lost the right gets
nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Table:
    header: Sequence[str]
    rows: Iterable[Iterable[Any]]
    sheet_title: str


Builder = Callable[[Any, dict[str, Any]], Table]
BUILDERS: dict[str, Builder] = {}


def register(source: str, builder: Builder) -> Builder:
    BUILDERS[source] = builder
    return builder


def builder_for(source: str) -> Builder:
    try:
        return BUILDERS[source]
    except KeyError:
        raise LookupError(f"No export builder named {source!r}; register it at start-up") from None
