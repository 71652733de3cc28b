"""The one way services queue background work.

Imports go one way inside an app: `tasks` runs `services`, so `services` never imports
`tasks`. A service queues a task by its dotted path with `enqueue_on_commit`, after its
transaction commits (the worker must see the rows), passing ids, never objects. The system
check below fails at start-up when a path names no task.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from django.core.checks import CheckMessage, Error, register
from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks.base import Task

import tandem


def task_named(path: str) -> Task[Any, Any]:
    """The task at `path` ("tandem.meetings.tasks.send_series_invitation")."""
    found = import_string(path)
    if not isinstance(found, Task):
        raise TypeError(f"{path} is not a task (decorate it with @task()).")
    return found


def enqueue_on_commit(path: str, *args: Any) -> None:
    """Queue the task at `path` with `args` (ids and plain values) once the current
    transaction commits; at once when there is none."""
    transaction.on_commit(lambda: task_named(path).enqueue(*args))


# --- The start-up check ----------------------------------------------------------------------


def task_paths_in(source: str) -> list[tuple[int, str]]:
    """(line, path) of every `enqueue_on_commit("…", …)` with a literal path in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        path = node.args[0].value if isinstance(node.args[0], ast.Constant) else None
        if name == "enqueue_on_commit" and isinstance(path, str):
            found.append((node.lineno, path))
    return found


@register("tasks")
def check_task_paths(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    package = Path(tandem.__file__).parent
    problems: list[CheckMessage] = []
    for path in sorted(package.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for line, task_path in task_paths_in(path.read_text(encoding="utf-8")):
            try:
                task_named(task_path)
            except (ImportError, TypeError) as error:
                where = f"{path.relative_to(package.parent)}:{line}"
                problems.append(
                    Error(
                        f"{where} queues {task_path!r}, which is not a task: {error}",
                        hint="Give the dotted path of a function decorated with @task().",
                        id="core.E001",
                    )
                )
    return problems
