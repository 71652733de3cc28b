"""The start-up check that every rule and scope the code asks for is registered.

Rules live beside their features (`<app>/rules.py`), so nothing but this check stops a view
from asking `require(user, "goal.archive")` before anyone declared the rule: the call would
fail only when someone opens the page. Django runs system checks before `migrate`,
`runserver` and `tandem check`, so a missing rule stops `make run` with the file and line.

The check reads Tandem's own source: every `can(…)`/`require(…)` whose action is a literal
string, and every `scope(…)` whose queryset starts from a model by name
(`scope(user, Goal.objects.filter(…))`). Calls that pass a variable cannot be read this way;
they still fail loudly at the call.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.checks import CheckMessage, Error, register
from django.db.models import Model

import tandem
from tandem.access.rules import RULES, SCOPES

RULE_CALLS = frozenset({"can", "require"})
SCOPE_CALLS = frozenset({"scope"})


@dataclass(frozen=True)
class Missing:
    """A call that asks for a rule or scope nobody registered."""

    path: str
    line: int
    kind: str  # "rule" or "scope"
    name: str

    def message(self) -> str:
        where = f"{self.path}:{self.line}"
        if self.kind == "rule":
            return f"{where} asks for the access rule {self.name!r}, which no rules.py registers."
        return f"{where} scopes {self.name} rows, but no rules.py registers a scope for them."


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _queryset_root(node: ast.AST) -> str | None:
    """`Goal` in `Goal.objects.filter(…).select_related(…)`; None for anything else."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Name) and node.attr in ("objects", "_default_manager"):
                return node.value.id
            node = node.value
        else:
            return None


def missing_in(
    source: str,
    path: str,
    *,
    rules: Iterable[str],
    scoped: Iterable[str],
    models: Mapping[str, Any],
) -> Iterator[Missing]:
    """The calls in one module's `source` that name an unregistered rule or scope.
    `models` maps a model's class name to the model, for the names the code uses."""
    known_rules, known_scopes = set(rules), set(scoped)
    for node in ast.walk(ast.parse(source, filename=path)):
        if not isinstance(node, ast.Call) or len(node.args) < 2:
            continue
        name = _called_name(node)
        argument = node.args[1]
        if name in RULE_CALLS:
            action = argument.value if isinstance(argument, ast.Constant) else None
            if isinstance(action, str) and action not in known_rules:
                yield Missing(path, node.lineno, "rule", action)
        elif name in SCOPE_CALLS:
            root = _queryset_root(argument)
            if root is not None and root in models and root not in known_scopes:
                yield Missing(path, node.lineno, "scope", root)


def _source_files() -> Iterator[Path]:
    package = Path(tandem.__file__).parent
    for path in sorted(package.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _tandem_models() -> dict[str, type[Model]]:
    return {
        model.__name__: model
        for model in apps.get_models()
        if model.__module__.startswith("tandem.")
    }


@register("access")
def check_rules_and_scopes(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    models = _tandem_models()
    scoped = {model.__name__ for model in SCOPES}
    package = Path(tandem.__file__).parent.parent
    problems: list[CheckMessage] = []
    for path in _source_files():
        relative = str(path.relative_to(package))
        for missing in missing_in(
            path.read_text(encoding="utf-8"),
            relative,
            rules=RULES,
            scoped=scoped,
            models=models,
        ):
            problems.append(
                Error(
                    missing.message(),
                    hint=(
                        "Declare it with "
                        + (
                            f"@rule({missing.name!r})"
                            if missing.kind == "rule"
                            else f"@scope_for({missing.name})"
                        )
                        + " in the rules.py of the app it belongs to, imported by the app's "
                        "AppConfig.ready() (docs/architecture.md)."
                    ),
                    id="access.E001" if missing.kind == "rule" else "access.E002",
                )
            )
    return problems
