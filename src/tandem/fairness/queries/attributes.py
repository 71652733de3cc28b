"""The protected attributes HR imported, each with how many people are in each group.

Only counts, never who: a group smaller than the anonymity minimum is shown as "fewer than
N", like on the fairness page, so this page names no one's value either. Counts are of
people still with the company (active or on leave)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from tandem.access.rules import require
from tandem.fairness.models import PersonAttribute, ProtectedAttribute
from tandem.fairness.queries.groups import NOT_GIVEN, minimum_group_size
from tandem.org.models import Person, PersonStatus


@dataclass(frozen=True)
class GroupCount:
    group: str
    people: int | None  # None: fewer than the minimum

    @property
    def suppressed(self) -> bool:
        return self.people is None


@dataclass
class AttributeSummary:
    key: str
    label: str
    groups: list[GroupCount] = field(default_factory=list)


def summaries(user: Any) -> tuple[list[AttributeSummary], int]:
    """Every attribute with its group counts, and the minimum group size (3 queries)."""
    require(user, "fairness.attributes.manage")
    minimum = minimum_group_size()
    current = Person.objects.exclude(status=PersonStatus.LEFT)
    everyone = current.count()
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        PersonAttribute.objects.filter(person__in=current)
        .values("attribute_id", "value")
        .annotate(people=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["attribute_id"]][row["value"]] = row["people"]
    found = []
    for attribute in ProtectedAttribute.objects.all():
        groups = dict(counts.get(attribute.pk, {}))
        given = sum(groups.values())
        groups[NOT_GIVEN] = everyone - given
        summary = AttributeSummary(attribute.key, attribute.label)
        for group in sorted(groups, key=lambda g: (g == NOT_GIVEN, g.casefold())):
            people = groups[group]
            if group == NOT_GIVEN and people == 0:
                continue
            summary.groups.append(GroupCount(group, people if people >= minimum else None))
        found.append(summary)
    return found, minimum


def attribute_choices(user: Any) -> list[tuple[str, str]]:
    """(key, label) of every attribute, for the fairness page's select."""
    require(user, "fairness.view")
    return list(ProtectedAttribute.objects.values_list("key", "label"))
