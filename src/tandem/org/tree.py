"""Materialized paths for the reporting tree and the department tree.

A path lists ids from the root down to the row itself: "/4/17/230/". The subtree of X is
`path__startswith=X.path`, one indexed prefix query at any depth (PostgreSQL gets a
varchar_pattern_ops index for it automatically; SQLite uses the plain index for LIKE
prefixes with case-sensitive LIKE off ASCII, which ids are).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db.models import F, Model, Value
from django.db.models.functions import Concat, Length, Substr


def path_for(parent_path: str | None, pk: int) -> str:
    return f"{parent_path or '/'}{pk}/"


def depth_of(path: str) -> int:
    return path.count("/") - 2


def ids_in(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def move_subtree(model: type[Model], *, old_path: str, new_path: str) -> int:
    """Re-root every row under old_path (itself included) at new_path, in one UPDATE."""
    if old_path == new_path:
        return 0
    delta = depth_of(new_path) - depth_of(old_path)
    return model._default_manager.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1, Length("path"))),
        depth=F("depth") + delta,
    )


def compute_paths(parents: Mapping[int, int | None]) -> dict[int, str]:
    """Paths for every id given each id's parent. Raises ValueError naming a cycle."""
    paths: dict[int, str] = {}
    for start in parents:
        chain: list[int] = []
        seen: set[int] = set()
        node: int | None = start
        while node is not None and node not in paths:
            if node in seen:
                cycle = [*chain[chain.index(node) :], node]
                raise ValueError(cycle)
            seen.add(node)
            chain.append(node)
            node = parents.get(node)
        prefix = paths[node] if node is not None else "/"
        for member in reversed(chain):
            prefix = f"{prefix}{member}/"
            paths[member] = prefix
    return paths


def find_cycle(parents: Mapping[int, int | None], start: Iterable[int]) -> list[int] | None:
    """The first cycle reachable from `start`, as a list of ids that ends where it began."""
    for origin in start:
        seen: list[int] = []
        node: int | None = origin
        while node is not None:
            if node in seen:
                return [*seen[seen.index(node) :], node]
            seen.append(node)
            node = parents.get(node)
    return None
