"""Checks that need a feature's context, plugged in by the feature from its AppConfig.ready().

The coach's text rules (checks.py) know no feature. A feature that can say more — reviews
knows a rating and its evidence, and the other answers the same manager wrote — registers a
check here with `register_check`; the coach calls it with the text and the context the
feature's page passed along, and never imports the feature.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tandem.coach.checks import RULES, Finding, Rule

ContextCheck = Callable[[str, Mapping[str, Any]], Iterable[Finding]]


@dataclass(frozen=True)
class Registered:
    rule: Rule
    kinds: tuple[str, ...]
    check: ContextCheck


_REGISTRY: dict[str, Registered] = {}
# kind -> a function (user, ref, data) -> the context its checks read, or None. `ref` is what
# the feature's page put in the panel (a review's id and question); `data` the other fields
# the panel sent (a rating picked but not saved yet). The provider checks access itself and
# answers None for anything the user may not read.
ContextProvider = Callable[[Any, str, Mapping[str, Any]], Mapping[str, Any] | None]
_PROVIDERS: dict[str, ContextProvider] = {}


def register_context(*, kind: str, provider: ContextProvider) -> None:
    """Say how to build the context of a kind of text from the reference its page sent."""
    existing = _PROVIDERS.get(kind)
    assert existing is None or existing is provider, f"a coach context for {kind!r} exists"
    _PROVIDERS[kind] = provider


def context_for(
    kind: str, user: Any, ref: str, data: Mapping[str, Any] | None = None
) -> Mapping[str, Any] | None:
    provider = _PROVIDERS.get(kind)
    if provider is None or not ref:
        return None
    return provider(user, ref, data or {})


def register_check(*, rule: Rule, kinds: Iterable[str], check: ContextCheck) -> None:
    """Add a feature's check for the given kinds of text. Its rule id must be new."""
    assert rule.id not in RULES, f"{rule.id!r} is a built-in coach rule; pick another id."
    existing = _REGISTRY.get(rule.id)
    assert existing is None or existing.check is check, f"coach rule {rule.id!r} registered twice"
    _REGISTRY[rule.id] = Registered(rule=rule, kinds=tuple(kinds), check=check)


def all_rules() -> dict[str, Rule]:
    """The built-in rules and every registered one, by id."""
    return {**RULES, **{rid: reg.rule for rid, reg in _REGISTRY.items()}}


def context_findings(text: str, kind: str, context: Mapping[str, Any] | None) -> list[Finding]:
    """The registered checks' findings for this kind of text, given the feature's context.
    A finding whose span falls outside the text is dropped (the span contract)."""
    if not context:
        return []
    found: list[Finding] = []
    for registered in _REGISTRY.values():
        if kind not in registered.kinds:
            continue
        for finding in registered.check(text, context):
            if 0 <= finding.start <= finding.end <= len(text):
                found.append(finding)
    return found
