"""Reads about the organisation, always starting from the access scope of the viewer."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from tandem.access.rules import can, scope
from tandem.org import tree
from tandem.org.models import Department, Person, PersonStatus

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class BadCursor(ValueError):
    """A pagination cursor that was not made by us (tampered or truncated)."""


def encode_cursor(person: Person) -> str:
    raw = json.dumps([person.sort_name, person.pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        sort_name, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(sort_name, str) or not isinstance(pk, int):
            raise TypeError
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as error:
        raise BadCursor("This page link is not valid; start again from the first page.") from error
    return sort_name, pk


@dataclass
class PeoplePage:
    people: list[Person]
    next_cursor: str | None


def people_queryset(
    user: Any,
    *,
    q: str = "",
    department_id: int | None = None,
    manager_id: int | None = None,
    status: str | None = None,
    include_subdepartments: bool = False,
) -> QuerySet[Person]:
    people = scope(user, Person.objects.all())
    if q:
        for word in q.lower().split()[:5]:
            people = people.filter(
                Q(search_text__contains=word) | Q(department__name__icontains=word)
            )
    if department_id is not None:
        if include_subdepartments:
            department = Department.objects.filter(pk=department_id).first()
            path = department.path if department else "/none/"
            people = people.filter(department__path__startswith=path)
        else:
            people = people.filter(department_id=department_id)
    if manager_id is not None:
        people = people.filter(manager_id=manager_id)
    if status:
        people = people.filter(status=status)
    return people


def people_page(
    people: QuerySet[Person], *, cursor: str | None, limit: int = PAGE_SIZE
) -> PeoplePage:
    """One page in name order, keyset-paginated: page 1,000 costs what page 1 costs."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    if cursor:
        sort_name, pk = decode_cursor(cursor)
        people = people.filter(Q(sort_name__gt=sort_name) | Q(sort_name=sort_name, pk__gt=pk))
    rows = list(
        people.select_related("department", "manager").order_by("sort_name", "pk")[: limit + 1]
    )
    next_cursor = encode_cursor(rows[limit - 1]) if len(rows) > limit else None
    return PeoplePage(people=rows[:limit], next_cursor=next_cursor)


def person_for(user: Any, pk: int) -> Person:
    """The person with this id, or 404 when they do not exist or the user may not see them."""
    person = (
        scope(user, Person.objects.all())
        .select_related("department", "manager")
        .filter(pk=pk)
        .first()
    )
    if person is None or not can(user, "person.view", person):
        raise Http404("No such person.")
    return person


def manager_chain(person: Person) -> list[Person]:
    """The person's managers from the top of the company down to their direct manager."""
    ids = tree.ids_in(person.path)[:-1]
    by_id = {p.pk: p for p in Person.objects.filter(pk__in=ids)}
    return [by_id[i] for i in ids if i in by_id]


def direct_reports(user: Any, person: Person) -> QuerySet[Person]:
    return (
        scope(user, Person.objects.filter(manager=person))
        .exclude(status=PersonStatus.LEFT)
        .select_related("department")
        .annotate(report_count=Count("reports", filter=~Q(reports__status=PersonStatus.LEFT)))
        .order_by("sort_name", "pk")
    )


def chart_roots(user: Any) -> QuerySet[Person]:
    return (
        scope(user, Person.objects.filter(manager__isnull=True))
        .exclude(status=PersonStatus.LEFT)
        .select_related("department")
        .annotate(report_count=Count("reports", filter=~Q(reports__status=PersonStatus.LEFT)))
        .order_by("sort_name", "pk")
    )


def subtree_size(person: Person) -> int:
    return (
        Person.objects.filter(path__startswith=person.path)
        .exclude(pk=person.pk)
        .exclude(status=PersonStatus.LEFT)
        .count()
    )


def departments(user: Any) -> QuerySet[Department]:
    return (
        scope(user, Department.objects.all())
        .select_related("parent", "head")
        .annotate(people=Count("members", filter=~Q(members__status=PersonStatus.LEFT)))
        .order_by("path")
    )
