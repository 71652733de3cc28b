"""The coach's reads: a text's findings (the built-in rules, the company's words, the
features' checks) and the counts HR reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from django.db.models import QuerySet, Sum
from django.http import Http404

from tandem.access.rules import scope
from tandem.coach.checks import Finding, Sbi, builtin_words, check, sbi
from tandem.coach.models import CoachTally, CoachWord
from tandem.coach.registry import all_rules, context_findings


def company_words() -> tuple[tuple[str, str], ...]:
    """HR's (word, better phrasing) pairs, in one query."""
    return tuple(CoachWord.objects.order_by("word").values_list("word", "better"))


@lru_cache(maxsize=1)
def builtin_forms() -> frozenset[str]:
    return frozenset(form.casefold() for w in builtin_words() for form in w.forms)


def rule_ids() -> list[str]:
    return list(all_rules())


def findings(text: str, kind: str, context: Mapping[str, Any] | None = None) -> list[Finding]:
    """Every finding for the text, in text order: the rules, HR's words, the feature's
    checks when it passed a context."""
    found = check(text, kind, extra_words=company_words())
    found.extend(context_findings(text, kind, context))
    found.sort(key=lambda f: (f.start, f.end, f.rule))
    return found


def structure(text: str) -> Sbi:
    return sbi(text)


def words(user: Any) -> QuerySet[CoachWord]:
    return scope(user, CoachWord.objects.select_related("added_by")).order_by("word")


def word_for(user: Any, word_id: int) -> CoachWord:
    found = words(user).filter(pk=word_id).first()
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class StatRow:
    department: str
    rule: str
    title: str
    fired: int
    changed: int

    @property
    def changed_percent(self) -> int:
        return round(100 * self.changed / self.fired) if self.fired else 0


def stats(user: Any, *, since: date) -> list[StatRow]:
    """Per department and rule, since the month of `since`: how often a suggestion fired on a
    submitted text, and how often the writer changed the text so it no longer did. One
    query, grouped in the database."""
    titles = {rid: rule.title for rid, rule in all_rules().items()}
    rows = (
        scope(user, CoachTally.objects.filter(month__gte=since.replace(day=1)))
        .values("department__name", "rule")
        .annotate(fired=Sum("fired"), changed=Sum("changed"))
        .order_by("department__name", "rule")
    )
    return [
        StatRow(
            department=row["department__name"] or "Upward feedback (no department)",
            rule=row["rule"],
            title=titles.get(row["rule"], row["rule"]),
            fired=row["fired"] or 0,
            changed=row["changed"] or 0,
        )
        for row in rows
    ]
