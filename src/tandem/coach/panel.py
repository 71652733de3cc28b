"""The panel beside a text: which suggestions a writer was shown while writing.

The panel keeps, in hidden inputs named `coach_seen`, each `field:rule` it has shown, so
when the form is sent the feature can tell the coach which suggestions fired while the
text was written (`services.count_submission`) — counting, for HR, how often writers
changed their text after a suggestion."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import QueryDict

SEEN = "coach_seen"
MAX_SEEN = 50


def seen_rules(data: QueryDict, field: str) -> set[str]:
    """The rule ids the panel of `field` showed (unknown ids are dropped by the service)."""
    rules = set()
    for value in data.getlist(SEEN)[:MAX_SEEN]:
        name, _, rule = value.partition(":")
        if name == field and rule:
            rules.add(rule[:40])
    return rules


def seen_values(field: str, rules: Iterable[str]) -> list[str]:
    return [f"{field}:{rule}" for rule in sorted(set(rules))]
