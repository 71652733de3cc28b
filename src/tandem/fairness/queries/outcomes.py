"""Fairness figures of a yes/no outcome per group of a protected attribute — promotions
decided in a window, for growth — with the same rules as the rating figures (`groups`):
people without a value form "Not given", a group smaller than the program's anonymity
minimum is suppressed (no figures, left out of the ratios and the test), a department view
shows a group only when every top-level-department block of it is empty or at least the
minimum (so no difference of views isolates fewer people), the impact ratio is a group's
rate over the highest rate shown (below 0.8 flagged, the four-fifths rule), and a
chi-square test of group × outcome (scipy) over the groups shown.

The caller gives the people decided and their outcome as a queryset of rows with a person
column; the counts per (group, top-level department, outcome) come from one SQL query.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery

from tandem.access.rules import require
from tandem.fairness.models import PersonAttribute, ProtectedAttribute
from tandem.fairness.queries.groups import (
    FOUR_FIFTHS,
    NOT_GIVEN,
    ChiSquare,
    UnknownChoice,
    chi_square,
    minimum_group_size,
)
from tandem.org.models import Department


@dataclass(frozen=True)
class RateFigures:
    """One group's figures; every figure is None when the group is suppressed."""

    group: str
    n: int | None
    rate: float | None
    impact_ratio: float | None
    suppressed: bool

    @property
    def flagged(self) -> bool:
        return self.impact_ratio is not None and self.impact_ratio < FOUR_FIFTHS


@dataclass
class RateResult:
    attribute: ProtectedAttribute
    min_group_size: int
    groups: list[RateFigures] = field(default_factory=list)
    test: ChiSquare = field(default_factory=lambda: ChiSquare(None, None, None))


Cells = dict[str, dict[int, int]]  # {group: {1: yes, 0: no}}
Blocks = dict[str, dict[int | None, int]]


def rate_figures(
    user: Any,
    rows: QuerySet[Any],
    *,
    person_field: str,
    outcome_field: str,
    yes: Any,
    attribute: ProtectedAttribute,
    department: Department | None = None,
) -> RateResult:
    """The outcome's rate per group of `attribute` over `rows` (one row per person
    decided): `rows.<person_field>` is the person, `rows.<outcome_field> == yes` the outcome
    counted. `department` (top-level) narrows them to the people in it and below."""
    require(user, "fairness.view")
    if department is not None and department.parent_id is not None:
        raise UnknownChoice(
            "department", "Fairness figures are narrowed to top-level departments only."
        )
    value = PersonAttribute.objects.filter(
        attribute=attribute, person_id=OuterRef(f"{person_field}_id")
    ).values("value")[:1]
    counted = (
        rows.annotate(group=Subquery(value))
        .values("group", f"{person_field}__department__path", outcome_field)
        .annotate(people=Count("pk"))
        .order_by()
    )
    cells: Cells = defaultdict(dict)
    blocks: Blocks = defaultdict(dict)
    prefix = department.path if department is not None else None
    for row in counted:
        group = row["group"] or NOT_GIVEN
        path = row[f"{person_field}__department__path"] or ""
        top = int(path.strip("/").split("/")[0]) if path.strip("/") else None
        blocks[group][top] = blocks[group].get(top, 0) + row["people"]
        if prefix is None or path.startswith(prefix):
            outcome = 1 if row[outcome_field] == yes else 0
            cells[group][outcome] = cells[group].get(outcome, 0) + row["people"]
    minimum = minimum_group_size()
    result = RateResult(attribute=attribute, min_group_size=minimum)
    shown: Cells = {}
    for group, counts in cells.items():
        if sum(counts.values()) < minimum:
            continue
        if department is not None and any(0 < n < minimum for n in blocks[group].values()):
            continue
        shown[group] = counts
    rates = {g: c.get(1, 0) / sum(c.values()) for g, c in shown.items()}
    highest = max(rates.values(), default=0.0)
    for group in sorted(cells, key=lambda g: (g == NOT_GIVEN, g.casefold())):
        if group not in shown:
            result.groups.append(RateFigures(group, None, None, None, True))
            continue
        n = sum(shown[group].values())
        result.groups.append(
            RateFigures(
                group=group,
                n=n,
                rate=rates[group],
                impact_ratio=rates[group] / highest if highest else None,
                suppressed=False,
            )
        )
    result.test = chi_square(shown)
    return result


def in_words(test: ChiSquare) -> str:
    """The test in plain words for a page."""
    if test.p_value is None:
        return "Not enough groups large enough to show to test whether outcomes differ."
    p = f"p = {test.p_value:.2f}" if test.p_value >= 0.01 else "p < 0.01"
    if test.significant:
        return f"Outcomes differ between groups more than chance would explain ({p})."
    return f"No evidence of a difference in outcomes between groups ({p})."
