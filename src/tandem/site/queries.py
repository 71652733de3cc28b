"""What the home page shows, by role."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from tandem.access.rules import actor_for, scope
from tandem.notifications.inbox import inbox_for
from tandem.org import tree
from tandem.org.models import Company, Department, Person, PersonStatus


def home_context(user: Any) -> dict[str, Any]:
    actor = actor_for(user)
    assert actor is not None
    person = actor.person
    context: dict[str, Any] = {
        "company": Company.current(),
        "manager": Person.objects.filter(pk=person.manager_id).first()
        if person.manager_id
        else None,
        # Every inbox provider runs a fixed number of queries (notifications/inbox.py).
        "things_waiting": inbox_for(person),
    }
    if actor.is_manager:
        reports = scope(user, Person.objects.filter(manager=person)).select_related("department")
        context["direct_reports"] = list(reports[:50])
        context["team_size"] = (
            Person.objects.filter(path__startswith=person.path)
            .exclude(pk=person.pk)
            .exclude(status=PersonStatus.LEFT)
            .count()
        )
    if actor.is_executive or actor.is_hr_admin:
        context["headcount"] = Person.objects.aggregate(
            active=Count("pk", filter=Q(status=PersonStatus.ACTIVE)),
            on_leave=Count("pk", filter=Q(status=PersonStatus.ON_LEAVE)),
            left=Count("pk", filter=Q(status=PersonStatus.LEFT)),
        )
        context["top_departments"] = top_departments()
    return context


def top_departments(limit: int = 20) -> list[Department]:
    """The top-level departments by name, each with `people`: everyone not gone in it or
    in any department below it. Two queries whatever the company's size: the people counted
    once, grouped by department, and every department (hundreds at most) with its path,
    through which each count is added to the department and all those above it. (A
    per-department subquery matching the paths scanned every person once per top-level
    department.)"""
    counts = (
        Person.objects.exclude(status=PersonStatus.LEFT)
        .filter(department__isnull=False)
        .order_by()
        .values_list("department_id")
        .annotate(n=Count("pk"))
    )
    departments = list(Department.objects.order_by("name", "pk"))
    paths = {d.pk: d.path for d in departments}
    totals: dict[int, int] = {}
    for department_id, n in counts:
        for ancestor in tree.ids_in(paths.get(department_id, "")):
            totals[ancestor] = totals.get(ancestor, 0) + n
    top = [d for d in departments if d.parent_id is None][:limit]
    for department in top:
        department.people = totals.get(department.pk, 0)  # type: ignore[attr-defined]
    return top
