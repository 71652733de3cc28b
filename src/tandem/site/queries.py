"""What the home page shows, by role."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, F, OuterRef
from django.http import Http404

from tandem.access.rules import actor_for, can, scope
from tandem.notifications.inbox import inbox_for_request
from tandem.org import tree
from tandem.org.models import Company, Department, Person, PersonStatus


def home_context(request: Any) -> dict[str, Any]:
    user = request.user
    actor = actor_for(user)
    assert actor is not None
    person = actor.person
    context: dict[str, Any] = {
        "company": Company.current(),
        "manager": Person.objects.filter(pk=person.manager_id).first()
        if person.manager_id
        else None,
        # Every inbox provider runs a fixed number of queries (notifications/inbox.py).
        "things_waiting": inbox_for_request(request),
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
        context["headcount"], context["top_departments"] = headcount_and_top_departments()
    return context


def headcount_and_top_departments(
    limit: int = 20,
) -> tuple[dict[str, int], list[Department]]:
    """The company's headcount by status, and the top-level departments by name, each with
    `people`: everyone not gone in it or in any department below it.

    Two queries whatever the company's size: the people counted once, grouped by department
    and status, and every department (hundreds at most) with its path, through which each
    count is added to the department and all those above it. (A per-department subquery
    matching the paths scanned every person once per top-level department, and the
    headcount was one more scan.)"""
    # COUNT(*), not COUNT(id): PostgreSQL then reads only `person_dept_status_idx`
    # (index-only, 40 ms at 100,000 people) where COUNT(id) read the whole table
    # (65-200 ms, the slowest part of HR's home page under load).
    counts = Person.objects.order_by().values_list("department_id", "status").annotate(n=Count("*"))
    headcount = dict.fromkeys(PersonStatus.values, 0)
    per_department: dict[int, int] = {}
    for department_id, status, n in counts:
        headcount[status] = headcount.get(status, 0) + n
        if status != PersonStatus.LEFT and department_id is not None:
            per_department[department_id] = per_department.get(department_id, 0) + n
    departments = list(Department.objects.order_by("name", "pk"))
    paths = {d.pk: d.path for d in departments}
    totals: dict[int, int] = {}
    for department_id, n in per_department.items():
        for ancestor in tree.ids_in(paths.get(department_id, "")):
            totals[ancestor] = totals.get(ancestor, 0) + n
    top = [d for d in departments if d.parent_id is None][:limit]
    for department in top:
        department.people = totals.get(department.pk, 0)  # type: ignore[attr-defined]
    return headcount, top


def person_to_preview(user: Any, person_id: int) -> tuple[Person, frozenset[str], bool]:
    """The person `user` may preview ("view as"), the roles they hold and whether they
    manage anyone, or 404: someone who left, someone out of the user's scope and a user who
    is not an HR admin are all answered alike. One query: a row per role they hold (one
    row, with no role, when they hold none), so a preview starts with one round trip, not
    three (the menu asks whether the person manages anyone on every page)."""
    reports = Person.objects.filter(manager_id=OuterRef("pk")).exclude(status=PersonStatus.LEFT)
    rows = list(
        scope(user, Person.objects.all())
        .filter(pk=person_id)
        .annotate(granted_role=F("role_grants__role"), manages_anyone=Exists(reports))
        .order_by()
    )
    person = rows[0] if rows else None
    if person is None or not can(user, "people.view_as", person):
        raise Http404("No such person.")
    roles = frozenset(row.granted_role for row in rows if row.granted_role)
    return person, roles, bool(person.manages_anyone)
